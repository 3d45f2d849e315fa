package dev.isolation.operator.probe;

import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.api.ProbeContract;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;

import java.util.List;
import java.util.Map;

/**
 * The check catalogue: the steps (client pods, policies, expected outcome) of every check. Every
 * selector is scoped to the run's id, so a leftover of another run is never selected.
 */
public final class ProbeSteps {

    public static final int HTTP_PORT = 8080;
    public static final int UDP_PORT = 8081;
    public static final int SCTP_PORT = 8082;
    /** end-port allows the range 8000-8090: the connection to 8080 lies inside it but is not its start. */
    static final int RANGE_START = 8000;
    static final int RANGE_END = 8090;
    /** Marks the clients that ingress-allow's policy admits. */
    public static final String PEER_LABEL = "isolation.dev/probe-peer";
    static final String PEER_ALLOWED = "allowed";

    private ProbeSteps() {
    }

    public static List<ProbeStep> of(ProbeCheck check, String runId) {
        LabelSelector servers = selector(runId, ProbeContract.ROLE_LABEL, ProbeContract.ROLE_SERVER);
        LabelSelector clients = selector(runId, ProbeContract.CHECK_LABEL, check.checkName());
        String name = check.checkName();
        return switch (check) {
            // A precondition: without policies the path must work, else nothing the run shows means anything.
            case BASELINE -> List.of(step(check, name, List.of(), Map.of(), ServerKind.MAIN, HTTP_PORT, "TCP", true, true,
                    "no policy applies"));
            case INGRESS_DENY -> List.of(step(check, name, List.of(denyIngress(servers)), Map.of(), ServerKind.MAIN,
                    HTTP_PORT, "TCP", false, false, "ingress was denied"));
            case INGRESS_ALLOW -> {
                NetworkPolicySpec allowPeer = ingress(servers, List.of(port("TCP", HTTP_PORT, null)),
                        selector(runId, PEER_LABEL, PEER_ALLOWED));
                yield List.of(
                        step(check, name + "-matching", List.of(allowPeer), Map.of(PEER_LABEL, PEER_ALLOWED), ServerKind.MAIN,
                                HTTP_PORT, "TCP", true, false, "a podSelector and port rule allows it"),
                        step(check, name + "-other", List.of(allowPeer), Map.of(), ServerKind.MAIN, HTTP_PORT, "TCP",
                                false, false, "the client does not match the rule's podSelector"));
            }
            case EGRESS_DENY -> List.of(step(check, name, List.of(new NetworkPolicySpecBuilder().withPodSelector(clients)
                    .withPolicyTypes("Egress").build()), Map.of(), ServerKind.MAIN, HTTP_PORT, "TCP", false, false,
                    "egress was denied"));
            case EGRESS_ALLOW -> List.of(step(check, name, List.of(new NetworkPolicySpecBuilder().withPodSelector(clients)
                    .withPolicyTypes("Egress")
                    .withEgress(new NetworkPolicyEgressRuleBuilder()
                            .withTo(new NetworkPolicyPeerBuilder().withPodSelector(servers).build())
                            .withPorts(port("TCP", HTTP_PORT, null)).build()).build()),
                    Map.of(), ServerKind.MAIN, HTTP_PORT, "TCP", true, false, "an egress rule allows it"));
            case END_PORT -> List.of(step(check, name, List.of(ingress(servers,
                            List.of(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(RANGE_START))
                                    .withEndPort(RANGE_END).build()), null)),
                    Map.of(), ServerKind.MAIN, HTTP_PORT, "TCP", true, false,
                    "the rule allows ports " + RANGE_START + "-" + RANGE_END));
            case NAMED_PORT -> List.of(step(check, name, List.of(ingress(servers, List.of(port("TCP", null, "http")), null)),
                    Map.of(), ServerKind.MAIN, HTTP_PORT, "TCP", true, false, "the rule allows the named port http"));
            case UDP -> protocolSteps(check, servers, ServerKind.MAIN, "UDP", UDP_PORT);
            case SCTP -> protocolSteps(check, servers, ServerKind.SCTP, "SCTP", SCTP_PORT);
        };
    }

    /** A no-policy connection first; then the protocol's port allowed, and blocked when only TCP is allowed. */
    private static List<ProbeStep> protocolSteps(ProbeCheck check, LabelSelector servers, ServerKind server,
                                                 String protocol, int port) {
        String name = check.checkName();
        return List.of(
                step(check, name + "-baseline", List.of(), Map.of(), server, port, protocol, true, true, "no policy applies"),
                step(check, name + "-allowed", List.of(ingress(servers, List.of(port(protocol, port, null)), null)),
                        Map.of(), server, port, protocol, true, false, "a rule allows " + protocol + " " + port),
                step(check, name + "-denied", List.of(ingress(servers, List.of(port("TCP", HTTP_PORT, null)), null)),
                        Map.of(), server, port, protocol, false, false, "only TCP " + HTTP_PORT + " was allowed"));
    }

    private static ProbeStep step(ProbeCheck check, String name, List<NetworkPolicySpec> policies, Map<String, String> labels,
                                  ServerKind server, int port, String protocol, boolean connect, boolean precondition,
                                  String why) {
        return new ProbeStep(check, name, policies, labels, server, port, protocol, connect, precondition, why);
    }

    private static NetworkPolicySpec denyIngress(LabelSelector servers) {
        return new NetworkPolicySpecBuilder().withPodSelector(servers).withPolicyTypes("Ingress").build();
    }

    /** Ingress to the servers on the given ports, from the given pods (null: from everywhere). */
    private static NetworkPolicySpec ingress(LabelSelector servers, List<NetworkPolicyPort> ports, LabelSelector from) {
        NetworkPolicyIngressRuleBuilder rule = new NetworkPolicyIngressRuleBuilder().withPorts(ports);
        if (from != null) {
            rule.withFrom(new NetworkPolicyPeerBuilder().withPodSelector(from).build());
        }
        return new NetworkPolicySpecBuilder().withPodSelector(servers).withPolicyTypes("Ingress")
                .withIngress(rule.build()).build();
    }

    private static NetworkPolicyPort port(String protocol, Integer number, String name) {
        return new NetworkPolicyPortBuilder().withProtocol(protocol)
                .withPort(number != null ? new IntOrString(number) : new IntOrString(name)).build();
    }

    private static LabelSelector selector(String runId, String key, String value) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of(ProbeContract.RUN_LABEL, runId, key, value)).build();
    }
}
