package dev.isolation.operator.probe;

import java.util.List;

/**
 * The server pods of a run. agnhost netexec exits when it cannot open its SCTP socket (no SCTP in
 * the kernel), so SCTP gets a server of its own: without it only the sctp check is inconclusive.
 */
public enum ServerKind {
    MAIN("server", List.of(new ServerPort("http", ProbeSteps.HTTP_PORT, "TCP"), new ServerPort("udp", ProbeSteps.UDP_PORT, "UDP")),
            List.of("--http-port=" + ProbeSteps.HTTP_PORT, "--udp-port=" + ProbeSteps.UDP_PORT)),
    SCTP("server-sctp", List.of(new ServerPort("http", ProbeSteps.HTTP_PORT, "TCP"), new ServerPort("sctp", ProbeSteps.SCTP_PORT, "SCTP")),
            List.of("--http-port=" + ProbeSteps.HTTP_PORT, "--udp-port=-1", "--sctp-port=" + ProbeSteps.SCTP_PORT));

    /** A declared container port; the names make named-port checks possible. */
    public record ServerPort(String name, int port, String protocol) {
    }

    private final String podSuffix;
    private final List<ServerPort> ports;
    private final List<String> netexecArgs;

    ServerKind(String podSuffix, List<ServerPort> ports, List<String> netexecArgs) {
        this.podSuffix = podSuffix;
        this.ports = ports;
        this.netexecArgs = netexecArgs;
    }

    public String podSuffix() {
        return podSuffix;
    }

    public List<ServerPort> ports() {
        return ports;
    }

    public List<String> netexecArgs() {
        return netexecArgs;
    }
}
