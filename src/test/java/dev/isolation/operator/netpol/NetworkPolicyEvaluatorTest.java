package dev.isolation.operator.netpol;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Standard NetworkPolicy semantics, one rule at a time. */
class NetworkPolicyEvaluatorTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "db", Map.of("project", "myproject"), "web", Map.of("project", "myproject"), "other", Map.of());

    private final Workload db = new Workload("db", "db-0", Map.of("role", "db"), "10.1.0.5",
            List.of(new ContainerPortBuilder().withName("redis").withContainerPort(6379).withProtocol("TCP").build(),
                    new ContainerPortBuilder().withName("dns").withContainerPort(53).withProtocol("UDP").build()));
    private final Workload frontend = new Workload("db", "fe", Map.of("role", "frontend"), "10.1.0.6", List.of());
    private final Workload webPod = new Workload("web", "w", Map.of(), "10.2.0.7", List.of());
    private final Workload otherPod = new Workload("other", "o", Map.of("role", "frontend"), "10.3.0.8", List.of());

    private static NetworkPolicy policy(String namespace, String yaml) {
        NetworkPolicy p = YAML.unmarshal("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: "
                + namespace + "}\nspec:\n" + yaml.indent(2), NetworkPolicy.class);
        return p;
    }

    private static boolean allowed(List<NetworkPolicy> policies, Workload from, Workload to, int port, String protocol) {
        return new NetworkPolicyEvaluator(NAMESPACES, policies).evaluate(new Connection(from, to, port, protocol)).allowed();
    }

    @Test
    void noPolicyAllowsEverything() {
        Verdict v = new NetworkPolicyEvaluator(NAMESPACES, List.of()).evaluate(new Connection(webPod, db, 6379, "TCP"));
        assertThat(v.allowed()).isTrue();
        assertThat(v.explanation()).containsExactly("egress of web/w is not isolated", "ingress of db/db-0 is not isolated");
    }

    @Test
    void defaultDenyIngressIsolatesOnlySelectedPodsOfItsNamespace() {
        List<NetworkPolicy> deny = List.of(policy("db", "podSelector: {matchLabels: {role: db}}\npolicyTypes: [Ingress]"));
        assertThat(allowed(deny, frontend, db, 6379, "TCP")).isFalse();
        assertThat(allowed(deny, db, frontend, 80, "TCP")).isTrue();
        // The same selector in another namespace isolates nothing here.
        assertThat(allowed(List.of(policy("web", "podSelector: {}\npolicyTypes: [Ingress]")), frontend, db, 6379, "TCP")).isTrue();
        Verdict v = new NetworkPolicyEvaluator(NAMESPACES, deny).evaluate(new Connection(frontend, db, 6379, "TCP"));
        assertThat(v.toString()).contains("ingress of db/db-0 is isolated by db/p");
    }

    @Test
    void absentPolicyTypesMeanIngressPlusEgressWhenThereAreEgressRules() {
        assertThat(allowed(List.of(policy("db", "podSelector: {}")), webPod, db, 1, "TCP")).isFalse();
        List<NetworkPolicy> egressRules = List.of(policy("db", "podSelector: {matchLabels: {role: frontend}}\negress:\n- to: [{podSelector: {matchLabels: {role: db}}}]"));
        assertThat(allowed(egressRules, frontend, webPod, 80, "TCP")).isFalse();
        assertThat(allowed(egressRules, frontend, db, 80, "TCP")).isTrue();
    }

    @Test
    void peersAreOredAndSelectorsInOnePeerAreAnded() {
        List<NetworkPolicy> ored = List.of(policy("db", """
                podSelector: {matchLabels: {role: db}}
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {project: myproject}}
                  - podSelector: {matchLabels: {role: frontend}}
                """));
        assertThat(allowed(ored, webPod, db, 6379, "TCP")).isTrue();       // namespace match
        assertThat(allowed(ored, frontend, db, 6379, "TCP")).isTrue();     // same-namespace pod match
        assertThat(allowed(ored, otherPod, db, 6379, "TCP")).isFalse();    // podSelector alone means the policy's namespace

        List<NetworkPolicy> anded = List.of(policy("db", """
                podSelector: {matchLabels: {role: db}}
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {project: myproject}}
                    podSelector: {matchLabels: {role: frontend}}
                """));
        assertThat(allowed(anded, webPod, db, 6379, "TCP")).isFalse();
        assertThat(allowed(anded, frontend, db, 6379, "TCP")).isTrue();
        List<NetworkPolicy> anyNamespace = List.of(policy("db", "podSelector: {}\ningress:\n- from: [{namespaceSelector: {}}]"));
        assertThat(allowed(anyNamespace, otherPod, db, 1, "TCP")).isTrue();
        assertThat(allowed(anyNamespace, Workload.external("192.0.2.1"), db, 1, "TCP")).isFalse();
    }

    @Test
    void ipBlockWithExcept() {
        List<NetworkPolicy> p = List.of(policy("db", """
                podSelector: {}
                ingress:
                - from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}]
                """));
        assertThat(allowed(p, Workload.external("172.17.2.9"), db, 1, "TCP")).isTrue();   // an outside client in the block
        assertThat(allowed(p, Workload.external("172.17.1.9"), db, 1, "TCP")).isFalse();  // ... but not in except
        Workload inBlock = new Workload("web", "a", Map.of(), "172.17.2.9", List.of());
        Workload inExcept = new Workload("web", "b", Map.of(), "172.17.1.9", List.of());
        Workload outside = new Workload("web", "c", Map.of(), "10.0.0.1", List.of());
        assertThat(allowed(p, inBlock, db, 1, "TCP")).isTrue();
        assertThat(allowed(p, inExcept, db, 1, "TCP")).isFalse();
        assertThat(allowed(p, outside, db, 1, "TCP")).isFalse();
        List<NetworkPolicy> egress = List.of(policy("web", "podSelector: {}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 2001:db8::/64}}]"));
        assertThat(allowed(egress, webPod, Workload.external("2001:db8::1"), 443, "TCP")).isTrue();
        assertThat(allowed(egress, webPod, Workload.external("2001:db9::1"), 443, "TCP")).isFalse();
    }

    @Test
    void portsProtocolsRangesAndNamedPorts() {
        List<NetworkPolicy> p = List.of(policy("db", """
                podSelector: {}
                ingress:
                - ports:
                  - {port: 6000, endPort: 6100}
                  - {protocol: UDP, port: dns}
                  - {protocol: SCTP}
                """));
        assertThat(allowed(p, webPod, db, 6050, "TCP")).isTrue();
        assertThat(allowed(p, webPod, db, 6101, "TCP")).isFalse();
        assertThat(allowed(p, webPod, db, 6050, "UDP")).isFalse();      // protocol defaults to TCP
        assertThat(allowed(p, webPod, db, 53, "UDP")).isTrue();         // named port resolved on the destination
        assertThat(allowed(p, webPod, db, 54, "UDP")).isFalse();
        assertThat(allowed(p, webPod, db, 9999, "SCTP")).isTrue();      // no port: every port of the protocol
        List<NetworkPolicy> named = List.of(policy("db", "podSelector: {}\ningress:\n- ports: [{port: redis}]"));
        assertThat(allowed(named, webPod, db, 6379, "TCP")).isTrue();
    }

    @Test
    void namedPortOnADestinationWithoutItMatchesNothing() {
        List<NetworkPolicy> named = List.of(policy("db", "podSelector: {}\ningress:\n- ports: [{port: redis}]"));
        assertThat(allowed(named, webPod, frontend, 6379, "TCP")).isFalse();
    }

    @Test
    void bothDirectionsMustAllowAndPoliciesAreAdditive() {
        List<NetworkPolicy> policies = List.of(
                policy("web", "podSelector: {}\npolicyTypes: [Egress]"),
                policy("db", "podSelector: {}\npolicyTypes: [Ingress]\ningress: [{}]"));
        assertThat(allowed(policies, webPod, db, 1, "TCP")).isFalse();
        NetworkPolicy second = policy("web", "podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [{namespaceSelector: {matchLabels: {project: myproject}}}]}]");
        second.getMetadata().setName("p2");
        assertThat(allowed(List.of(policies.get(0), policies.get(1), second), webPod, db, 1, "TCP")).isTrue();
        assertThat(allowed(List.of(policies.get(0), second), webPod, otherPod, 1, "TCP")).isFalse();
    }
}
