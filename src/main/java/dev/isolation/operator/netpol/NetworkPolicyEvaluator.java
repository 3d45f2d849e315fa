package dev.isolation.operator.netpol;

import dev.isolation.operator.render.NamespaceSelection;
import dev.isolation.operator.validation.Cidr;
import dev.isolation.operator.validation.KubernetesSyntax;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Standard NetworkPolicy semantics (networking.k8s.io/v1), evaluated in memory.
 *
 * <ul>
 *   <li>A pod is isolated for a direction when a policy in its namespace selects it and has that
 *       policy type (absent {@code policyTypes}: Ingress, plus Egress when it has egress rules).
 *       A non-isolated direction allows everything.</li>
 *   <li>An isolated direction allows a connection when any rule of any selecting policy matches
 *       both a peer and a port (rules are OR-ed; policies are additive).</li>
 *   <li>Peers: empty/absent list = everyone. {@code podSelector} alone = pods in the policy's
 *       namespace; {@code namespaceSelector} alone = every pod of the matching namespaces; both in
 *       one peer = AND. {@code ipBlock} matches the address literally (CIDR minus {@code except});
 *       whether a CNI applies ipBlock to pod IPs is implementation-defined.</li>
 *   <li>Ports: empty/absent list = all ports and protocols; protocol defaults to TCP; no port =
 *       every port of the protocol; {@code endPort} makes a range; a named port is resolved on the
 *       destination pod's declared container ports (name and protocol).</li>
 * </ul>
 * Connections to a destination outside the pods (null namespace) check only egress; the
 * destination's ingress is then not the cluster's to judge.
 */
public final class NetworkPolicyEvaluator {

    private final Map<String, Map<String, String>> namespaceLabels;
    private final List<NetworkPolicy> policies;

    /**
     * @param namespaceLabels labels of every namespace, by name (a missing namespace matches no namespaceSelector)
     * @param policies        every NetworkPolicy that may apply
     */
    public NetworkPolicyEvaluator(Map<String, Map<String, String>> namespaceLabels, Collection<NetworkPolicy> policies) {
        this.namespaceLabels = Map.copyOf(namespaceLabels);
        this.policies = List.copyOf(policies);
    }

    public Verdict evaluate(Connection connection) {
        List<String> explanation = new ArrayList<>();
        boolean egress = egressAllowed(connection, explanation);
        boolean ingress = !connection.destination().isPod() || ingressAllowed(connection, explanation);
        return new Verdict(egress && ingress, explanation);
    }

    private boolean egressAllowed(Connection c, List<String> explanation) {
        Workload src = c.source();
        List<NetworkPolicy> selecting = selecting(src, "Egress");
        if (selecting.isEmpty()) {
            explanation.add("egress of " + src + " is not isolated");
            return true;
        }
        for (NetworkPolicy policy : selecting) {
            List<NetworkPolicyEgressRule> rules = nonNull(policy.getSpec().getEgress());
            for (int i = 0; i < rules.size(); i++) {
                NetworkPolicyEgressRule rule = rules.get(i);
                if (rule != null && peersMatch(rule.getTo(), c.destination(), policy) && portsMatch(rule.getPorts(), c)) {
                    explanation.add("egress allowed by " + id(policy) + " egress[" + i + "]");
                    return true;
                }
            }
        }
        explanation.add("egress of " + src + " is isolated by " + ids(selecting) + " and no egress rule allows "
                + c.destination() + ":" + c.port() + "/" + c.protocol());
        return false;
    }

    private boolean ingressAllowed(Connection c, List<String> explanation) {
        Workload dst = c.destination();
        List<NetworkPolicy> selecting = selecting(dst, "Ingress");
        if (selecting.isEmpty()) {
            explanation.add("ingress of " + dst + " is not isolated");
            return true;
        }
        for (NetworkPolicy policy : selecting) {
            List<NetworkPolicyIngressRule> rules = nonNull(policy.getSpec().getIngress());
            for (int i = 0; i < rules.size(); i++) {
                NetworkPolicyIngressRule rule = rules.get(i);
                if (rule != null && peersMatch(rule.getFrom(), c.source(), policy) && portsMatch(rule.getPorts(), c)) {
                    explanation.add("ingress allowed by " + id(policy) + " ingress[" + i + "]");
                    return true;
                }
            }
        }
        explanation.add("ingress of " + dst + " is isolated by " + ids(selecting) + " and no ingress rule allows "
                + c.source() + " on " + c.port() + "/" + c.protocol());
        return false;
    }

