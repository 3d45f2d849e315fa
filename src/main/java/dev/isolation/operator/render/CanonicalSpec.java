package dev.isolation.operator.render;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A NetworkPolicySpec as the API server would store it, for drift comparison. Folds in what
 * Kubernetes defaulting and JSON {@code omitempty} change without changing meaning:
 * <ul>
 *   <li>null and empty lists/maps are the same (the server omits empty lists; fabric8 reads them back as empty);</li>
 *   <li>a missing spec.podSelector is {@code {}} (it is a non-pointer struct on the server);</li>
 *   <li>a port without protocol is TCP (SetDefaults_NetworkPolicyPort);</li>
 *   <li>empty policyTypes become [Ingress] plus Egress if there are egress rules (SetDefaults_NetworkPolicy),
 *       and policyTypes compare as a set.</li>
 * </ul>
 * Deliberately <em>not</em> folded: a null vs {@code {}} peer selector (different meaning: "this
 * namespace" vs "all namespaces"), list order of rules/peers/ports (the server preserves it), and
 * int vs string ports. Unknown fields (fabric8 additionalProperties) are ignored: the CRD schema and
 * the API server prune them, so comparing them could only cause endless rewrites.
 */
record CanonicalSpec(Selector podSelector, Set<String> policyTypes, List<Rule> ingress, List<Rule> egress) {

    record Selector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
    }

    record Requirement(String key, String operator, List<String> values) {
    }

    record Rule(List<Peer> peers, List<Port> ports) {
    }

    record Peer(Block ipBlock, Selector namespaceSelector, Selector podSelector) {
    }

    record Block(String cidr, List<String> except) {
    }

    /** port is the IntOrString's raw value (Integer or String) so 80 and "80" stay distinct. */
    record Port(String protocol, Object port, Integer endPort) {
    }

    static CanonicalSpec of(NetworkPolicySpec spec) {
        NetworkPolicySpec s = spec == null ? new NetworkPolicySpec() : spec;
        List<Rule> ingress = map(s.getIngress(), (NetworkPolicyIngressRule r) -> rule(r.getFrom(), r.getPorts()));
        List<Rule> egress = map(s.getEgress(), (NetworkPolicyEgressRule r) -> rule(r.getTo(), r.getPorts()));
        Set<String> types = new TreeSet<>(nonNull(s.getPolicyTypes()));
        if (types.isEmpty()) {
            types.add(Presets.INGRESS);
            if (!egress.isEmpty()) {
                types.add(Presets.EGRESS);
            }
        }
        Selector podSelector = s.getPodSelector() == null ? selector(new LabelSelector()) : selector(s.getPodSelector());
        return new CanonicalSpec(podSelector, types, ingress, egress);
    }

    private static Rule rule(List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
        return new Rule(map(peers, CanonicalSpec::peer), map(ports, CanonicalSpec::port));
    }

    private static Peer peer(NetworkPolicyPeer p) {
        if (p == null) {
            return null;
        }
        IPBlock b = p.getIpBlock();
        return new Peer(b == null ? null : new Block(b.getCidr(), List.copyOf(nonNull(b.getExcept()))),
                selector(p.getNamespaceSelector()), selector(p.getPodSelector()));
    }

    private static Port port(NetworkPolicyPort p) {
        if (p == null) {
            return null;
        }
        IntOrString port = p.getPort();
        return new Port(p.getProtocol() == null ? "TCP" : p.getProtocol(),
                port == null ? null : port.getValue(), p.getEndPort());
    }

    private static Selector selector(LabelSelector s) {
        if (s == null) {
            return null;
        }
        Map<String, String> labels = s.getMatchLabels() == null ? Map.of() : new TreeMap<>(s.getMatchLabels());
        return new Selector(labels, map(s.getMatchExpressions(),
                (LabelSelectorRequirement r) -> new Requirement(r.getKey(), r.getOperator(), nonNull(r.getValues()))));
    }

    private static <A, B> List<B> map(List<A> list, Function<A, B> f) {
        List<B> out = new ArrayList<>();
        for (A a : nonNull(list)) {
            out.add(a == null ? null : f.apply(a));
        }
        return out;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
