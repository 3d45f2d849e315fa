package dev.isolation.operator.render;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Specs of the preset policies. Each spec names its policyTypes explicitly: a spec with no rules
 * and no policyTypes would be defaulted by the API server to Ingress only, which would turn a
 * "known-empty" egress preset into something else entirely.
 *
 * <p>Rule lists are always non-null (possibly empty) lists, matching what Jackson produces when
 * it reads a live object back; fabric8 serialises empty lists as absent, which the API server
 * treats identically for every NetworkPolicy list field.
 */
final class Presets {

    static final String INGRESS = "Ingress";
    static final String EGRESS = "Egress";

    private Presets() {
    }

    static NetworkPolicySpec defaultDeny(boolean ingress, boolean egress) {
        return spec(ingress, egress, List.of(), List.of());
    }

    static NetworkPolicySpec sameNamespace(boolean ingress, boolean egress) {
        List<NetworkPolicyIngressRule> in = ingress
                ? List.of(ingressFrom(List.of(peer(null, null, new LabelSelector())))) : List.of();
        List<NetworkPolicyEgressRule> out = egress
                ? List.of(egressTo(List.of(peer(null, null, new LabelSelector())), List.of())) : List.of();
        return spec(ingress, egress, in, out);
    }

    /** One peer with both selectors: pods labelled k8s-app=kube-dns <em>in</em> kube-system only. */
    static NetworkPolicySpec dns() {
        NetworkPolicyPeer kubeDns = peer(null,
                matchLabels("kubernetes.io/metadata.name", "kube-system"),
                matchLabels("k8s-app", "kube-dns"));
        return spec(false, true, List.of(),
                List.of(egressTo(List.of(kubeDns), List.of(port("UDP", 53), port("TCP", 53)))));
    }

    /**
     * One egress rule per (port, protocol), allowing exactly the endpoint IPs that serve it. An
     * empty endpoint list yields no rules (allow nothing); a rule with an empty {@code to} would
     * mean "to everywhere" and is never produced.
     */
    static NetworkPolicySpec kubeApiServer(List<ApiServerEndpoint> endpoints) {
        Map<String, List<ApiServerEndpoint>> byPort = new TreeMap<>();
        for (ApiServerEndpoint e : endpoints) {
            byPort.computeIfAbsent(String.format("%05d/%s", e.port(), e.protocol()), k -> new ArrayList<>()).add(e);
        }
        List<NetworkPolicyEgressRule> rules = new ArrayList<>();
        for (List<ApiServerEndpoint> group : byPort.values()) {
            List<NetworkPolicyPeer> to = group.stream()
                    .map(e -> IpLiterals.hostCidr(e.ip()))
                    .distinct()
                    .sorted()
                    .map(Presets::ipPeer)
                    .toList();
            rules.add(egressTo(to, List.of(port(group.get(0).protocol(), group.get(0).port()))));
        }
        return spec(false, true, List.of(), rules);
    }

    /** One ingress rule from every node IP; no nodes yields no rules (allow nothing), never an empty from. */
    static NetworkPolicySpec nodes(List<String> nodeIps) {
        List<NetworkPolicyPeer> from = nodeIps.stream().map(IpLiterals::hostCidr).sorted().map(Presets::ipPeer).toList();
        List<NetworkPolicyIngressRule> rules = from.isEmpty() ? List.of() : List.of(ingressFrom(from));
        return spec(true, false, rules, List.of());
    }

    /** Selectors are deep-copied so the output never aliases the profile. The caller ensures non-empty. */
    static NetworkPolicySpec fromNamespaces(List<LabelSelector> selectors) {
        List<NetworkPolicyPeer> from = selectors.stream()
                .map(s -> peer(null, DeepCopy.of(s, LabelSelector.class), null))
                .toList();
        return spec(true, false, List.of(ingressFrom(from)), List.of());
    }

    private static NetworkPolicySpec spec(boolean ingress, boolean egress,
                                          List<NetworkPolicyIngressRule> in, List<NetworkPolicyEgressRule> out) {
        List<String> types = new ArrayList<>();
        if (ingress) {
            types.add(INGRESS);
        }
        if (egress) {
            types.add(EGRESS);
        }
        NetworkPolicySpec spec = new NetworkPolicySpec();
        spec.setPodSelector(new LabelSelector());
        spec.setPolicyTypes(types);
        spec.setIngress(new ArrayList<>(in));
        spec.setEgress(new ArrayList<>(out));
        return spec;
    }

    private static NetworkPolicyIngressRule ingressFrom(List<NetworkPolicyPeer> from) {
        NetworkPolicyIngressRule rule = new NetworkPolicyIngressRule();
        rule.setFrom(new ArrayList<>(from));
        return rule;
    }

    private static NetworkPolicyEgressRule egressTo(List<NetworkPolicyPeer> to, List<NetworkPolicyPort> ports) {
        NetworkPolicyEgressRule rule = new NetworkPolicyEgressRule();
        rule.setTo(new ArrayList<>(to));
        rule.setPorts(new ArrayList<>(ports));
        return rule;
    }

    private static NetworkPolicyPeer peer(IPBlock ipBlock, LabelSelector namespaceSelector, LabelSelector podSelector) {
        NetworkPolicyPeer peer = new NetworkPolicyPeer();
        peer.setIpBlock(ipBlock);
        peer.setNamespaceSelector(namespaceSelector);
        peer.setPodSelector(podSelector);
        return peer;
    }

    private static NetworkPolicyPeer ipPeer(String cidr) {
        IPBlock block = new IPBlock();
        block.setCidr(cidr);
        return peer(block, null, null);
    }

    private static LabelSelector matchLabels(String key, String value) {
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(new TreeMap<>(Map.of(key, value)));
        return selector;
    }

    private static NetworkPolicyPort port(String protocol, int number) {
        NetworkPolicyPort port = new NetworkPolicyPort();
        port.setProtocol(protocol);
        port.setPort(new IntOrString(number));
        return port;
    }
}
