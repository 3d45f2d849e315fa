package dev.isolation.operator.validation;

import dev.isolation.operator.ContractExample;
import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.api.PresetPolicy;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ProfileValidatorTest {

    private static final String NAME = "db-tier";
    private static final String SELECTOR = "namespaceSelector: {matchLabels: {tier: db}}\n";

    /** The spec of the contract's example profile (shared/design/api.md). */
    static final String CONTRACT_SPEC = ContractExample.yamlAt("/spec");


    private static IsolationProfileSpec spec(String yaml) {
        return TestYaml.parse(yaml, IsolationProfileSpec.class);
    }

    /** A valid DNS-1123 subdomain of exactly {@code length} characters (63-character labels joined by dots). */
    static String subdomainOfLength(int length) {
        StringBuilder sb = new StringBuilder();
        int remaining = length;
        while (remaining > 63) {
            int chunk = remaining == 64 ? 62 : 63; // never leave a dot with nothing after it
            sb.append("a".repeat(chunk)).append('.');
            remaining -= chunk + 1;
        }
        return sb.append("a".repeat(remaining)).toString();
    }

    @Test
    void subdomainHelperProducesValidNamesOfTheRequestedLength() {
        for (int length : new int[] {1, 63, 64, 65, 127, 250, 252, 253}) {
            String name = subdomainOfLength(length);
            assertThat(name).hasSize(length);
            assertThat(KubernetesSyntax.isDns1123Subdomain(name)).as(name).isTrue();
        }
    }

    // ---- valid profiles ------------------------------------------------------------------------

    static Stream<Arguments> validProfiles() {
        return Stream.of(
                arguments("selector only", NAME, SELECTOR),
                arguments("names only", NAME, "namespaces: [default, team-a]"),
                arguments("empty selector (all unprotected namespaces)", NAME, "namespaceSelector: {}"),
                arguments("contract example", NAME, CONTRACT_SPEC),
                arguments("one-character name", "a", SELECTOR),
                arguments("63-character name", "p".repeat(63), SELECTOR),
                arguments("dotted name", "db.tier.example", SELECTOR),
                arguments("kubernetes.io/metadata.name in a selector is fine", NAME,
                        "namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: team-a}}"),
                arguments("annotation key prefix is checked case-insensitively, like the API server", NAME,
                        SELECTOR + "namespaceAnnotations: {Example.COM/owner: team-a}"),
                arguments("empty label value", NAME, SELECTOR + "namespaceLabels: {isolated: \"\"}"),
                arguments("annotation values are free text", NAME,
                        SELECTOR + "namespaceAnnotations: {description: \"Team A's DB namespaces; ask #team-a\"}"),
                arguments("policy names with dots and digits", NAME, SELECTOR + """
                        policies:
                        - {name: v1.allow-web, spec: {podSelector: {}}}
                        - {name: 0, spec: {podSelector: {}}}
                        """),
                arguments("preset suffix as part of a longer name", NAME, SELECTOR + """
                        policies:
                        - {name: extra-default-deny, spec: {podSelector: {}}}
                        - {name: allow-dns-tcp, spec: {podSelector: {}}}
                        """),
                arguments("generated name exactly 253 characters", "p", SELECTOR
                        + "policies: [{name: " + subdomainOfLength(251) + ", spec: {podSelector: {}}}]"),
                arguments("63-character profile with a 189-character policy name", "p".repeat(63), SELECTOR
                        + "policies: [{name: " + subdomainOfLength(189) + ", spec: {podSelector: {}}}]"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validProfiles")
    void validProfilesHaveNoErrors(String description, String profileName, String yaml) {
        assertThat(ProfileValidator.validate(profileName, spec(yaml))).isEmpty();
    }

    // ---- invalid profiles, one rule at a time ----------------------------------------------------

    static Stream<Arguments> invalidProfiles() {
        String longPolicy = subdomainOfLength(250);
        return Stream.of(
                // metadata.name
                arguments("64-character name", "p".repeat(64), SELECTOR, List.of("metadata.name"),
                        "label isolation.dev/profile"),
                arguments("upper-case name", "Db-Tier", SELECTOR, List.of("metadata.name"), "RFC 1123 subdomain"),
                arguments("underscore in name", "db_tier", SELECTOR, List.of("metadata.name"), "RFC 1123 subdomain"),
                arguments("name ending in a dot", "db.", SELECTOR, List.of("metadata.name"), "RFC 1123 subdomain"),
                arguments("254-character name: the 63 limit is the one reported", subdomainOfLength(254), SELECTOR,
                        List.of("metadata.name"), "no more than 63 characters"),
                arguments("long name with bad characters: both problems", "P".repeat(64), SELECTOR,
                        List.of("metadata.name", "metadata.name"), "no more than 63 characters"),
                arguments("empty name", "", SELECTOR, List.of("metadata.name"), "Required value"),
                arguments("null name", null, SELECTOR, List.of("metadata.name"), "Required value"),
                // namespace selection
                arguments("nothing selected", NAME, "namespaceLabels: {a: b}", List.of("spec"),
                        "at least one of spec.namespaceSelector or spec.namespaces must be set"),
                arguments("empty namespaces list only", NAME, "namespaces: []", List.of("spec"), "spec.namespaces"),
                arguments("bad selector", NAME, "namespaceSelector: {matchExpressions: [{key: tier, operator: In}]}",
                        List.of("spec.namespaceSelector.matchExpressions[0].values"), "must be specified"),
                arguments("bad selector label key", NAME, "namespaceSelector: {matchLabels: {\"a/b/c\": x}}",
                        List.of("spec.namespaceSelector.matchLabels[a/b/c]"), "at most one '/'"),
                arguments("upper-case namespace", NAME, "namespaces: [default, Team-A]",
                        List.of("spec.namespaces[1]"), "RFC 1123 label"),
                arguments("dotted namespace", NAME, "namespaces: [team.a]", List.of("spec.namespaces[0]"), "RFC 1123 label"),
                arguments("64-character namespace", NAME, "namespaces: [" + "n".repeat(64) + "]",
                        List.of("spec.namespaces[0]"), "no more than 63"),
                arguments("empty namespace name", NAME, "namespaces: [\"\"]", List.of("spec.namespaces[0]"), "Required value"),
                arguments("duplicate namespace", NAME, "namespaces: [a, b, a]", List.of("spec.namespaces[2]"),
                        "already listed at spec.namespaces[0]"),
                // namespaceLabels
                arguments("bad label key", NAME, SELECTOR + "namespaceLabels: {\"team name\": a}",
                        List.of("spec.namespaceLabels[team name]"), "key 'team name'"),
                arguments("bad label value", NAME, SELECTOR + "namespaceLabels: {project: \"my project\"}",
                        List.of("spec.namespaceLabels[project]"), "value 'my project'"),
                arguments("64-character label value", NAME, SELECTOR + "namespaceLabels: {project: " + "v".repeat(64) + "}",
                        List.of("spec.namespaceLabels[project]"), "no more than 63"),
                arguments("namespace name label", NAME, SELECTOR + "namespaceLabels: {kubernetes.io/metadata.name: x}",
                        List.of("spec.namespaceLabels[kubernetes.io/metadata.name]"), "the API server sets"),
                arguments("operator label prefix", NAME, SELECTOR + "namespaceLabels: {isolation.dev/profile: x}",
                        List.of("spec.namespaceLabels[isolation.dev/profile]"), "reserved for the operator's own bookkeeping"),
                arguments("operator label prefix in another case", NAME, SELECTOR + "namespaceLabels: {Isolation.Dev/owner: x}",
                        List.of("spec.namespaceLabels[Isolation.Dev/owner]", "spec.namespaceLabels[Isolation.Dev/owner]"),
                        "reserved"),
                // namespaceAnnotations
                arguments("bad annotation key", NAME, SELECTOR + "namespaceAnnotations: {\"owner team\": a}",
                        List.of("spec.namespaceAnnotations[owner team]"), "key 'owner team'"),
                arguments("annotation key with two slashes", NAME, SELECTOR + "namespaceAnnotations: {\"a/b/c\": a}",
                        List.of("spec.namespaceAnnotations[a/b/c]"), "at most one '/'"),
                arguments("operator annotation prefix", NAME, SELECTOR + "namespaceAnnotations: {isolation.dev/owned-keys: x}",
                        List.of("spec.namespaceAnnotations[isolation.dev/owned-keys]"), "reserved for the operator"),
                arguments("legacy isolation annotation", NAME,
                        SELECTOR + "namespaceAnnotations: {net.beta.kubernetes.io/network-policy: '{}'}",
                        List.of("spec.namespaceAnnotations[net.beta.kubernetes.io/network-policy]"),
                        "spec.legacyIsolationAnnotation"),
                // allow
                arguments("bad fromNamespaces selector", NAME, SELECTOR + """
                        allow:
                          fromNamespaces:
                          - matchLabels: {a: b}
                          - matchExpressions: [{key: team, operator: Exists, values: [a]}]
                        """, List.of("spec.allow.fromNamespaces[1].matchExpressions[0].values"), "may not be specified"),
                // policies
                arguments("policy without name", NAME, SELECTOR + "policies: [{spec: {podSelector: {}}}]",
                        List.of("spec.policies[0].name"), "Required value"),
                arguments("policy with empty name", NAME, SELECTOR + "policies: [{name: \"\", spec: {podSelector: {}}}]",
                        List.of("spec.policies[0].name"), "Required value"),
                arguments("policy without spec", NAME, SELECTOR + "policies: [{name: web}]",
                        List.of("spec.policies[0].spec"), "Required value"),
                arguments("upper-case policy name", NAME, SELECTOR + "policies: [{name: Web, spec: {podSelector: {}}}]",
                        List.of("spec.policies[0].name"), "RFC 1123 subdomain"),
                arguments("policy name with underscore", NAME, SELECTOR + "policies: [{name: allow_web, spec: {podSelector: {}}}]",
                        List.of("spec.policies[0].name"), "RFC 1123 subdomain"),
                arguments("duplicate policy names", NAME, SELECTOR + """
                        policies:
                        - {name: web, spec: {podSelector: {}}}
                        - {name: web, spec: {podSelector: {}}}
                        """, List.of("spec.policies[1].name"), "already used by spec.policies[0]"),
                arguments("policy named like preset default-deny", NAME, presetPolicy("default-deny"),
                        List.of("spec.policies[0].name"), "preset"),
                arguments("policy named like preset allow-same-namespace", NAME, presetPolicy("allow-same-namespace"),
                        List.of("spec.policies[0].name"), "preset"),
                arguments("policy named like preset allow-dns", NAME, presetPolicy("allow-dns"),
                        List.of("spec.policies[0].name"), "preset"),
                arguments("policy named like preset allow-kube-apiserver", NAME, presetPolicy("allow-kube-apiserver"),
                        List.of("spec.policies[0].name"), "preset"),
                arguments("policy named like preset allow-nodes", NAME, presetPolicy("allow-nodes"),
                        List.of("spec.policies[0].name"), "preset"),
                arguments("policy named like preset allow-from-namespaces", NAME, presetPolicy("allow-from-namespaces"),
                        List.of("spec.policies[0].name"), "preset"),
                arguments("generated name longer than 253", NAME,
                        SELECTOR + "policies: [{name: " + longPolicy + ", spec: {podSelector: {}}}]",
                        List.of("spec.policies[0].name"), "\"" + NAME + "-" + longPolicy + "\" (258 characters)"),
                arguments("generated name one over", "p", SELECTOR
                        + "policies: [{name: " + subdomainOfLength(252) + ", spec: {podSelector: {}}}]",
                        List.of("spec.policies[0].name"), "not truncated"),
                arguments("invalid policy spec", NAME, SELECTOR + """
                        policies:
                        - name: web
                          spec:
                            podSelector: {}
                            ingress: [{ports: [{port: 0}]}]
                        """, List.of("spec.policies[0].spec.ingress[0].ports[0].port"), "between 1 and 65535"),
                arguments("invalid peer in second policy", NAME, SELECTOR + """
                        policies:
                        - {name: a, spec: {podSelector: {}}}
                        - name: b
                          spec:
                            podSelector: {}
                            ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.0.0/16]}}]}]
                        """, List.of("spec.policies[1].spec.ingress[0].from[0].ipBlock.except[0]"), "strict subset"),
                arguments("policy spec without podSelector", NAME, SELECTOR + "policies: [{name: a, spec: {policyTypes: [Ingress]}}]",
                        List.of("spec.policies[0].spec.podSelector"), "Required value"),
                // an invalid profile name is reported once, not again for every generated name
                arguments("bad profile name is not repeated per policy", "Bad", SELECTOR
                        + "policies: [{name: " + longPolicy + ", spec: {podSelector: {}}}]",
                        List.of("metadata.name"), "RFC 1123 subdomain"));
    }

    private static String presetPolicy(String name) {
        return SELECTOR + "policies: [{name: " + name + ", spec: {podSelector: {}}}]";
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidProfiles")
    void invalidProfilesReportExactPaths(String description, String profileName, String yaml, List<String> paths, String firstMessage) {
        List<FieldError> errors = ProfileValidator.validate(profileName, spec(yaml));
        assertThat(errors).extracting(FieldError::path).containsExactlyElementsOf(paths);
        assertThat(errors.get(0).message()).contains(firstMessage);
    }

    // ---- cases easier to build in Java -------------------------------------------------------------

    @Test
    void nullSpecNeedsNamespaces() {
        assertThat(ProfileValidator.validate(NAME, null)).extracting(FieldError::path).containsExactly("spec");
    }

    @Test
    void annotationSizeIsCountedInUtf8Bytes() {
        IsolationProfileSpec s = spec(SELECTOR);
        // 131072 two-byte characters + a one-byte key = 262145 bytes, although only 131073 chars.
        s.setNamespaceAnnotations(Map.of("k", "\u00e9".repeat(131072)));
        assertThat(ProfileValidator.validate(NAME, s))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.path()).isEqualTo("spec.namespaceAnnotations");
                    assertThat(e.message()).contains("262145 bytes").contains("at most 262144 bytes");
                });
    }

    @Test
    void annotationsOfExactlyTheLimitAreAccepted() {
        IsolationProfileSpec s = spec(SELECTOR);
        Map<String, String> annotations = new HashMap<>();
        annotations.put("a", "x".repeat(131071)); // 131072 bytes
        annotations.put("b", "y".repeat(131071)); // 131072 bytes
        s.setNamespaceAnnotations(annotations);
        assertThat(ProfileValidator.validate(NAME, s)).isEmpty();
        annotations.put("c", "");                 // one more byte
        assertThat(ProfileValidator.validate(NAME, s)).extracting(FieldError::path).containsExactly("spec.namespaceAnnotations");
    }

    @Test
    void nullFromNamespacesEntryIsReported() {
        IsolationProfileSpec s = spec(SELECTOR);
        Allow allow = new Allow();
        allow.setFromNamespaces(Arrays.asList(new LabelSelector(), null));
        s.setAllow(allow);
        assertThat(ProfileValidator.validate(NAME, s)).extracting(FieldError::path)
                .containsExactly("spec.allow.fromNamespaces[1]");
    }

    @Test
    void nullPolicyEntryIsReported() {
        IsolationProfileSpec s = spec(SELECTOR);
        List<PolicyTemplate> policies = new ArrayList<>();
        policies.add(null);
        policies.add(new PolicyTemplate("web", new NetworkPolicySpec()));
        s.setPolicies(policies);
        // The second entry is also checked: an empty NetworkPolicySpec lacks its podSelector.
        assertThat(ProfileValidator.validate(NAME, s)).extracting(FieldError::path)
                .containsExactly("spec.policies[0]", "spec.policies[1].spec.podSelector");
    }

    @Test
    void generatedNameMessageNamesTheResultAndWhy() {
        String policy = subdomainOfLength(250);
        IsolationProfileSpec s = spec(SELECTOR + "policies: [{name: " + policy + ", spec: {podSelector: {}}}]");
        assertThat(ProfileValidator.validate(NAME, s)).singleElement().satisfies(e -> assertThat(e.message())
                .contains("\"db-tier-" + policy + "\"")
                .contains("at most 253 characters")
                .contains("not truncated"));
    }

    @Test
    void sixtyThreeVersusSixtyFourCharacterProfileName() {
        assertThat(ProfileValidator.validate("x".repeat(63), spec(SELECTOR))).isEmpty();
        assertThat(ProfileValidator.validate("x".repeat(64), spec(SELECTOR)))
                .singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("metadata.name");
                    assertThat(e.message()).contains("no more than 63 characters");
                });
    }

    @Test
    void presetSuffixesMatchTheContract() {
        assertThat(PresetPolicy.suffixes()).containsExactly("default-deny", "allow-same-namespace",
                "allow-dns", "allow-kube-apiserver", "allow-nodes", "allow-from-namespaces");
    }

    @Test
    void allErrorsAreReportedInFieldOrder() {
        String yaml = """
                namespaces: [ok, Bad, ok]
                namespaceLabels: {kubernetes.io/metadata.name: x, "-bad": v, isolation.dev/a: b}
                namespaceAnnotations: {net.beta.kubernetes.io/network-policy: x, isolation.dev/keys: y}
                allow:
                  fromNamespaces: [{matchExpressions: [{key: a, operator: Maybe}]}]
                policies:
                - {name: default-deny, spec: {podSelector: {}}}
                - {name: web, spec: {podSelector: {}, policyTypes: [Both]}}
                - {name: web}
                """;
        List<FieldError> errors = ProfileValidator.validate("p".repeat(64), spec(yaml));
        assertThat(errors).extracting(FieldError::path).containsExactly(
                "metadata.name",
                "spec.namespaces[1]",
                "spec.namespaces[2]",
                "spec.namespaceLabels[-bad]",
                "spec.namespaceLabels[isolation.dev/a]",
                "spec.namespaceLabels[kubernetes.io/metadata.name]",
                "spec.namespaceAnnotations[isolation.dev/keys]",
                "spec.namespaceAnnotations[net.beta.kubernetes.io/network-policy]",
                "spec.allow.fromNamespaces[0].matchExpressions[0].operator",
                "spec.policies[0].name",
                "spec.policies[1].spec.policyTypes[0]",
                "spec.policies[2].name",
                "spec.policies[2].spec");
        assertThat(errors.get(2).message()).contains("Duplicate value");
        assertThat(ProfileValidator.validate("p".repeat(64), spec(yaml))).isEqualTo(errors);
    }
}
