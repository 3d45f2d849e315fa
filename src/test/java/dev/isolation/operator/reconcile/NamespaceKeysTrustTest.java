package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.Mode;
import dev.isolation.operator.render.OwnedKeys;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static dev.isolation.operator.reconcile.OperatorTestSupport.annotations;
import static dev.isolation.operator.reconcile.OperatorTestSupport.condition;
import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.deleteProfile;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.labels;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.policyNames;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trust rules for namespace keys (api.md "Namespace keys") end to end: the bookkeeping
 * annotation is untrusted input that may be malformed, forged or stale.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class NamespaceKeysTrustTest extends OperatorMockTest {

    private static final String PSS = "pod-security.kubernetes.io/enforce";

    private Namespace namespaceWith(String name, Map<String, String> labels, Map<String, String> annotations) {
        return client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(labels).withAnnotations(annotations).endMetadata().build()).create();
    }

    private List<FailedNamespace> failed(String profile) {
        IsolationProfile p = get(client, profile);
        return p.getStatus() == null || p.getStatus().getFailedNamespaces() == null ? List.of()
                : p.getStatus().getFailedNamespaces();
    }

    private boolean healthy() {
        return launcher.runtime().map(OperatorRuntime::healthy).orElse(false);
    }

    @Test
    void malformedBookkeepingPresentAtStartUpNeitherStopsTheOperatorNorOtherNamespaces() {
        namespaceWith(ns("null"), sel(), Map.of(OwnedKeys.ANNOTATION, "null"));
        namespaceWith(ns("nulls"), sel(), Map.of(OwnedKeys.ANNOTATION, "{\"p\":{\"labels\":[null]}}"));
        namespace(client, ns("good"), sel());
        launcher.stop();
        OperatorTestSupport.boot(client, launcher);

        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setNamespaceLabels(Map.of("project", "x"));
        create(client, p);
        String name = "p-" + id;
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(labels(client, ns("good"))).containsEntry("project", "x");
            assertThat(failed(name)).extracting(FailedNamespace::getName).containsExactly(ns("null"), ns("nulls"));
        });
        assertThat(failed(name)).allSatisfy(f -> assertThat(f.getMessage()).contains(f.getName())
                .contains(OwnedKeys.ANNOTATION).contains("malformed"));
        assertThat(condition(client, name, "Ready").getStatus()).isEqualTo("False");
        // The bad namespaces still get their policies; only their metadata is left alone.
        assertThat(policyNames(client, ns("null"))).hasSize(2);
        assertThat(labels(client, ns("null"))).doesNotContainKey("project");
        assertThat(annotations(client, ns("nulls"))).containsEntry(OwnedKeys.ANNOTATION, "{\"p\":{\"labels\":[null]}}");
        assertThat(healthy()).isTrue();

        // Once a person removes the broken annotations, everything converges.
        for (String bad : List.of(ns("null"), ns("nulls"))) {
            OperatorTestSupport.editNamespace(client, bad, n -> {
                n.getMetadata().getAnnotations().remove(OwnedKeys.ANNOTATION);
                return n;
            });
        }
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Ready", "True", "Reconciled"));
        assertThat(labels(client, ns("null"))).containsEntry("project", "x");
        deleteProfile(client, name);
    }

    @Test
    void malformedBookkeepingAppearingWhileRunningFreezesNothing() {
        namespace(client, ns("first"), sel());
        String name = "p-" + id;
        create(client, profile(name, sel()));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Ready", "True", "Reconciled"));

        namespaceWith(ns("bad"), sel(), Map.of(OwnedKeys.ANNOTATION, "null"));
        OperatorTestSupport.editNamespace(client, ns("first"), n -> {
            n.getMetadata().getAnnotations().put(OwnedKeys.ANNOTATION, "{\"p\":{\"labels\":[null]}}");
            return n;
        });
        namespace(client, ns("later"), sel());
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(policyNames(client, ns("later"))).hasSize(2);
            assertThat(failed(name)).extracting(FailedNamespace::getName).containsExactly(ns("bad"), ns("first"));
            assertThat(get(client, name).getStatus().getNamespaces().getSelected()).isEqualTo(3);
        });
        assertThat(condition(client, name, "Ready").getMessage()).contains(ns("bad")).contains("malformed");
        assertThat(healthy()).isTrue();
        deleteProfile(client, name);
        client.namespaces().withName(ns("bad")).delete();
        client.namespaces().withName(ns("first")).delete();
    }

    @Test
    void aRecordForAProfileThatDoesNotExistStripsNothing() {
        namespaceWith(ns("ghost"), Map.of("suite", id, PSS, "restricted"),
                Map.of(OwnedKeys.ANNOTATION, "{\"ghost-" + id + "\":{\"labels\":[\"" + PSS + "\"]}}"));
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setNamespaceLabels(Map.of("project", "x"));
        create(client, p);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(labels(client, ns("ghost"))).containsEntry("project", "x");
            assertThat(annotations(client, ns("ghost")).get(OwnedKeys.ANNOTATION)).doesNotContain("ghost-" + id);
        });
        assertThat(labels(client, ns("ghost"))).containsEntry(PSS, "restricted");
        deleteProfile(client, name);
        assertThat(labels(client, ns("ghost"))).containsEntry(PSS, "restricted").doesNotContainKey("project");
    }

    @Test
    void theUsersValueComesBackWhenTheProfileGoes() {
        namespace(client, ns("user"), Map.of("suite", id, "project", "userval"));
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setNamespaceLabels(Map.of("project", "myproject"));
        create(client, p);
        await().atMost(TIMEOUT).until(() -> "myproject".equals(labels(client, ns("user")).get("project")));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Ready", "True", "Reconciled"));

        deleteProfile(client, name);
        assertThat(labels(client, ns("user"))).containsEntry("project", "userval");
        assertThat(annotations(client, ns("user"))).doesNotContainKey(OwnedKeys.ANNOTATION);
    }

    @Test
    void aValueTheUserChangedAfterTheProfileSetItIsNotRemoved() {
        namespace(client, ns("changed"), sel());
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setNamespaceLabels(Map.of("project", "myproject"));
        create(client, p);
        await().atMost(TIMEOUT).until(() -> "myproject".equals(labels(client, ns("changed")).get("project")));
        // Stop the profile from enforcing, then let the user take the key over: its release must keep the user's value.
        OperatorTestSupport.editProfile(client, name, x -> {
            x.getSpec().setMode(Mode.DryRun);
            return x;
        });
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Ready", "False", "DryRun")
                || conditionIs(client, name, "Ready", "True", "DryRun"));
        OperatorTestSupport.editNamespace(client, ns("changed"), n -> {
            n.getMetadata().getLabels().put("project", "mine-now");
            return n;
        });
        deleteProfile(client, name);
        assertThat(labels(client, ns("changed"))).containsEntry("project", "mine-now");
    }

    @Test
    void anUnexpectedFailureIsStillRecordedForTheProfilesSelectingTheNamespace() {
        namespace(client, ns("boom"), sel());
        namespace(client, ns("fine"), sel());
        // A create answered with an empty object: nothing in the operator expects that.
        server.expect().post().withPath("/apis/networking.k8s.io/v1/namespaces/" + ns("boom") + "/networkpolicies")
                .andReturn(201, "{}").times(4);
        String name = "p-" + id;
        create(client, profile(name, sel()));
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(failed(name)).singleElement().satisfies(f -> {
                assertThat(f.getName()).isEqualTo(ns("boom"));
                assertThat(f.getReason()).isEqualTo(ConditionReason.ReconcileError.name());
                assertThat(f.getMessage()).contains(ns("boom"));
            });
            assertThat(get(client, name).getStatus().getNamespaces().getReady()).isEqualTo(1);
        });
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Ready", "True", "Reconciled"));
        assertThat(policyNames(client, ns("boom"))).hasSize(2);
        deleteProfile(client, name);
    }

    @Test
    void oldFormatBookkeepingIsMigratedOnTheNextWrite() {
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setNamespaceLabels(Map.of("legacy", "v"));
        create(client, p);
        // The profile exists before the namespace shows up, as after an upgrade.
        await().atMost(TIMEOUT).until(() -> condition(client, name, "Ready") != null);
        namespaceWith(ns("old"), Map.of("suite", id, "legacy", "v"),
                Map.of(OwnedKeys.ANNOTATION, "{\"" + name + "\":{\"labels\":[\"legacy\"]}}"));
        await().atMost(TIMEOUT).until(() -> ("{\"" + name + "\":{\"labels\":{\"legacy\":{\"value\":\"v\"}}}}")
                .equals(annotations(client, ns("old")).get(OwnedKeys.ANNOTATION)));
        deleteProfile(client, name);
        assertThat(labels(client, ns("old"))).doesNotContainKey("legacy");
    }
}
