package dev.isolation.operator.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.isolation.operator.cni.Feature.EndPort;
import static dev.isolation.operator.cni.Feature.Egress;
import static dev.isolation.operator.cni.Feature.IPBlockExcept;
import static dev.isolation.operator.cni.Feature.NamedPorts;
import static dev.isolation.operator.cni.Feature.SCTP;
import static org.assertj.core.api.Assertions.assertThat;

class EnforcementAssessorTest {

    private static final CapabilityCatalog CATALOG = CapabilityCatalog.builtIn();

    private static CniVerdict verdict(String cni, String version, String from) {
        return new CniVerdict(cni, version, from, CATALOG.lookup(cni, version), false);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // cni, version, features used, status, reason, unsupported
                Arguments.of("calico", "v3.32.1", EnumSet.allOf(Feature.class), "True", "CNIEnforces", List.of()),
                Arguments.of("calico", "v3.32.1", EnumSet.noneOf(Feature.class), "True", "CNIEnforces", List.of()),
                Arguments.of("calico", "v3.12.0", EnumSet.of(EndPort), "False", "FeatureUnsupported", List.of(EndPort)),
                Arguments.of("calico", "v3.19.0", EnumSet.of(EndPort), "Unknown", "FeatureSupportUnknown", List.of()),
                Arguments.of("cilium", "v1.15.6", EnumSet.of(EndPort), "False", "FeatureUnsupported", List.of(EndPort)),
                Arguments.of("cilium", "v1.16.0", EnumSet.of(EndPort), "True", "CNIEnforces", List.of()),
                Arguments.of("cilium", "v1.16.0", EnumSet.of(SCTP), "False", "FeatureUnsupported", List.of(SCTP)),
                Arguments.of("cilium", "v1.16.0", EnumSet.of(Egress, IPBlockExcept, NamedPorts), "True", "CNIEnforces",
                        List.of()),
                Arguments.of("cilium", "v1.8.0", EnumSet.of(NamedPorts), "Unknown", "FeatureSupportUnknown", List.of()),
                Arguments.of("weave", "2.3.0", EnumSet.of(Egress), "False", "FeatureUnsupported", List.of(Egress)),
                Arguments.of("weave", "2.8.1", EnumSet.of(Egress), "True", "CNIEnforces", List.of()),
                Arguments.of("weave", "2.8.1", EnumSet.of(NamedPorts, EndPort), "False", "FeatureUnsupported",
                        List.of(EndPort, NamedPorts)),
                Arguments.of("weave", "2.8.1", EnumSet.of(IPBlockExcept), "Unknown", "FeatureSupportUnknown", List.of()),
                Arguments.of("weave", "2.8.1", EnumSet.of(NamedPorts, SCTP), "False", "FeatureUnsupported",
                        List.of(NamedPorts)),
                Arguments.of("flannel", "v0.28.9", EnumSet.noneOf(Feature.class), "False", "CNIDoesNotEnforce", List.of()),
                Arguments.of("flannel", "v0.28.9", EnumSet.of(SCTP, Egress), "False", "CNIDoesNotEnforce",
                        List.of(Egress, SCTP)),
                Arguments.of("kindnet", "v20240513-cd2ac642", EnumSet.noneOf(Feature.class), "False",
                        "CNIDoesNotEnforce", List.of()),
                Arguments.of("kindnet", "v20240813-c6f155d6", EnumSet.of(Egress, EndPort), "True", "CNIEnforces",
                        List.of()),
                Arguments.of("kindnet", "v1.8.5", EnumSet.noneOf(Feature.class), "Unknown", "CNIEnforcementUnknown",
                        List.of()),
                Arguments.of("kube-router", "v2.1.3", EnumSet.of(SCTP), "False", "FeatureUnsupported", List.of(SCTP)),
                Arguments.of("kube-router", "v2.1.3", EnumSet.of(Egress, EndPort, NamedPorts, IPBlockExcept), "True",
                        "CNIEnforces", List.of()),
                Arguments.of("k3s", "v1.30.4+k3s1", EnumSet.of(EndPort), "Unknown", "FeatureSupportUnknown", List.of()),
                Arguments.of("azure-npm", "v1.5.34", EnumSet.of(EndPort), "False", "FeatureUnsupported", List.of(EndPort)),
                Arguments.of("azure-npm", "v1.5.34", EnumSet.of(Egress, NamedPorts), "True", "CNIEnforces", List.of()),
                Arguments.of("aws-vpc-cni", "v1.18.3", EnumSet.of(Egress), "True", "CNIEnforces", List.of()),
                Arguments.of("aws-vpc-cni", "v1.18.3", EnumSet.of(IPBlockExcept), "Unknown", "FeatureSupportUnknown",
                        List.of()),
                Arguments.of("antrea", "v2.1.0", EnumSet.allOf(Feature.class), "True", "CNIEnforces", List.of()),
                Arguments.of("ovn-kubernetes", null, EnumSet.of(SCTP), "Unknown", "FeatureSupportUnknown", List.of()),
                Arguments.of("kube-ovn", "v1.13.0", EnumSet.of(Egress), "True", "CNIEnforces", List.of()),
                Arguments.of("gke-dataplane-v2", null, EnumSet.of(EndPort), "Unknown", "FeatureSupportUnknown", List.of()),
                Arguments.of("canal", "v3.26.1", EnumSet.allOf(Feature.class), "True", "CNIEnforces", List.of()));
    }

    @ParameterizedTest(name = "{0} {1} uses {2} -> {3}/{4}")
    @MethodSource("table")
    void decides(String cni, String version, Set<Feature> used, String status, String reason, List<Feature> unsupported) {
        Enforcement e = EnforcementAssessor.assess(verdict(cni, version, "DaemonSet kube-system/x"), used);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.unsupported()).isEqualTo(unsupported);
        assertThat(e.message()).startsWith(cni).contains("(DaemonSet kube-system/x)");
        if (version != null) {
            assertThat(e.message()).startsWith(cni + " " + version + " (");
        }
    }

    @Test
    void contractMessageForFlannel() {
        Enforcement e = EnforcementAssessor.assess(verdict("flannel", "v0.25.1", "DaemonSet kube-system/kube-flannel-ds"),
                Set.of());
        assertThat(e).isEqualTo(new Enforcement("False", "CNIDoesNotEnforce",
                "flannel v0.25.1 (DaemonSet kube-system/kube-flannel-ds) does not implement NetworkPolicy; "
                        + "policies are stored but not enforced", List.of()));
    }

    @Test
    void featureUnsupportedMessageNamesFeaturesAndUnknowns() {
        Enforcement e = EnforcementAssessor.assess(verdict("weave", "2.8.1", "DaemonSet kube-system/weave-net"),
                EnumSet.of(NamedPorts, SCTP));
        assertThat(e.message()).isEqualTo("weave 2.8.1 (DaemonSet kube-system/weave-net) enforces NetworkPolicy but "
                + "not NamedPorts used by this profile, so those rules are not enforced as written, and support for "
                + "SCTP is unknown (weave-npc does not support named ports (weaveworks/weave#3032))");
        assertThat(e.unsupportedNames()).containsExactly("NamedPorts");
    }

    @Test
    void enforcesMessageListsUsedFeatures() {
        Enforcement e = EnforcementAssessor.assess(verdict("calico", "v3.32.1", "DaemonSet kube-system/calico-node"),
                EnumSet.of(NamedPorts, Egress));
        assertThat(e.message()).isEqualTo("calico v3.32.1 (DaemonSet kube-system/calico-node) enforces NetworkPolicy "
                + "including Egress, NamedPorts used by this profile");
    }

    @Test
    void unknownCni() {
        Enforcement e = EnforcementAssessor.assess(CniVerdict.UNKNOWN, EnumSet.of(Egress));
        assertThat(e.status()).isEqualTo("Unknown");
        assertThat(e.reason()).isEqualTo("UnknownCNI");
        assertThat(e.unsupported()).isEmpty();
        assertThat(e.message()).isEqualTo("No known CNI was recognised in the cluster, so whether NetworkPolicy is "
                + "enforced cannot be determined");
        assertThat(EnforcementAssessor.assess(null, null).reason()).isEqualTo("UnknownCNI");
        Enforcement hint = EnforcementAssessor.assess(
                CniVerdict.unknown("DaemonSet kube-system/kube-network-policies", null), Set.of());
        assertThat(hint.message()).contains("(found only DaemonSet kube-system/kube-network-policies)");
    }

    @Test
    void unknownVersionWithoutLocationStillReadable() {
        Enforcement e = EnforcementAssessor.assess(new CniVerdict("cilium", null, null,
                CATALOG.lookup("cilium", null), false), EnumSet.of(Egress));
        assertThat(e.status()).isEqualTo("True");
        assertThat(e.message()).startsWith("cilium enforces NetworkPolicy");
    }

    @Test
    void awsAgentOffMessageExplainsWhy() {
        CniVerdict v = CniDetector.detect(Manifests.minimal("aws-vpc-cni-agent-off"), CATALOG, SystemNamespaces.DEFAULT);
        Enforcement e = EnforcementAssessor.assess(v, EnumSet.of(Egress));
        assertThat(e.reason()).isEqualTo("CNIDoesNotEnforce");
        assertThat(e.unsupported()).containsExactly(Egress);
        assertThat(e.message()).startsWith("aws-vpc-cni v1.18.3-eksbuild.1 (DaemonSet kube-system/aws-node")
                .endsWith("does not implement NetworkPolicy; policies are stored but not enforced "
                        + "(NetworkPolicy enforcement switched off: the VPC CNI network policy agent runs without "
                        + "--enable-network-policy=true)");
    }

    @Test
    void verdictRejectsNamesOutsideTheContract() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CniVerdict("kube-network-policies", null, null,
                null, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
