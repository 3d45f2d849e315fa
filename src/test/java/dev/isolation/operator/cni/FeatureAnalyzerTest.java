package dev.isolation.operator.cni;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static dev.isolation.operator.cni.Feature.EndPort;
import static dev.isolation.operator.cni.Feature.Egress;
import static dev.isolation.operator.cni.Feature.IPBlockExcept;
import static dev.isolation.operator.cni.Feature.NamedPorts;
import static dev.isolation.operator.cni.Feature.SCTP;
import static org.assertj.core.api.Assertions.assertThat;

class FeatureAnalyzerTest {

    private static final KubernetesSerialization K8S = new KubernetesSerialization();

    private static final com.fasterxml.jackson.databind.ObjectMapper YAML =
            new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

    private static NetworkPolicySpec spec(String yaml) {
        try {
            return K8S.convertValue(YAML.readTree(yaml), NetworkPolicySpec.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("default deny ingress", "{podSelector: {}, policyTypes: [Ingress]}",
                        EnumSet.noneOf(Feature.class)),
                Arguments.of("default deny egress", "{podSelector: {}, policyTypes: [Egress]}", EnumSet.of(Egress)),
                Arguments.of("both types", "{podSelector: {}, policyTypes: [Ingress, Egress]}", EnumSet.of(Egress)),
                Arguments.of("egress rules, policyTypes absent",
                        "{podSelector: {}, egress: [{to: [{podSelector: {}}]}]}", EnumSet.of(Egress)),
                Arguments.of("empty egress list, policyTypes absent", "{podSelector: {}, egress: []}",
                        EnumSet.noneOf(Feature.class)),
                Arguments.of("egress rules but policyTypes Ingress only",
                        "{podSelector: {}, policyTypes: [Ingress], egress: [{}]}", EnumSet.noneOf(Feature.class)),
                Arguments.of("ingress rules only, no policyTypes",
                        "{podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}", EnumSet.noneOf(Feature.class)),
                Arguments.of("ipBlock with except (ingress)",
                        "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}]}]}",
                        EnumSet.of(IPBlockExcept)),
                Arguments.of("ipBlock without except", "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}",
                        EnumSet.noneOf(Feature.class)),
                Arguments.of("ipBlock with empty except",
                        "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: []}}]}]}",
                        EnumSet.noneOf(Feature.class)),
                Arguments.of("ipBlock except in egress",
                        "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}]}",
                        EnumSet.of(Egress, IPBlockExcept)),
                Arguments.of("endPort", "{podSelector: {}, ingress: [{ports: [{protocol: TCP, port: 32000, endPort: 32768}]}]}",
                        EnumSet.of(EndPort)),
                Arguments.of("SCTP", "{podSelector: {}, ingress: [{ports: [{protocol: SCTP, port: 3868}]}]}",
                        EnumSet.of(SCTP)),
                Arguments.of("UDP and TCP are baseline",
                        "{podSelector: {}, ingress: [{ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}",
                        EnumSet.noneOf(Feature.class)),
                Arguments.of("named port", "{podSelector: {}, ingress: [{ports: [{port: http}]}]}", EnumSet.of(NamedPorts)),
                Arguments.of("numeric port", "{podSelector: {}, ingress: [{ports: [{port: 8080}]}]}",
                        EnumSet.noneOf(Feature.class)),
                Arguments.of("egress SCTP named port range mix",
                        "{podSelector: {}, egress: [{ports: [{protocol: SCTP, port: diameter}, {port: 1000, endPort: 2000}]}]}",
                        EnumSet.of(Egress, SCTP, NamedPorts, EndPort)),
                Arguments.of("contract example db-ingress", """
                        {podSelector: {matchLabels: {role: db}}, policyTypes: [Ingress, Egress],
                         ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}},
                                           {namespaceSelector: {matchLabels: {project: myproject}}},
                                           {podSelector: {matchLabels: {role: frontend}}}],
                                    ports: [{protocol: TCP, port: 6379}]}],
                         egress: [{to: [{ipBlock: {cidr: 10.0.0.0/24}}], ports: [{protocol: TCP, port: 5978}]}]}
                        """, EnumSet.of(Egress, IPBlockExcept)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void featuresOfOneSpec(String label, String yaml, EnumSet<Feature> expected) {
        assertThat(FeatureAnalyzer.featuresUsed(List.of(spec(yaml)))).isEqualTo(expected);
    }

    @Test
    void unionOverSpecs() {
        assertThat(FeatureAnalyzer.featuresUsed(List.of(
                spec("{podSelector: {}, policyTypes: [Egress]}"),
                spec("{podSelector: {}, ingress: [{ports: [{port: metrics}]}]}"))))
                .containsExactly(Egress, NamedPorts);
    }

    @Test
    void nullsAreIgnored() {
        List<NetworkPolicySpec> specs = new ArrayList<>();
        specs.add(null);
        specs.add(new NetworkPolicySpec());
        assertThat(FeatureAnalyzer.featuresUsed(specs)).isEmpty();
        assertThat(FeatureAnalyzer.featuresUsed(null)).isEmpty();
        assertThat(FeatureAnalyzer.featuresUsed(List.of())).isEmpty();
    }

    @Test
    void featureNamesMatchTheContract() {
        assertThat(Stream.of(Feature.values()).map(Enum::name))
                .containsExactly("Egress", "IPBlockExcept", "EndPort", "SCTP", "NamedPorts");
    }
}
