package dev.isolation.operator.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapabilityCatalogTest {

    private static final CapabilityCatalog BUILT_IN = CapabilityCatalog.builtIn();

    @Test
    void builtInLoadsEveryCniName() {
        assertThat(BUILT_IN.keys()).containsExactlyInAnyOrderElementsOf(CapabilityCatalog.KEYS);
        assertThat(CapabilityCatalog.KEYS).doesNotContain("unknown").contains("kube-network-policies");
        assertThat(CapabilityCatalog.builtIn()).isSameAs(BUILT_IN);
    }

    @Test
    void builtInResourceIsValidWhenParsedStrictly() throws Exception {
        String yaml = new String(CapabilityCatalog.class.getResourceAsStream("/cni-capabilities.yaml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(CapabilityCatalog.parse(yaml).keySet()).hasSize(CapabilityCatalog.KEYS.size());
    }

    @ParameterizedTest(name = "cilium {0} endPort={1}")
    @CsvSource({
            "v1.15.0, NO", "1.15.7, NO", "v1.15.99-rc.1, NO", "1.16.0, YES", "v1.16.0, YES", "1.16, YES",
            "v1.16.0-rc.0, YES", "v1.16.1, YES", "v1.17.2, YES", "latest, YES", "LATEST, YES", "v2.0.0, YES"})
    void ciliumEndPortBoundaryAt116(String version, Support endPort) {
        assertThat(BUILT_IN.lookup("cilium", version).endPort()).isEqualTo(endPort);
    }

    @ParameterizedTest(name = "{0} {1} -> ingress {2}")
    @CsvSource({
            // maxVersion exclusive / minVersion inclusive
            "kindnet, v20240812-aaaa, NO", "kindnet, v20240813-c6f155d6, YES", "kindnet, v20240813, YES",
            "kindnet, v20230511-dc714da8, NO",
            "aws-vpc-cni, v1.13.99, NO", "aws-vpc-cni, v1.14.0, YES", "aws-vpc-cni, v1.18.3-eksbuild.1, YES",
            "weave, 1.7.9, UNKNOWN", "weave, 1.8.0, YES", "weave, 2.8.1, YES",
            "cilium, 0.9.0, UNKNOWN", "cilium, 1.0.0, YES",
            "flannel, v0.28.9, NO", "flannel, latest, NO",
            "calico, v2.5.9, UNKNOWN", "calico, v2.6.0, YES", "calico, v3.32.1, YES",
            "k3s, v1.30.4+k3s1, YES", "nonexistent, 1.0, UNKNOWN"})
    void ingressByVersionRange(String cni, String version, Support ingress) {
        assertThat(BUILT_IN.lookup(cni, version).ingress()).isEqualTo(ingress);
    }

    @ParameterizedTest(name = "weave {0}: egress={1} legacy={2}")
    @CsvSource({"1.9.4, NO, true", "v1.9.4, NO, true", "2.0.0, NO, false", "2.3.9, NO, false", "2.4.0, YES, false",
            "latest, YES, false"})
    void weaveEgressAndLegacyAnnotation(String version, Support egress, boolean legacy) {
        Capabilities c = BUILT_IN.lookup("weave", version);
        assertThat(c.egress()).isEqualTo(egress);
        assertThat(c.readsLegacyAnnotation()).isEqualTo(legacy);
    }

    @ParameterizedTest(name = "calico {0}: endPort={1} sctp={2}")
    @CsvSource({"v3.12.0, NO, UNKNOWN", "v3.13.0, UNKNOWN, YES", "v3.19.4, UNKNOWN, YES", "v3.20.0, YES, YES"})
    void calicoEndPortAndSctp(String version, Support endPort, Support sctp) {
        Capabilities c = BUILT_IN.lookup("calico", version);
        assertThat(c.endPort()).isEqualTo(endPort);
        assertThat(c.sctp()).isEqualTo(sctp);
    }

    @Test
    void unknownVersionKeepsOnlyWhatAllRangesAgreeOn() {
        Capabilities c = BUILT_IN.lookup("calico", null);
        assertThat(c.ingress()).isEqualTo(Support.YES);
        assertThat(c.egress()).isEqualTo(Support.YES);
        assertThat(c.endPort()).isEqualTo(Support.UNKNOWN);
        assertThat(c.note()).contains("version unknown");
        assertThat(BUILT_IN.lookup("cilium", "master").endPort()).isEqualTo(Support.UNKNOWN);
        assertThat(BUILT_IN.lookup("cilium", "master").ingress()).isEqualTo(Support.YES);
        // a single open range applies whatever the version
        assertThat(BUILT_IN.lookup("ovn-kubernetes", null).namedPorts()).isEqualTo(Support.YES);
    }

    @Test
    void latestMatchesOnlyAnOpenEndedRange() throws Exception {
        CapabilityCatalog c = BUILT_IN.withOverrides("""
                cilium:
                  - maxVersion: "2.0"
                    ingress: true
                """);
        assertThat(c.lookup("cilium", "1.5").ingress()).isEqualTo(Support.YES);
        assertThat(c.lookup("cilium", "latest").ingress()).isEqualTo(Support.UNKNOWN);
        assertThat(c.lookup("cilium", "2.0").ingress()).isEqualTo(Support.UNKNOWN);
    }

    @Test
    void omittedFeaturesAreUnknown() throws Exception {
        Capabilities c = BUILT_IN.withOverrides("antrea:\n  - ingress: true\n").lookup("antrea", "v2.0.0");
        assertThat(c.ingress()).isEqualTo(Support.YES);
        assertThat(c.egress()).isEqualTo(Support.UNKNOWN);
        assertThat(c.namedPorts()).isEqualTo(Support.UNKNOWN);
        assertThat(c.readsLegacyAnnotation()).isFalse();
    }

    @Test
    void overrideReplacesOnlyTheNamedCni() throws Exception {
        CapabilityCatalog o = BUILT_IN.withOverrides("""
                # cluster runs Cilium with sctp.enabled=true
                cilium:
                  - minVersion: "1.14.0"
                    ingress: true
                    egress: true
                    ipBlockExcept: true
                    endPort: false
                    sctp: true
                    namedPorts: true
                    note: "SCTP enabled by the platform team"
                """);
        Capabilities c = o.lookup("cilium", "v1.15.6");
        assertThat(c.sctp()).isEqualTo(Support.YES);
        assertThat(c.note()).isEqualTo("SCTP enabled by the platform team");
        // the built-in 1.16 range is gone: the override list replaced all cilium entries
        assertThat(o.lookup("cilium", "v1.16.1").endPort()).isEqualTo(Support.NO);
        assertThat(o.lookup("cilium", "v1.13.0").ingress()).isEqualTo(Support.UNKNOWN);
        // others untouched, and the original catalog unchanged
        assertThat(o.lookup("calico", "v3.32.1")).isEqualTo(BUILT_IN.lookup("calico", "v3.32.1"));
        assertThat(BUILT_IN.lookup("cilium", "v1.15.6").sctp()).isEqualTo(Support.NO);
    }

    @Test
    void overrideCanMarkAllUnknownWithEmptyList() throws Exception {
        CapabilityCatalog o = BUILT_IN.withOverrides("flannel: []");
        assertThat(o.lookup("flannel", "v0.28.9").ingress()).isEqualTo(Support.UNKNOWN);
    }

    @Test
    void emptyOverridesChangeNothing() throws Exception {
        assertThat(BUILT_IN.withOverrides(null)).isSameAs(BUILT_IN);
        assertThat(BUILT_IN.withOverrides("  \n")).isSameAs(BUILT_IN);
        assertThat(BUILT_IN.withOverrides("# only a comment\n")).isSameAs(BUILT_IN);
    }

    @Test
    void overrideAffectsDetection() throws Exception {
        CapabilityCatalog o = BUILT_IN.withOverrides("flannel:\n  - ingress: true\n    egress: true\n");
        CniVerdict v = CniDetector.detect(Manifests.real("flannel"), o, SystemNamespaces.DEFAULT);
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
    }

    static Stream<Arguments> invalidOverrides() {
        return Stream.of(
                Arguments.of("cilium:\n  - endPort: maybe\n", "cilium[0].endPort",
                        "cilium[0].endPort: expected true|false|unknown, got 'maybe'"),
                Arguments.of("cilium:\n  - ingress: true\n  - endport: true\n", "cilium[1].endport",
                        "cilium[1].endport: unknown field"),
                Arguments.of("cilium:\n  - minVersion: \"one.two\"\n", "cilium[0].minVersion",
                        "cilium[0].minVersion: invalid version 'one.two'"),
                Arguments.of("cilium:\n  - maxVersion: 1.10\n", "cilium[0].maxVersion",
                        "cilium[0].maxVersion: version 1.1 is a YAML number"),
                Arguments.of("cilium:\n  - minVersion: latest\n", "cilium[0].minVersion",
                        "cilium[0].minVersion: invalid version 'latest'"),
                Arguments.of("cilium:\n  - minVersion: \"1.16\"\n    maxVersion: \"1.16.0\"\n", "cilium[0]",
                        "cilium[0]: minVersion 1.16 must be lower than maxVersion 1.16.0"),
                Arguments.of("cilium:\n  - minVersion: \"1.0\"\n    maxVersion: \"1.17\"\n  - minVersion: \"1.16\"\n",
                        "cilium[1]", "cilium[1]: version range [1.16, ) overlaps cilium[0] [1.0, 1.17)"),
                Arguments.of("ciliumm:\n  - ingress: true\n", "ciliumm", "ciliumm: unknown CNI; expected one of calico"),
                Arguments.of("unknown:\n  - ingress: true\n", "unknown", "unknown: unknown CNI"),
                Arguments.of("cilium: true\n", "cilium", "cilium: expected a list of version ranges, got 'true'"),
                Arguments.of("cilium:\n  - true\n", "cilium[0]", "cilium[0]: expected a mapping"),
                Arguments.of("cilium:\n  - sctp: [true]\n", "cilium[0].sctp",
                        "cilium[0].sctp: expected true|false|unknown, got a list"),
                Arguments.of("cilium:\n  - sctp: 1\n", "cilium[0].sctp", "cilium[0].sctp: expected true|false|unknown, got '1'"),
                Arguments.of("weave:\n  - readsLegacyAnnotation: \"yes\"\n", "weave[0].readsLegacyAnnotation",
                        "weave[0].readsLegacyAnnotation: expected true|false, got 'yes'"),
                Arguments.of("weave:\n  - note: {a: b}\n", "weave[0].note", "weave[0].note: expected a string"),
                Arguments.of("- cilium\n", "(document)", "(document): expected a mapping of CNI name"),
                Arguments.of("cilium:\n  - ingress: true\ncilium: []\n", "(document)", "(document): not valid YAML"),
                Arguments.of("cilium: [\n", "(document)", "(document): not valid YAML (line"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidOverrides")
    void invalidOverridesAreRejectedWithPath(String yaml, String path, String messageStart) {
        assertThatThrownBy(() -> BUILT_IN.withOverrides(yaml))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith(messageStart)
                .satisfies(e -> assertThat(((CatalogException) e).path()).isEqualTo(path));
    }

    @Test
    void caseInsensitiveValuesAndQuotedBooleansAreAccepted() throws Exception {
        Capabilities c = BUILT_IN.withOverrides("""
                antrea:
                  - ingress: "TRUE"
                    egress: Unknown
                    sctp: "false"
                """).lookup("antrea", "1.0");
        assertThat(c.ingress()).isEqualTo(Support.YES);
        assertThat(c.egress()).isEqualTo(Support.UNKNOWN);
        assertThat(c.sctp()).isEqualTo(Support.NO);
    }
}