    /** Policies in the workload's namespace that select it and have the given type. */
    private List<NetworkPolicy> selecting(Workload workload, String type) {
        if (!workload.isPod()) {
            return List.of();
        }
        return policies.stream()
                .filter(p -> p != null && p.getSpec() != null && p.getMetadata() != null)
                .filter(p -> workload.namespace().equals(p.getMetadata().getNamespace()))
                .filter(p -> p.getSpec().getPodSelector() != null
                        && NamespaceSelection.matches(p.getSpec().getPodSelector(), workload.labels()))
                .filter(p -> effectiveTypes(p.getSpec()).contains(type))
                .toList();
    }

    /** The API server's defaulting of policyTypes. */
    static List<String> effectiveTypes(NetworkPolicySpec spec) {
        if (spec.getPolicyTypes() != null && !spec.getPolicyTypes().isEmpty()) {
            return spec.getPolicyTypes();
        }
        return spec.getEgress() != null && !spec.getEgress().isEmpty() ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private boolean peersMatch(List<NetworkPolicyPeer> peers, Workload other, NetworkPolicy policy) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(peer -> peer != null && peerMatches(peer, other, policy));
    }

    private boolean peerMatches(NetworkPolicyPeer peer, Workload other, NetworkPolicy policy) {
        if (peer.getIpBlock() != null) {
            return ipBlockMatches(peer.getIpBlock(), other.ip());
        }
        if (peer.getPodSelector() == null && peer.getNamespaceSelector() == null) {
            return false;
        }
        if (!other.isPod()) {
            return false;
        }
        boolean namespaceOk = peer.getNamespaceSelector() == null
                ? other.namespace().equals(policy.getMetadata().getNamespace())
                : namespaceLabels.containsKey(other.namespace())
                  && NamespaceSelection.matches(peer.getNamespaceSelector(), namespaceLabels.get(other.namespace()));
        boolean podOk = peer.getPodSelector() == null || NamespaceSelection.matches(peer.getPodSelector(), other.labels());
        return namespaceOk && podOk;
    }

    static boolean ipBlockMatches(IPBlock block, String ip) {
        Optional<Cidr> address = hostCidr(ip);
        Optional<Cidr> cidr = KubernetesSyntax.parseCidr(block.getCidr());
        if (address.isEmpty() || cidr.isEmpty() || !contains(cidr.get(), address.get())) {
            return false;
        }
        return nonNull(block.getExcept()).stream().map(KubernetesSyntax::parseCidr)
                .noneMatch(except -> except.isPresent() && contains(except.get(), address.get()));
    }

    private static Optional<Cidr> hostCidr(String ip) {
        if (ip == null || ip.isBlank()) {
            return Optional.empty();
        }
        return KubernetesSyntax.parseCidr(ip + (ip.contains(":") ? "/128" : "/32"));
    }

    private static boolean contains(Cidr network, Cidr host) {
        return network.strictlyContains(host) || network.masked().equals(host.masked());
    }

    private static boolean portsMatch(List<NetworkPolicyPort> ports, Connection c) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(p -> p != null && portMatches(p, c));
    }

    private static boolean portMatches(NetworkPolicyPort port, Connection c) {
        String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol().toUpperCase(Locale.ROOT);
        if (!protocol.equals(c.protocol())) {
            return false;
        }
        IntOrString value = port.getPort();
        if (value == null || (value.getIntVal() == null && value.getStrVal() == null)) {
            return true;
        }
        if (value.getIntVal() != null) {
            int start = value.getIntVal();
            int end = port.getEndPort() == null ? start : port.getEndPort();
            return c.port() >= start && c.port() <= end;
        }
        // A named port means the destination pod's container port of that name and protocol.
        for (ContainerPort declared : c.destination().ports()) {
            String declaredProtocol = declared.getProtocol() == null ? "TCP" : declared.getProtocol().toUpperCase(Locale.ROOT);
            if (value.getStrVal().equals(declared.getName()) && protocol.equals(declaredProtocol)
                    && declared.getContainerPort() != null && declared.getContainerPort() == c.port()) {
                return true;
            }
        }
        return false;
    }

    private static String id(NetworkPolicy policy) {
        return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
    }

    private static String ids(List<NetworkPolicy> selecting) {
        return String.join(", ", selecting.stream().map(NetworkPolicyEvaluator::id).toList());
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
