package dev.isolation.operator.render;

import java.util.Comparator;
import java.util.Objects;

/** One ready API server address and port, as published by the default/kubernetes EndpointSlice. */
public record ApiServerEndpoint(String ip, int port, String protocol) implements Comparable<ApiServerEndpoint> {

    private static final Comparator<ApiServerEndpoint> ORDER = Comparator
            .comparing(ApiServerEndpoint::ip)
            .thenComparingInt(ApiServerEndpoint::port)
            .thenComparing(ApiServerEndpoint::protocol);

    public ApiServerEndpoint {
        Objects.requireNonNull(ip, "ip");
        String given = ip;
        ip = IpLiterals.normalise(ip).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + given));
        // EndpointPort.protocol defaults to TCP on the server; do the same so equal clusters compare equal.
        protocol = protocol == null ? "TCP" : protocol;
    }

    @Override
    public int compareTo(ApiServerEndpoint other) {
        return ORDER.compare(this, other);
    }
}
