package dev.isolation.operator.netpol;

import java.util.Locale;

/** A connection attempt from {@code source} to {@code destination} on {@code port}/{@code protocol} (TCP, UDP, SCTP). */
public record Connection(Workload source, Workload destination, int port, String protocol) {

    public Connection {
        protocol = protocol == null ? "TCP" : protocol.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return source + " -> " + destination + ":" + port + "/" + protocol;
    }
}
