package dev.isolation.operator.cni;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/** Which optional NetworkPolicy {@link Feature}s a set of policy specs uses. Pure function. */
public final class FeatureAnalyzer {

    private FeatureAnalyzer() {
    }

    /**
     * Features used by any of the specs.
     * <ul>
     *   <li>{@link Feature#Egress}: {@code policyTypes} contains {@code Egress}; or {@code policyTypes} is absent
     *       and there is at least one egress rule (the API server's defaulting rule).</li>
     *   <li>{@link Feature#IPBlockExcept}: an ingress/egress peer has an {@code ipBlock} with a non-empty
     *       {@code except}.</li>
     *   <li>{@link Feature#EndPort}: a port has {@code endPort}.</li>
     *   <li>{@link Feature#SCTP}: a port has protocol {@code SCTP} (case-insensitive).</li>
     *   <li>{@link Feature#NamedPorts}: a port's {@code port} is a string (a container port name).</li>
     * </ul>
     * Ingress is the baseline, not a feature. Null collections, specs and rules are ignored.
     */
    public static EnumSet<Feature> featuresUsed(Collection<NetworkPolicySpec> specs) {
        EnumSet<Feature> used = EnumSet.noneOf(Feature.class);
        if (specs == null) {
            return used;
        }
        for (NetworkPolicySpec spec : specs) {
            if (spec == null) {
                continue;
            }
            List<String> types = spec.getPolicyTypes();
            List<NetworkPolicyEgressRule> egress = nonNull(spec.getEgress());
            if (types != null && !types.isEmpty()) {
                if (types.stream().anyMatch("Egress"::equals)) {
                    used.add(Feature.Egress);
                }
            } else if (!egress.isEmpty()) {
                used.add(Feature.Egress);
            }
            for (NetworkPolicyIngressRule rule : nonNull(spec.getIngress())) {
                if (rule != null) {
                    peers(rule.getFrom(), used);
                    ports(rule.getPorts(), used);
                }
            }
            for (NetworkPolicyEgressRule rule : egress) {
                if (rule != null) {
                    peers(rule.getTo(), used);
                    ports(rule.getPorts(), used);
                }
            }
        }
        return used;
    }

    private static void peers(List<NetworkPolicyPeer> peers, EnumSet<Feature> used) {
        for (NetworkPolicyPeer peer : nonNull(peers)) {
            IPBlock block = peer == null ? null : peer.getIpBlock();
            if (block != null && block.getExcept() != null && !block.getExcept().isEmpty()) {
                used.add(Feature.IPBlockExcept);
            }
        }
    }

    private static void ports(List<NetworkPolicyPort> ports, EnumSet<Feature> used) {
        for (NetworkPolicyPort port : nonNull(ports)) {
            if (port == null) {
                continue;
            }
            if (port.getEndPort() != null) {
                used.add(Feature.EndPort);
            }
            if (port.getProtocol() != null && port.getProtocol().trim().equalsIgnoreCase("SCTP")) {
                used.add(Feature.SCTP);
            }
            IntOrString p = port.getPort();
            if (p != null && p.getIntVal() == null && p.getStrVal() != null) {
                used.add(Feature.NamedPorts);
            }
        }
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
