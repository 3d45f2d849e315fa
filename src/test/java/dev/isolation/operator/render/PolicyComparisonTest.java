package dev.isolation.operator.render;

import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.isolation.operator.render.Fixtures.NS;
import static dev.isolation.operator.render.Fixtures.UID;
import static dev.isolation.operator.render.Fixtures.policy;
import static dev.isolation.operator.render.Fixtures.profile;
import static dev.isolation.operator.render.Fixtures.storedByApiServer;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyComparisonTest {

    static List<NetworkPolicy> everythingRendered() {
        List<NetworkPolicy> all = new ArrayList<>(
                ProfileRenderer.render(ProfileRendererTest.seed(), "default", Fixtures.someFacts()).networkPolicies());
        all.addAll(ProfileRenderer.render(profile("p", ProfileRendererPresetsTest.allPresetsOn(true, true)), NS,
                Fixtures.facts(List.of(new ApiServerEndpoint("fd00::1", 6443, "TCP")), List.of("10.0.0.1")))
                .networkPolicies());
        all.addAll(ProfileRenderer.render(profile("q", ProfileRendererPresetsTest.allPresetsOn(true, true)), NS,
                Fixtures.facts(List.of(), List.of())).networkPolicies());
        return all;
    }

    static Stream<NetworkPolicy> rendered() {
        return everythingRendered().stream();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("rendered")
    void renderedPoliciesMatchWhatTheApiServerStores(NetworkPolicy desired) {
        NetworkPolicy live = storedByApiServer(desired);

        assertThat(PolicyComparison.matches(desired, live)).isTrue();
        assertThat(PolicyComparison.matches(storedByApiServer(live), live)).isTrue();
    }

    /** Templates written the short way: everything the API server fills in must not count as drift. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{ingress: [{ports: [{port: 5432}]}]}",
            "{podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}",
            "{podSelector: {matchLabels: {}}, ingress: [], egress: []}",
            "{}",
            "{podSelector: {}, ingress: [{from: [], ports: [{port: 53, protocol: UDP}, {port: 53}]}]}",
    })
    void shortTemplatesMatchTheirDefaultedLiveObject(String yaml) throws Exception {
        NetworkPolicy desired = template(yaml);
        NetworkPolicy live = storedByApiServer(desired);

        assertThat(Fixtures.tree(live.getSpec())).isNotEqualTo(Fixtures.tree(desired.getSpec())); // defaulting did happen
        assertThat(PolicyComparison.matches(desired, live)).isTrue();
    }

    @Test
    void policyTypesCompareAsASet() throws Exception {
        NetworkPolicy desired = template("{podSelector: {}, policyTypes: [Egress, Ingress]}");
        NetworkPolicy live = storedByApiServer(desired);
        live.getSpec().setPolicyTypes(new ArrayList<>(List.of("Ingress", "Egress")));

        assertThat(PolicyComparison.matches(desired, live)).isTrue();
    }

    static Stream<Arguments> drifts() {
        return Stream.of(
                drift("changed port", np -> np.getSpec().getIngress().get(0).getPorts().get(0).setPort(new IntOrString(6380))),
                drift("int port became named port", np -> np.getSpec().getIngress().get(0).getPorts().get(0).setPort(new IntOrString("6379"))),
                drift("changed protocol", np -> np.getSpec().getIngress().get(0).getPorts().get(0).setProtocol("UDP")),
                drift("removed rule", np -> np.getSpec().getEgress().clear()),
                drift("added rule", np -> np.getSpec().getIngress().add(np.getSpec().getIngress().get(0))),
                drift("removed peer", np -> np.getSpec().getIngress().get(0).getFrom().remove(2)),
                drift("reordered peers", np -> java.util.Collections.reverse(np.getSpec().getIngress().get(0).getFrom())),
                drift("changed cidr", np -> np.getSpec().getEgress().get(0).getTo().get(0).getIpBlock().setCidr("10.0.0.0/16")),
                drift("removed except", np -> np.getSpec().getIngress().get(0).getFrom().get(0).getIpBlock().setExcept(null)),
                drift("widened peer with namespaceSelector {}",
                        np -> np.getSpec().getIngress().get(0).getFrom().get(2).setNamespaceSelector(new LabelSelector())),
                drift("changed pod selector", np -> np.getSpec().getPodSelector().getMatchLabels().put("role", "cache")),
                drift("emptied pod selector", np -> np.getSpec().setPodSelector(null)),
                drift("dropped Egress type", np -> np.getSpec().setPolicyTypes(new ArrayList<>(List.of("Ingress")))),
                drift("added endPort", np -> np.getSpec().getIngress().get(0).getPorts().get(0).setEndPort(6400)),
                drift("missing managed-by label", np -> np.getMetadata().getLabels().remove(ManagedLabels.MANAGED_BY)),
                drift("missing profile label", np -> np.getMetadata().getLabels().remove(ManagedLabels.PROFILE)),
                drift("wrong profile label value", np -> np.getMetadata().getLabels().put(ManagedLabels.PROFILE, "other")),
                drift("wrong managed-by value", np -> np.getMetadata().getLabels().put(ManagedLabels.MANAGED_BY, "helm")),
                drift("no labels at all", np -> np.getMetadata().setLabels(null)),
                drift("missing ownerReference", np -> np.getMetadata().setOwnerReferences(new ArrayList<>())),
                drift("ownerReference to another uid", np -> np.getMetadata().getOwnerReferences().get(0).setUid("other-uid")),
                drift("ownerReference no longer controller", np -> np.getMetadata().getOwnerReferences().get(0).setController(null)),
                drift("ownerReference of another kind", np -> np.getMetadata().getOwnerReferences().get(0).setKind("ConfigMap")));
    }

    private static Arguments drift(String name, Consumer<NetworkPolicy> change) {
        return Arguments.of(name, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drifts")
    void realDriftIsDetected(String name, Consumer<NetworkPolicy> change) {
        NetworkPolicy desired = seedPolicy();
        NetworkPolicy live = storedByApiServer(desired);
        assertThat(PolicyComparison.matches(desired, live)).as("before: " + name).isTrue();

        change.accept(live);

        assertThat(PolicyComparison.matches(desired, live)).as(name).isFalse();
    }

    @Test
    void missingLiveObjectNeverMatches() {
        assertThat(PolicyComparison.matches(seedPolicy(), null)).isFalse();
    }

    @Test
    void foreignLabelsAnnotationsAndOwnersAreNotDrift() {
        NetworkPolicy desired = seedPolicy();
        NetworkPolicy live = storedByApiServer(desired);
        live.getMetadata().getLabels().put("app.kubernetes.io/instance", "argo-app");
        live.getMetadata().setAnnotations(new HashMap<>(java.util.Map.of("note", "added by hand")));
        live.getMetadata().getOwnerReferences().add(foreignOwner(false));
        live.getMetadata().getOwnerReferences().get(0).setBlockOwnerDeletion(true);

        assertThat(PolicyComparison.matches(desired, live)).isTrue();
    }

    @Test
    void mergeKeepsEverythingOthersAddedAndAppliesOurs() {
        NetworkPolicy desired = seedPolicy();
        NetworkPolicy live = storedByApiServer(desired);
        live.getMetadata().getLabels().put("app.kubernetes.io/instance", "argo-app");
        live.getMetadata().getLabels().put(ManagedLabels.PROFILE, "tampered");
        live.getMetadata().setAnnotations(new HashMap<>(java.util.Map.of("note", "by hand")));
        live.getMetadata().setFinalizers(new ArrayList<>(List.of("example.com/keep")));
        OwnerReference foreign = foreignOwner(false);
        live.getMetadata().getOwnerReferences().add(0, foreign);
        live.getSpec().getIngress().get(0).getPorts().get(0).setPort(new IntOrString(1));
        String liveBefore = Fixtures.SERIALIZATION.asJson(live);
        String desiredBefore = Fixtures.SERIALIZATION.asJson(desired);

        NetworkPolicy merged = PolicyComparison.merge(desired, live);

        assertThat(merged.getMetadata().getResourceVersion()).isEqualTo("12345");
        assertThat(merged.getMetadata().getUid()).isEqualTo("live-uid-1");
        assertThat(merged.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/instance", "argo-app")
                .containsEntry(ManagedLabels.PROFILE, "db-tier")
                .containsEntry(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE);
        assertThat(merged.getMetadata().getAnnotations()).containsEntry("note", "by hand");
        assertThat(merged.getMetadata().getFinalizers()).containsExactly("example.com/keep");
        assertThat(merged.getMetadata().getOwnerReferences()).hasSize(2);
        assertThat(merged.getMetadata().getOwnerReferences().get(0)).isEqualTo(foreign);
        assertThat(merged.getMetadata().getOwnerReferences().get(1).getUid()).isEqualTo(UID);
        assertThat(Fixtures.tree(merged.getSpec())).isEqualTo(Fixtures.tree(desired.getSpec()));
        assertThat(PolicyComparison.matches(desired, merged)).isTrue();
        // inputs untouched, output not aliased
        assertThat(Fixtures.SERIALIZATION.asJson(live)).isEqualTo(liveBefore);
        assertThat(Fixtures.SERIALIZATION.asJson(desired)).isEqualTo(desiredBefore);
        merged.getSpec().getPolicyTypes().clear();
        assertThat(desired.getSpec().getPolicyTypes()).isNotEmpty();
    }

    @Test
    void mergeReplacesAStaleReferenceToUsInsteadOfDuplicatingIt() {
        NetworkPolicy desired = seedPolicy();
        NetworkPolicy live = storedByApiServer(desired);
        live.getMetadata().getOwnerReferences().get(0).setController(false);
        live.getMetadata().getOwnerReferences().get(0).setName("old-name");
        assertThat(PolicyComparison.matches(desired, live)).isFalse();

        NetworkPolicy merged = PolicyComparison.merge(desired, live);

        assertThat(merged.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getName()).isEqualTo("db-tier");
        });
    }

    @Test
    void mergeWithoutLiveObjectIsACopyOfDesired() {
        NetworkPolicy desired = seedPolicy();
        NetworkPolicy merged = PolicyComparison.merge(desired, null);
        assertThat(merged).isEqualTo(desired).isNotSameAs(desired);
    }

    @Test
    void foreignControllerIsReportedSoTheCallerCanRaiseAConflict() {
        NetworkPolicy desired = seedPolicy();
        NetworkPolicy live = storedByApiServer(desired);
        assertThat(PolicyComparison.foreignController(live, UID)).isEmpty();

        live.getMetadata().setOwnerReferences(new ArrayList<>(List.of(foreignOwner(false))));
        assertThat(PolicyComparison.foreignController(live, UID)).isEmpty();

        OwnerReference controller = foreignOwner(true);
        live.getMetadata().getOwnerReferences().add(controller);
        assertThat(PolicyComparison.foreignController(live, UID)).contains(controller);
        assertThat(PolicyComparison.foreignController(null, UID)).isEmpty();
    }

    private static OwnerReference foreignOwner(boolean controller) {
        return new OwnerReferenceBuilder().withApiVersion("argoproj.io/v1alpha1").withKind("Application")
                .withName("app").withUid("foreign-uid").withController(controller).build();
    }

    private static NetworkPolicy seedPolicy() {
        return policy(ProfileRenderer.render(ProfileRendererTest.seed(), "default", Fixtures.someFacts()),
                "db-tier-db-ingress");
    }

    private static NetworkPolicy template(String yaml) throws Exception {
        IsolationProfileSpec spec = Fixtures.spec(false, false);
        spec.setPolicies(List.of(new PolicyTemplate("t", ProfileRendererTest.YAML.readValue(yaml, NetworkPolicySpec.class))));
        return policy(ProfileRenderer.render(profile("p", spec), NS, Fixtures.someFacts()), "p-t");
    }
}
