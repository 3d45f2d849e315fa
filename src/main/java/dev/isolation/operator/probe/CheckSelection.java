package dev.isolation.operator.probe;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.cni.Feature;
import dev.isolation.operator.cni.FeatureAnalyzer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Which checks a profile needs, from what its rendered NetworkPolicies use (the contract's table). */
public final class CheckSelection {

    private CheckSelection() {
    }

    /**
     * {@code baseline} always; {@code ingress-deny}/{@code ingress-allow} when it denies ingress;
     * {@code egress-deny}/{@code egress-allow} when it denies egress or any policy has Egress;
     * {@code end-port}, {@code named-port}, {@code udp}, {@code sctp} when a policy uses them.
     *
     * @param rendered the specs of the NetworkPolicies the profile writes (presets and {@code policies[]})
     */
    public static EnumSet<ProbeCheck> required(EffectiveSpec spec, Collection<NetworkPolicySpec> rendered) {
        EnumSet<ProbeCheck> checks = EnumSet.of(ProbeCheck.BASELINE);
        Set<Feature> features = FeatureAnalyzer.featuresUsed(rendered);
        if (spec.denyIngress()) {
            checks.add(ProbeCheck.INGRESS_DENY);
            checks.add(ProbeCheck.INGRESS_ALLOW);
        }
        if (spec.denyEgress() || features.contains(Feature.Egress)) {
            checks.add(ProbeCheck.EGRESS_DENY);
            checks.add(ProbeCheck.EGRESS_ALLOW);
        }
        if (features.contains(Feature.EndPort)) {
            checks.add(ProbeCheck.END_PORT);
        }
        if (features.contains(Feature.NamedPorts)) {
            checks.add(ProbeCheck.NAMED_PORT);
        }
        if (features.contains(Feature.SCTP)) {
            checks.add(ProbeCheck.SCTP);
        }
        if (usesUdp(rendered)) {
            checks.add(ProbeCheck.UDP);
        }
        return checks;
    }

    private static boolean usesUdp(Collection<NetworkPolicySpec> specs) {
        return specs == null ? false : specs.stream().filter(s -> s != null).flatMap(CheckSelection::ports)
                .anyMatch(p -> p != null && p.getProtocol() != null
                        && p.getProtocol().trim().toUpperCase(Locale.ROOT).equals("UDP"));
    }

    private static Stream<NetworkPolicyPort> ports(NetworkPolicySpec spec) {
        Stream<NetworkPolicyPort> in = nonNull(spec.getIngress()).stream().filter(r -> r != null)
                .map(NetworkPolicyIngressRule::getPorts).flatMap(p -> nonNull(p).stream());
        Stream<NetworkPolicyPort> out = nonNull(spec.getEgress()).stream().filter(r -> r != null)
                .map(NetworkPolicyEgressRule::getPorts).flatMap(p -> nonNull(p).stream());
        return Stream.concat(in, out);
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
