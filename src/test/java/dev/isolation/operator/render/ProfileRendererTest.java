package dev.isolation.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.LegacyIsolationAnnotation;
import dev.isolation.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.isolation.operator.render.Fixtures.NS;
import static dev.isolation.operator.render.Fixtures.UID;
import static dev.isolation.operator.render.Fixtures.map;
import static dev.isolation.operator.render.Fixtures.names;
import static dev.isolation.operator.render.Fixtures.nsSelector;
import static dev.isolation.operator.render.Fixtures.policy;
import dev.isolation.operator.ContractExample;
import dev.isolation.operator.validation.FieldError;
import dev.isolation.operator.validation.ProfileValidator;

import static dev.isolation.operator.render.Fixtures.profile;
import static dev.isolation.operator.render.Fixtures.someFacts;
import static dev.isolation.operator.render.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileRendererTest {

    /** The contract's example profile (shared/design/api.md), plus Argo CD tracking metadata. */
    static final String SEED = ContractExample.yaml();


    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static IsolationProfile seed() {
        return Fixtures.SERIALIZATION.unmarshal(SEED, IsolationProfile.class);
    }

    static JsonNode seedPolicySpecAsWritten() throws Exception {
        return YAML.readTree(SEED).at("/spec/policies/0/spec");
    }

    @Test
    void seedExampleRendersTheExpectedPolicySet() {
        DesiredNamespaceState state = ProfileRenderer.render(seed(), "default", someFacts());

        assertThat(names(state)).containsExactly(
                "db-tier-allow-from-namespaces", "db-tier-allow-same-namespace", "db-tier-db-ingress", "db-tier-default-deny");
        assertThat(state.namespace()).isEqualTo("default");
        EffectiveSpec spec = EffectiveSpec.of(seed().getSpec());
        assertThat(NamespaceMetadata.labels(spec)).containsExactly(Map.entry("project", "myproject"));
        assertThat(NamespaceMetadata.annotations(spec, false)).containsExactly(Map.entry("owner", "team-a"));
        assertThat(state.retainedPolicyNames()).isEmpty();
    }

    @Test
    void seedPolicySerialisesToExactlyWhatTheUserWrote() throws Exception {
        NetworkPolicy np = policy(ProfileRenderer.render(seed(), "default", someFacts()), "db-tier-db-ingress");

        assertThat(tree(np.getSpec())).isEqualTo(seedPolicySpecAsWritten());
        JsonNode asYaml = YAML.readTree(Fixtures.SERIALIZATION.asYaml(np.getSpec()));
        assertThat(asYaml).isEqualTo(seedPolicySpecAsWritten());
    }

    @Test
    void seedPolicyKeepsThreeSeparatePeersAndTheExceptList() {
        NetworkPolicySpec spec = policy(ProfileRenderer.render(seed(), "default", someFacts()),
                "db-tier-db-ingress").getSpec();

        // Three peers (OR), not one peer combining ipBlock and selectors (which the API rejects / means AND).
        var from = spec.getIngress().get(0).getFrom();
        assertThat(from).hasSize(3);
        assertThat(from.get(0).getIpBlock().getCidr()).isEqualTo("172.17.0.0/16");
        assertThat(from.get(0).getIpBlock().getExcept()).containsExactly("172.17.1.0/24");
        assertThat(from.get(0).getNamespaceSelector()).isNull();
        assertThat(from.get(0).getPodSelector()).isNull();
        assertThat(from.get(1).getNamespaceSelector().getMatchLabels()).containsExactly(Map.entry("project", "myproject"));
        assertThat(from.get(1).getPodSelector()).isNull();
        assertThat(from.get(2).getPodSelector().getMatchLabels()).containsExactly(Map.entry("role", "frontend"));
        assertThat(from.get(2).getNamespaceSelector()).isNull();
        assertThat(spec.getIngress().get(0).getPorts().get(0).getPort()).isEqualTo(new IntOrString(6379));
        assertThat(spec.getEgress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(5978);
        assertThat(spec.getPolicyTypes()).containsExactly("Ingress", "Egress");
    }

    /**
     * Shapes where fabric8's defaulting could matter. Empty lists disappear on the wire (fabric8
     * marks them NON_EMPTY); every NetworkPolicy list field means the same absent or empty, so only
     * this is allowed to differ. Everything meaningful — {} selectors, {} rules, string ports,
     * missing protocol/podSelector/policyTypes — must survive unchanged.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "{podSelector: {}, ingress: [{}]}",
            "{podSelector: {}, ingress: [{from: [{namespaceSelector: {}}]}]}",
            "{podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: {}}]}]}",
            "{podSelector: {matchExpressions: [{key: a, operator: Exists}]}, policyTypes: [Egress], egress: [{ports: [{port: http}]}]}",
            "{podSelector: {}, egress: [{to: [{ipBlock: {cidr: '::/0'}}], ports: [{protocol: SCTP, port: 1000, endPort: 2000}]}]}",
            "{ingress: [{ports: [{port: 80}]}]}",
            "{podSelector: {}, policyTypes: [Egress, Ingress]}",
    })
    void policiesRoundTripVerbatim(String specYaml) throws Exception {
        NetworkPolicySpec spec = YAML.readValue(specYaml, NetworkPolicySpec.class);
        IsolationProfileSpec ps = Fixtures.spec(false, false);
        ps.setPolicies(List.of(new PolicyTemplate("custom", spec)));

        NetworkPolicy np = policy(ProfileRenderer.render(profile("p", ps), NS, someFacts()), "p-custom");

        assertThat(tree(np.getSpec())).isEqualTo(YAML.readTree(specYaml));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {podSelector: {}, policyTypes: [Ingress], ingress: []}      | {podSelector: {}, policyTypes: [Ingress]}
            {podSelector: {}, ingress: [{from: [], ports: []}]}         | {podSelector: {}, ingress: [{}]}
            {podSelector: {matchLabels: {}}, policyTypes: []}           | {podSelector: {}}
            {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: []}}]}]} | {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}
            """)
    void emptyListsAreTheOnlyThingDroppedAndDroppingThemChangesNoMeaning(String written, String sent) throws Exception {
        IsolationProfileSpec ps = Fixtures.spec(false, false);
        ps.setPolicies(List.of(new PolicyTemplate("custom", YAML.readValue(written, NetworkPolicySpec.class))));

        NetworkPolicy np = policy(ProfileRenderer.render(profile("p", ps), NS, someFacts()), "p-custom");

        assertThat(tree(np.getSpec())).isEqualTo(YAML.readTree(sent));
        assertThat(PolicyComparison.specMatches(np.getSpec(), YAML.readValue(written, NetworkPolicySpec.class))).isTrue();
    }

    @Test
    void everyPolicyCarriesExactlyTheManagedLabelsAndOneControllerReference() {
        DesiredNamespaceState state = ProfileRenderer.render(seed(), "default", someFacts());

        assertThat(state.networkPolicies()).hasSize(4).allSatisfy(np -> {
            assertThat(np.getApiVersion()).isEqualTo("networking.k8s.io/v1");
            assertThat(np.getKind()).isEqualTo("NetworkPolicy");
            assertThat(np.getMetadata().getNamespace()).isEqualTo("default");
            assertThat(np.getMetadata().getName()).startsWith("db-tier-");
            assertThat(np.getMetadata().getLabels()).containsExactly(
                    Map.entry("app.kubernetes.io/managed-by", "isolation-operator"),
                    Map.entry("isolation.dev/profile", "db-tier"));
            assertThat(np.getMetadata().getAnnotations()).isNullOrEmpty();
            assertThat(np.getMetadata().getOwnerReferences()).hasSize(1);
            OwnerReference ref = np.getMetadata().getOwnerReferences().get(0);
            assertThat(ref.getApiVersion()).isEqualTo("isolation.dev/v1alpha1");
            assertThat(ref.getKind()).isEqualTo("IsolationProfile");
            assertThat(ref.getName()).isEqualTo("db-tier");
            assertThat(ref.getUid()).isEqualTo(UID);
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isNull();
        });
    }

    @Test
    void noProfileLabelOrAnnotationLeaksIntoSerialisedPolicies() {
        DesiredNamespaceState state = ProfileRenderer.render(seed(), "default", someFacts());

        for (NetworkPolicy np : state.networkPolicies()) {
            String json = Fixtures.SERIALIZATION.asJson(np);
            assertThat(json).doesNotContain("app.kubernetes.io/instance", "argocd.argoproj.io", "team\":\"dba");
            JsonNode meta = tree(np).get("metadata");
            List<String> fields = new ArrayList<>();
            meta.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyInAnyOrder("name", "namespace", "labels", "ownerReferences");
        }
    }

    @Test
    void renderingTwiceGivesEqualOutput() {
        IsolationProfileSpec spec = ProfileRendererPresetsTest.allPresetsOn(true, true);
        spec.setNamespaceLabels(map("z", "1", "a", "2", "m", "3"));
        spec.setNamespaceAnnotations(map("y", "1", "b", "2"));
        ClusterFacts facts = Fixtures.facts(
                List.of(new ApiServerEndpoint("10.0.0.2", 6443, "TCP"), new ApiServerEndpoint("10.0.0.1", 6443, "TCP")),
                List.of("10.9.0.2", "10.9.0.1"));
        ClusterFacts sameFactsOtherOrder = Fixtures.facts(
                List.of(new ApiServerEndpoint("10.0.0.1", 6443, "TCP"), new ApiServerEndpoint("10.0.0.2", 6443, "TCP")),
                List.of("10.9.0.1", "10.9.0.2"));

        DesiredNamespaceState first = ProfileRenderer.render(profile("p", spec), NS, facts);
        DesiredNamespaceState second = ProfileRenderer.render(profile("p", spec), NS, sameFactsOtherOrder);

        assertThat(second).isEqualTo(first);
        assertThat(Fixtures.SERIALIZATION.asJson(second.networkPolicies()))
                .isEqualTo(Fixtures.SERIALIZATION.asJson(first.networkPolicies()));
        assertThat(NamespaceMetadata.labels(EffectiveSpec.of(spec)).keySet()).containsExactly("a", "m", "z");
        assertThat(names(first)).isSorted();
    }

    @Test
    void templatesAreSortedByNameAmongPresets() {
        IsolationProfileSpec spec = Fixtures.spec(true, false);
        spec.setPolicies(List.of(
                new PolicyTemplate("zz", new NetworkPolicySpec()),
                new PolicyTemplate("aa", new NetworkPolicySpec())));

        assertThat(names(ProfileRenderer.render(profile("p", spec), NS, someFacts())))
                .containsExactly("p-aa", "p-allow-same-namespace", "p-default-deny", "p-zz");
    }

    @Test
    void mutatingTheOutputNeverTouchesTheProfile() throws Exception {
        IsolationProfile profile = seed();
        String before = Fixtures.SERIALIZATION.asJson(profile);

        DesiredNamespaceState state = ProfileRenderer.render(profile, "default", someFacts());
        for (NetworkPolicy np : state.networkPolicies()) {
            NetworkPolicySpec s = np.getSpec();
            s.getPodSelector().setMatchLabels(new HashMap<>(Map.of("hacked", "yes")));
            s.getIngress().forEach(r -> {
                r.getFrom().forEach(peer -> {
                    if (peer.getNamespaceSelector() != null) {
                        peer.getNamespaceSelector().getMatchLabels().put("hacked", "yes");
                    }
                    if (peer.getIpBlock() != null) {
                        peer.getIpBlock().getExcept().add("1.2.3.4/32");
                    }
                });
                r.getPorts().forEach(p -> p.setProtocol("UDP"));
            });
            s.getEgress().clear();
            s.getPolicyTypes().add("Bogus");
        }

        assertThat(Fixtures.SERIALIZATION.asJson(profile)).isEqualTo(before);
    }

    @Test
    void outputCollectionsAreImmutable() {
        DesiredNamespaceState state = ProfileRenderer.render(seed(), "default", someFacts());
        assertThatThrownBy(() -> state.networkPolicies().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> state.retainedPolicyNames().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void changingTheProfileAfterRenderingDoesNotChangeTheOutput() {
        IsolationProfile profile = seed();
        DesiredNamespaceState state = ProfileRenderer.render(profile, "default", someFacts());
        String before = Fixtures.SERIALIZATION.asJson(state.networkPolicies());
        Map<String, String> labels = NamespaceMetadata.labels(EffectiveSpec.of(profile.getSpec()));

        profile.getSpec().getPolicies().get(0).getSpec().getIngress().get(0).getPorts().get(0).setPort(new IntOrString(1));
        profile.getSpec().getAllow().getFromNamespaces().get(0).getMatchLabels().put("x", "y");
        profile.getSpec().getNamespaceLabels().put("x", "y");
        profile.getMetadata().getLabels().put("x", "y");

        assertThat(Fixtures.SERIALIZATION.asJson(state.networkPolicies())).isEqualTo(before);
        assertThat(labels).doesNotContainKey("x");
    }

    /** legacyIsolationAnnotation × denyIngress × CNI reads it → annotation present? */
    @ParameterizedTest(name = "{0} denyIngress={1} cniReads={2} -> {3}")
    @CsvSource({
            "Always, true,  true,  true",
            "Always, true,  false, true",
            "Always, false, true,  true",
            "Always, false, false, true",
            "Never,  true,  true,  false",
            "Never,  true,  false, false",
            "Never,  false, true,  false",
            "Never,  false, false, false",
            "Auto,   true,  true,  true",
            "Auto,   true,  false, false",
            "Auto,   false, true,  false",
            "Auto,   false, false, false",
            ",       true,  true,  true",
            ",       true,  false, false",
    })
    void legacyAnnotationTruthTable(LegacyIsolationAnnotation mode, boolean denyIngress, boolean cniReads, boolean expected) {
        IsolationProfileSpec spec = Fixtures.spec(denyIngress, false);
        spec.setLegacyIsolationAnnotation(mode);
        spec.setNamespaceAnnotations(map("owner", "team-a"));

        Map<String, String> annotations = NamespaceMetadata.annotations(EffectiveSpec.of(spec), cniReads);

        if (expected) {
            assertThat(annotations).containsExactly(
                    Map.entry("net.beta.kubernetes.io/network-policy", "{\"ingress\":{\"isolation\":\"DefaultDeny\"}}"),
                    Map.entry("owner", "team-a"));
        } else {
            assertThat(annotations).containsExactly(Map.entry("owner", "team-a"));
        }
        assertThat(LegacyIsolationAnnotation.KEY).isEqualTo("net.beta.kubernetes.io/network-policy");
    }

    @Test
    void legacyAnnotationOverridesAConflictingUserValueOnlyWhenItApplies() {
        IsolationProfileSpec spec = Fixtures.spec(true, false);
        spec.setNamespaceAnnotations(map(LegacyIsolationAnnotation.KEY, "user"));
        spec.setLegacyIsolationAnnotation(LegacyIsolationAnnotation.Always);
        assertThat(NamespaceMetadata.annotations(EffectiveSpec.of(spec), false))
                .containsEntry(LegacyIsolationAnnotation.KEY, LegacyIsolationAnnotation.VALUE);

        spec.setLegacyIsolationAnnotation(LegacyIsolationAnnotation.Never);
        assertThat(NamespaceMetadata.annotations(EffectiveSpec.of(spec), false))
                .containsEntry(LegacyIsolationAnnotation.KEY, "user");
    }

    @Test
    void namespaceLabelsAreExactlyTheProfilesNamespaceLabels() {
        IsolationProfileSpec spec = Fixtures.spec(true, false);
        spec.setNamespaceLabels(map("project", "myproject", "tier", "db"));
        spec.setLegacyIsolationAnnotation(LegacyIsolationAnnotation.Always);

        Map<String, String> labels = NamespaceMetadata.labels(EffectiveSpec.of(spec));

        assertThat(labels).containsExactly(Map.entry("project", "myproject"), Map.entry("tier", "db"));
        assertThat(labels).doesNotContainKeys(ManagedLabels.MANAGED_BY, ManagedLabels.PROFILE);
    }

    /**
     * The renderer's precondition is a profile that passed ProfileValidator (the reconcilers
     * never render anything else); this pins that every spec it could not render is rejected there.
     */
    @Test
    void everythingTheRendererCannotRenderIsRejectedByTheValidator() {
        IsolationProfileSpec spec = Fixtures.spec(true, false);
        List<PolicyTemplate> templates = new ArrayList<>();
        templates.add(new PolicyTemplate("default-deny", new NetworkPolicySpec()));
        templates.add(new PolicyTemplate("dup", new NetworkPolicySpec()));
        templates.add(new PolicyTemplate("dup", new NetworkPolicySpec()));
        templates.add(new PolicyTemplate("no-spec", null));
        templates.add(new PolicyTemplate(null, new NetworkPolicySpec()));
        templates.add(new PolicyTemplate("Upper_Case", new NetworkPolicySpec()));
        templates.add(new PolicyTemplate("x".repeat(252), new NetworkPolicySpec()));
        templates.add(null);
        spec.setPolicies(templates);
        List<io.fabric8.kubernetes.api.model.LabelSelector> selectors = new ArrayList<>();
        selectors.add(null);
        spec.getAllow().setFromNamespaces(selectors);

        assertThat(ProfileValidator.validate("p", spec)).extracting(FieldError::path).contains(
                "spec.policies[0].name", "spec.policies[2].name", "spec.policies[3].spec", "spec.policies[4].name",
                "spec.policies[5].name", "spec.policies[6].name", "spec.policies[7]", "spec.allow.fromNamespaces[0]");
        assertThat(ProfileValidator.validate("a".repeat(64), Fixtures.spec(true, false)))
                .extracting(FieldError::path).contains("metadata.name");
    }

    @Test
    void profileWithoutUidIsAProgrammingError() {
        IsolationProfile p = profile("p", null);
        p.getMetadata().setUid(null);
        assertThatThrownBy(() -> ProfileRenderer.render(p, NS, someFacts()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
