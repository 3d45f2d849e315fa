package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.render.ManagedLabels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static dev.isolation.operator.reconcile.OperatorTestSupport.condition;
import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.deleteProfile;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.policyNames;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Error classes, deleted and terminating namespaces, held deletions and tenant look-alikes, end to
 * end against the mock API server.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ResilienceTest extends OperatorMockTest {

    private String p() {
        return "p-" + id;
    }

    private OperatorRuntime runtime() {
        return launcher.runtime().orElseThrow();
    }

    private List<Event> events(String profile, String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && profile.equals(e.getInvolvedObject().getName())
                        && "IsolationProfile".equals(e.getInvolvedObject().getKind()) && reason.equals(e.getReason()))
                .toList();
    }

    /** The aggregated failure Events (not the condition transitions that share their reason). */
    private List<Event> failureEvents(String profile, String reason) {
        return events(profile, reason).stream().filter(e -> e.getMessage().startsWith(reason + " in ")).toList();
    }

    private NetworkPolicy policy(String namespace, String name) {
        return client.network().v1().networkPolicies().inNamespace(namespace).withName(name).get();
    }

    // ------------------------------------------------------------ item 4: deleted namespaces

    @Test
    void aDeletedNamespaceLeavesTheCountsAndTheLedgerAtOnce() {
        namespace(client, ns("keep"), sel());
        namespace(client, ns("gone"), sel());
        create(client, profile(p(), sel()));
        await().atMost(TIMEOUT).until(() -> get(client, p()).getStatus() != null
                && get(client, p()).getStatus().getNamespaces() != null
                && get(client, p()).getStatus().getNamespaces().getSelected() == 2);

        client.namespaces().withName(ns("gone")).delete();
        // The namespace's content went with it on a real cluster; the mock leaves it behind.
        client.network().v1().networkPolicies().inNamespace(ns("gone")).delete();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(client, p()).getStatus().getNamespaces().getSelected()).isEqualTo(1);
            assertThat(get(client, p()).getStatus().getNamespaceSummary()).isEqualTo("1/1");
        });
        assertThat(runtime().ledger().namespacesSelectedBy(p())).containsExactly(ns("keep"));
        deleteProfile(client, p());
    }

    @Test
    void aNamespaceStuckInTerminatingLeavesTheCountsAndDoesNotHoldTheProfilesDeletion() {
        namespace(client, ns("term"), sel());
        namespace(client, ns("live"), sel());
        OperatorTestSupport.editNamespace(client, ns("term"), n -> {
            n.getMetadata().setFinalizers(List.of("example.com/never-done"));
            return n;
        });
        IsolationProfile prof = profile(p(), sel());
        prof.getSpec().setNamespaceLabels(Map.of("isolated", "yes"));
        create(client, prof);
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("term")).size() == 2
                && conditionIs(client, p(), "Ready", "True", null));

        client.namespaces().withName(ns("term")).delete();
        await().atMost(TIMEOUT).until(() -> client.namespaces().withName(ns("term")).get().getMetadata()
                .getDeletionTimestamp() != null);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(get(client, p()).getStatus().getNamespaces().getSelected()).isEqualTo(1));

        deleteProfile(client, p());
        assertThat(policyNames(client, ns("term"))).as("policies of the deleted profile are removed").isEmpty();
        assertThat(policyNames(client, ns("live"))).isEmpty();
        OperatorTestSupport.editNamespace(client, ns("term"), n -> {
            n.getMetadata().setFinalizers(List.of());
            return n;
        });
    }

    @Test
    void aDeletionHeldByAForeignFinalizerSaysWhichNamespaceHoldsIt() {
        namespace(client, ns("held"), sel());
        create(client, profile(p(), sel()));
        String name = p() + "-default-deny";
        await().atMost(TIMEOUT).until(() -> policy(ns("held"), name) != null
                && conditionIs(client, p(), "Ready", "True", null));
        OperatorTestSupport.retryOnConflict(() -> client.network().v1().networkPolicies().inNamespace(ns("held"))
                .withName(name).edit(np -> {
                    np.getMetadata().setFinalizers(new ArrayList<>(List.of("example.com/backup")));
                    return np;
                }));

        client.resources(IsolationProfile.class).withName(p()).delete();
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition(client, p(), "Ready").getReason()).isEqualTo(ConditionReason.DeletionBlocked.name());
            assertThat(condition(client, p(), "Ready").getMessage()).contains("namespace " + ns("held"))
                    .contains(name).contains("example.com/backup");
            assertThat(events(p(), ConditionReason.DeletionBlocked.name())).singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains(ns("held")));
        });
        assertThat(get(client, p())).as("still waiting").isNotNull();

        OperatorTestSupport.retryOnConflict(() -> client.network().v1().networkPolicies().inNamespace(ns("held"))
                .withName(name).edit(np -> {
                    np.getMetadata().setFinalizers(List.of());
                    return np;
                }));
        await().atMost(TIMEOUT).until(() -> get(client, p()) == null);
    }

    // ------------------------------------------------------------ also: tenant look-alikes

    @Test
    void aTenantLookAlikeWithOurLabelsAndAFinalizerIsNeverDeletedWaitedOnOrCounted() {
        namespace(client, ns("tenant"), sel());
        create(client, profile(p(), sel()));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, p(), "Ready", "True", null));
        long managedBefore = runtime().view().managedPolicyCount();
        Map<String, String> ourLabels = Map.of(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE,
                ManagedLabels.PROFILE, p());
        // No owner reference, and a forged one with a made-up uid.
        client.network().v1().networkPolicies().inNamespace(ns("tenant")).resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("fake-" + id).withLabels(ourLabels).withFinalizers("tenant.example/keep")
                .endMetadata().withNewSpec().withNewPodSelector().endPodSelector().endSpec().build()).create();
        client.network().v1().networkPolicies().inNamespace(ns("tenant")).resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("forged-" + id).withLabels(ourLabels).withFinalizers("tenant.example/keep")
                .addNewOwnerReference().withApiVersion("isolation.dev/v1alpha1").withKind("IsolationProfile")
                .withName(p()).withUid(UUID.randomUUID().toString()).withController(true).endOwnerReference()
                .endMetadata().withNewSpec().withNewPodSelector().endPodSelector().endSpec().build()).create();
        await().atMost(TIMEOUT).until(() -> runtime().view().policySource().list().count() >= managedBefore + 2);
        assertThat(runtime().view().managedPolicyCount()).as("look-alikes are not counted").isEqualTo(managedBefore);

        deleteProfile(client, p());
        for (String name : List.of("fake-" + id, "forged-" + id)) {
            assertThat(policy(ns("tenant"), name).getMetadata().getDeletionTimestamp())
                    .as("%s was not deleted", name).isNull();
        }
    }

    // ------------------------------------------------------------ also: conflict cleared by the user

    @Test
    void aConflictClearedByDeletingTheUsersPolicyConvergesWithinSeconds() {
        namespace(client, ns("c"), sel());
        String name = p() + "-default-deny";
        client.network().v1().networkPolicies().inNamespace(ns("c")).resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Egress").endSpec().build()).create();
        create(client, profile(p(), sel()));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, p(), "Ready", "False", "Conflict"));

        client.network().v1().networkPolicies().inNamespace(ns("c")).withName(name).delete();
        await().atMost(Duration.ofSeconds(8)).until(() -> conditionIs(client, p(), "Ready", "True", "Reconciled"));
        assertThat(policy(ns("c"), name).getMetadata().getLabels()).containsEntry(ManagedLabels.PROFILE, p());
        deleteProfile(client, p());
    }

    // ------------------------------------------------------------ item 6: error classes

    @Test
    void anAdmissionDenialIsReportedOnceAndNotRetriedHot() {
        namespace(client, ns("deny"), sel());
        String path = "/apis/networking.k8s.io/v1/namespaces/" + ns("deny") + "/networkpolicies";
        // One reconcile's two creates are denied; a retry of the same request would succeed here,
        // so a hot retry shows up as Ready turning True.
        server.expect().post().withPath(path).andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403)
                .withReason("Forbidden").withMessage("admission webhook \"policy.example.com\" denied the request:"
                        + " NetworkPolicies need approval").build()).times(2);
        create(client, profile(p(), sel()));

        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition(client, p(), "Ready").getReason()).isEqualTo("ApplyFailed");
            assertThat(condition(client, p(), "Ready").getMessage()).contains(ns("deny")).contains("denied the request");
            assertThat(failureEvents(p(), "ApplyFailed")).singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains(ns("deny")).contains("denied"));
        });
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> conditionIs(client, p(), "Ready", "False", "ApplyFailed"));

        // A relevant change (here: to the namespace) retries at once.
        OperatorTestSupport.editNamespace(client, ns("deny"), n -> {
            n.getMetadata().getLabels().put("approved", "yes");
            return n;
        });
        await().atMost(TIMEOUT).until(() -> conditionIs(client, p(), "Ready", "True", "Reconciled"));
        assertThat(failureEvents(p(), "ApplyFailed")).hasSize(1);
        deleteProfile(client, p());
    }

    @Test
    void tooManyRequestsIsRetriedNoSoonerThanRetryAfter() {
        namespace(client, ns("slow"), sel());
        String path = "/apis/networking.k8s.io/v1/namespaces/" + ns("slow") + "/networkpolicies";
        server.expect().post().withPath(path).andReturn(429, new StatusBuilder().withStatus("Failure").withCode(429)
                .withReason("TooManyRequests").withMessage("too many requests")
                .withNewDetails().withRetryAfterSeconds(3).endDetails().build()).times(2);
        create(client, profile(p(), sel()));

        await().atMost(TIMEOUT).until(() -> conditionIs(client, p(), "Ready", "False", "ApplyFailed"));
        assertThat(condition(client, p(), "Ready").getMessage()).contains("429");
        // JOSDK's own backoff would retry after 0.5 s; the server asked for 3 s.
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4))
                .until(() -> !conditionIs(client, p(), "Ready", "True", null));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, p(), "Ready", "True", "Reconciled"));
        deleteProfile(client, p());
    }
}
