package dev.isolation.operator.validation;

import dev.isolation.operator.ContractExample;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NetworkPolicySpecValidatorTest {

    private static final String P = "spec.policies[0].spec";

    /** The db-ingress policy of the contract (shared/design/api.md). */
    static final String SEED = ContractExample.yamlAt("/spec/policies/0/spec");


    private static List<FieldError> validate(String yaml) {
        return NetworkPolicySpecValidator.validate(P, TestYaml.parse(yaml, NetworkPolicySpec.class));
    }

    @Test
    void contractSeedExampleIsValid() {
        assertThat(validate(SEED)).isEmpty();
    }

    @Test
    void seedBuiltWithFabric8BuildersIsValid() {
        // Same policy as SEED, built the way renderers build it, so no YAML quirk can hide a problem.
        NetworkPolicySpec spec = new NetworkPolicySpecBuilder()
                .withNewPodSelector().addToMatchLabels("role", "db").endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress()
                    .addNewFrom().withNewIpBlock().withCidr("172.17.0.0/16").withExcept("172.17.1.0/24").endIpBlock().endFrom()
                    .addNewFrom().withNewNamespaceSelector().addToMatchLabels("project", "myproject").endNamespaceSelector().endFrom()
                    .addNewFrom().withNewPodSelector().addToMatchLabels("role", "frontend").endPodSelector().endFrom()
                    .addNewPort().withProtocol("TCP").withPort(new IntOrString(6379)).endPort()
                .endIngress()
                .addNewEgress()
                    .addNewTo().withNewIpBlock().withCidr("10.0.0.0/24").endIpBlock().endTo()
                    .addNewPort().withProtocol("TCP").withPort(new IntOrString(5978)).endPort()
                .endEgress()
                .build();
        assertThat(NetworkPolicySpecValidator.validate(P, spec)).isEmpty();
        assertThat(spec).isEqualTo(TestYaml.parse(SEED, NetworkPolicySpec.class));
    }

    static Stream<Arguments> validSpecs() {
        return Stream.of(
                arguments("empty podSelector, no rules (deny all ingress)", "podSelector: {}"),
                arguments("deny all egress", "podSelector: {}\npolicyTypes: [Egress]"),
                arguments("allow all ingress: one empty rule", "podSelector: {}\ningress: [{}]"),
                arguments("rule with empty ports and peers lists", "podSelector: {}\ningress: [{from: [], ports: []}]"),
                arguments("pod and namespace selector in one peer", """
                        podSelector: {}
                        ingress:
                        - from: [{podSelector: {matchLabels: {app: web}}, namespaceSelector: {matchLabels: {team: a}}}]
                        """),
                arguments("empty selectors as peers", "podSelector: {}\ningress: [{from: [{podSelector: {}}, {namespaceSelector: {}}]}]"),
                arguments("named port", "podSelector: {}\ningress: [{ports: [{port: http}]}]"),
                arguments("protocol only", "podSelector: {}\negress: [{ports: [{protocol: UDP}]}]"),
                arguments("SCTP", "podSelector: {}\negress: [{ports: [{protocol: SCTP, port: 9999}]}]"),
                arguments("port range", "podSelector: {}\negress: [{ports: [{port: 32000, endPort: 32768}]}]"),
                arguments("endPort equal to port", "podSelector: {}\negress: [{ports: [{port: 80, endPort: 80}]}]"),
                arguments("port bounds", "podSelector: {}\negress: [{ports: [{port: 1}, {port: 65535, endPort: 65535}]}]"),
                arguments("IPv6 ipBlock with except", """
                        podSelector: {}
                        egress: [{to: [{ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48", "2001:db8::1/128"]}}]}]
                        """),
                arguments("0.0.0.0/0 except private ranges", """
                        podSelector: {}
                        egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}}]}]
                        """),
                arguments("all selector operators", """
                        podSelector:
                          matchExpressions:
                          - {key: tier, operator: In, values: [db, cache]}
                          - {key: env, operator: NotIn, values: [dev]}
                          - {key: example.com/owner, operator: Exists}
                          - {key: legacy, operator: DoesNotExist, values: []}
                        """));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validSpecs")
    void validSpecsHaveNoErrors(String description, String yaml) {
        assertThat(validate(yaml)).isEmpty();
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                // ports
                arguments("port 0", "podSelector: {}\ningress: [{ports: [{port: 0}]}]",
                        List.of(P + ".ingress[0].ports[0].port"), "between 1 and 65535"),
                arguments("port 65536", "podSelector: {}\ningress: [{ports: [{port: 65536}]}]",
                        List.of(P + ".ingress[0].ports[0].port"), "between 1 and 65535"),
                arguments("negative port", "podSelector: {}\negress: [{ports: [{port: -1}]}]",
                        List.of(P + ".egress[0].ports[0].port"), "between 1 and 65535"),
                arguments("upper-case port name: charset and no lower-case letter", "podSelector: {}\ningress: [{ports: [{port: HTTP}]}]",
                        List.of(P + ".ingress[0].ports[0].port", P + ".ingress[0].ports[0].port"), "lowercase alphanumerics"),
                arguments("mixed-case port name", "podSelector: {}\ningress: [{ports: [{port: Http}]}]",
                        List.of(P + ".ingress[0].ports[0].port"), "lowercase alphanumerics"),
                arguments("numeric string is a name without letters", "podSelector: {}\ningress: [{ports: [{port: \"80\"}]}]",
                        List.of(P + ".ingress[0].ports[0].port"), "at least one letter"),
                arguments("port name too long", "podSelector: {}\ningress: [{ports: [{port: abcdefghijklmnop}]}]",
                        List.of(P + ".ingress[0].ports[0].port"), "no more than 15"),
                arguments("port name with double hyphen", "podSelector: {}\ningress: [{ports: [{port: my--port}]}]",
                        List.of(P + ".ingress[0].ports[0].port"), "consecutive hyphens"),
                arguments("endPort without port", "podSelector: {}\negress: [{ports: [{endPort: 100}]}]",
                        List.of(P + ".egress[0].ports[0].endPort"), "`port` is not specified"),
                arguments("endPort with named port", "podSelector: {}\negress: [{ports: [{port: http, endPort: 100}]}]",
                        List.of(P + ".egress[0].ports[0].endPort"), "non-numeric"),
                arguments("endPort below port", "podSelector: {}\negress: [{ports: [{port: 100, endPort: 99}]}]",
                        List.of(P + ".egress[0].ports[0].endPort"), "greater than or equal to `port`"),
                arguments("endPort 65536", "podSelector: {}\negress: [{ports: [{port: 100, endPort: 65536}]}]",
                        List.of(P + ".egress[0].ports[0].endPort"), "between 1 and 65535"),
                arguments("endPort 0 below port 0: both reported", "podSelector: {}\negress: [{ports: [{port: 0, endPort: 0}]}]",
                        List.of(P + ".egress[0].ports[0].port", P + ".egress[0].ports[0].endPort"), "between 1 and 65535"),
                arguments("protocol ICMP", "podSelector: {}\ningress: [{ports: [{protocol: ICMP, port: 1}]}]",
                        List.of(P + ".ingress[0].ports[0].protocol"), "\"TCP\", \"UDP\", \"SCTP\""),
                arguments("protocol is case-sensitive", "podSelector: {}\ningress: [{ports: [{protocol: tcp}]}]",
                        List.of(P + ".ingress[0].ports[0].protocol"), "Unsupported value: \"tcp\""),
                arguments("second port of second rule", """
                        podSelector: {}
                        ingress:
                        - ports: [{port: 80}]
                        - ports: [{port: 80}, {port: 90, endPort: 85}]
                        """, List.of(P + ".ingress[1].ports[1].endPort"), "greater than or equal"),
                // ipBlock
                arguments("cidr garbage", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: not-a-cidr}}]}]",
                        List.of(P + ".ingress[0].from[0].ipBlock.cidr"), "must be a valid CIDR"),
                arguments("cidr without prefix length", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.1}}]}]",
                        List.of(P + ".ingress[0].from[0].ipBlock.cidr"), "must be a valid CIDR"),
                arguments("cidr with host bits", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.1/24}}]}]",
                        List.of(P + ".ingress[0].from[0].ipBlock.cidr"), "did you mean \"10.0.0.0/24\""),
                arguments("IPv6 cidr with host bits", "podSelector: {}\negress: [{to: [{ipBlock: {cidr: \"2001:db8::1/64\"}}]}]",
                        List.of(P + ".egress[0].to[0].ipBlock.cidr"), "did you mean \"2001:db8::/64\""),
                arguments("IPv4-mapped cidr", "podSelector: {}\negress: [{to: [{ipBlock: {cidr: \"::ffff:10.0.0.0/104\"}}]}]",
                        List.of(P + ".egress[0].to[0].ipBlock.cidr"), "IPv4-mapped"),
                arguments("cidr missing", "podSelector: {}\ningress: [{from: [{ipBlock: {except: [10.0.0.0/8]}}]}]",
                        List.of(P + ".ingress[0].from[0].ipBlock.cidr"), "Required value"),
                arguments("except not inside cidr", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24, 172.18.1.0/24]}}]}]
                        """, List.of(P + ".ingress[0].from[0].ipBlock.except[1]"), "strict subset of `cidr` 172.17.0.0/16"),
                arguments("except equal to cidr", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.0.0/16]}}]}]
                        """, List.of(P + ".ingress[0].from[0].ipBlock.except[0]"), "strict subset"),
                arguments("except wider than cidr", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.0.0.0/8]}}]}]
                        """, List.of(P + ".ingress[0].from[0].ipBlock.except[0]"), "strict subset"),
                arguments("except of the other family", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0, except: ["::/64"]}}]}]
                        """, List.of(P + ".ingress[0].from[0].ipBlock.except[0]"), "same IP family"),
                arguments("except garbage: syntax only", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/33]}}]}]
                        """, List.of(P + ".ingress[0].from[0].ipBlock.except[0]"), "must be a valid CIDR"),
                arguments("except with host bits inside cidr", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.1/24]}}]}]
                        """, List.of(P + ".ingress[0].from[0].ipBlock.except[0]"), "did you mean \"172.17.1.0/24\""),
                arguments("except with host bits outside cidr: both problems", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.18.1.1/24]}}]}]
                        """, List.of(P + ".ingress[0].from[0].ipBlock.except[0]", P + ".ingress[0].from[0].ipBlock.except[0]"),
                        "bits set beyond the prefix"),
                arguments("cidr with host bits, except still checked against its network", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 172.17.0.1/16, except: [172.17.1.0/24, 10.0.0.0/24]}}]}]
                        """, List.of(P + ".ingress[0].from[0].ipBlock.cidr", P + ".ingress[0].from[0].ipBlock.except[1]"),
                        "bits set beyond the prefix"),
                // peers
                arguments("ipBlock and podSelector in one peer", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]
                        """, List.of(P + ".ingress[0].from[0]"), "may not specify both ipBlock and another peer"),
                arguments("ipBlock and namespaceSelector in an egress peer", """
                        podSelector: {}
                        egress: [{to: [{podSelector: {}}, {ipBlock: {cidr: 10.0.0.0/8}, namespaceSelector: {matchLabels: {a: b}}}]}]
                        """, List.of(P + ".egress[0].to[1]"), "may not specify both ipBlock"),
                arguments("empty peer", "podSelector: {}\ningress: [{from: [{}]}]",
                        List.of(P + ".ingress[0].from[0]"), "must specify a peer"),
                arguments("empty egress peer after a valid one", "podSelector: {}\negress: [{to: [{podSelector: {}}, {}]}]",
                        List.of(P + ".egress[0].to[1]"), "must specify a peer"),
                arguments("bad selector inside an ipBlock peer is still reported", """
                        podSelector: {}
                        ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {matchLabels: {"-x": y}}}]}]
                        """, List.of(P + ".ingress[0].from[0]", P + ".ingress[0].from[0].podSelector.matchLabels[-x]"),
                        "may not specify both"),
                // policyTypes
                arguments("policyType Both", "podSelector: {}\npolicyTypes: [Both]",
                        List.of(P + ".policyTypes[0]"), "supported values: \"Ingress\", \"Egress\""),
                arguments("policyType lower case", "podSelector: {}\npolicyTypes: [Ingress, egress]",
                        List.of(P + ".policyTypes[1]"), "Unsupported value: \"egress\""),
                arguments("duplicate policyType", "podSelector: {}\npolicyTypes: [Ingress, Ingress]",
                        List.of(P + ".policyTypes[1]"), "Duplicate value"),
                arguments("three policyTypes", "podSelector: {}\npolicyTypes: [Ingress, Egress, Ingress]",
                        List.of(P + ".policyTypes"), "more than two"),
                // podSelector and selectors
                arguments("podSelector missing", "policyTypes: [Ingress]",
                        List.of(P + ".podSelector"), "use {} to select all pods"),
                arguments("bad matchExpressions operator", "podSelector: {matchExpressions: [{key: app, operator: Equals, values: [a]}]}",
                        List.of(P + ".podSelector.matchExpressions[0].operator"), "Unsupported value: \"Equals\""),
                arguments("missing operator", "podSelector: {matchExpressions: [{key: app}]}",
                        List.of(P + ".podSelector.matchExpressions[0].operator"), "Unsupported value"),
                arguments("In without values", "podSelector: {matchExpressions: [{key: app, operator: In}]}",
                        List.of(P + ".podSelector.matchExpressions[0].values"), "must be specified"),
                arguments("NotIn with empty values", "podSelector: {matchExpressions: [{key: app, operator: NotIn, values: []}]}",
                        List.of(P + ".podSelector.matchExpressions[0].values"), "must be specified"),
                arguments("Exists with values", "podSelector: {matchExpressions: [{key: app, operator: Exists, values: [a]}]}",
                        List.of(P + ".podSelector.matchExpressions[0].values"), "may not be specified"),
                arguments("DoesNotExist with values", "podSelector: {matchExpressions: [{key: app, operator: DoesNotExist, values: [a]}]}",
                        List.of(P + ".podSelector.matchExpressions[0].values"), "may not be specified"),
                arguments("bad value in expression", "podSelector: {matchExpressions: [{key: app, operator: In, values: [ok, \"not ok\"]}]}",
                        List.of(P + ".podSelector.matchExpressions[0].values[1]"), "value 'not ok'"),
                arguments("bad expression key", "podSelector: {matchExpressions: [{key: \"a/b/c\", operator: Exists}]}",
                        List.of(P + ".podSelector.matchExpressions[0].key"), "at most one '/'"),
                arguments("bad label key", "podSelector: {matchLabels: {\"Example.com/app\": web}}",
                        List.of(P + ".podSelector.matchLabels[Example.com/app]"), "prefix part"),
                arguments("bad label value in a peer namespaceSelector", """
                        podSelector: {}
                        ingress: [{from: [{namespaceSelector: {matchLabels: {project: "my project"}}}]}]
                        """, List.of(P + ".ingress[0].from[0].namespaceSelector.matchLabels[project]"), "value 'my project'"),
                arguments("bad expression in an egress peer podSelector", """
                        podSelector: {}
                        egress: [{to: [{podSelector: {matchExpressions: [{key: app, operator: In}]}}]}]
                        """, List.of(P + ".egress[0].to[0].podSelector.matchExpressions[0].values"), "must be specified"),
                // several at once, in path order
                arguments("all errors reported in order", """
                        podSelector: {matchLabels: {"-bad": x}}
                        policyTypes: [Both]
                        ingress:
                        - from: [{}]
                          ports: [{port: 0}]
                        egress:
                        - to: [{ipBlock: {cidr: 10.0.0.1/8}}]
                          ports: [{protocol: ICMP}]
                        """, List.of(
                                P + ".podSelector.matchLabels[-bad]",
                                P + ".policyTypes[0]",
                                P + ".ingress[0].from[0]",
                                P + ".ingress[0].ports[0].port",
                                P + ".egress[0].to[0].ipBlock.cidr",
                                P + ".egress[0].ports[0].protocol"), "name part"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidSpecs")
    void invalidSpecsReportExactPaths(String description, String yaml, List<String> paths, String firstMessage) {
        List<FieldError> errors = validate(yaml);
        assertThat(errors).extracting(FieldError::path).containsExactlyElementsOf(paths);
        assertThat(errors.get(0).message()).contains(firstMessage);
    }

    @Test
    void nullSpecIsRequired() {
        assertThat(NetworkPolicySpecValidator.validate(P, null))
                .containsExactly(new FieldError(P, "Required value"));
    }

    @Test
    void validationIsDeterministic() {
        String yaml = """
                podSelector: {matchLabels: {"-a": x, "-b": y, "-c": z}}
                ingress: [{from: [{}, {}], ports: [{port: 0}, {port: -1}]}]
                """;
        assertThat(validate(yaml)).isEqualTo(validate(yaml)).hasSize(7);
    }
}
