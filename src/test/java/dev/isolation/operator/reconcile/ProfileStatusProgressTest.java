package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ConditionType;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.deleteProfile;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Status as automation reads it, end to end against the mock API server: progress during a
 * rollout at a bounded write rate, deleted namespaces leaving the counts, and Events.
 * (isolation.status-write-interval is 500ms in the test profile.)
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ProfileStatusProgressTest extends OperatorMockTest {

    private static final Duration WRITE_INTERVAL = Duration.ofMillis(500);

    /** Every status the profile had, as a watch saw it. */
    private static final class StatusLog implements Watcher<IsolationProfile> {
        final List<IsolationProfileStatus> statuses = new CopyOnWriteArrayList<>();

        @Override
        public void eventReceived(Action action, IsolationProfile resource) {
            if (resource.getStatus() != null) {
                statuses.add(resource.getStatus());
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }

    private long statusWrites(String profile) {
        return ApiTraffic.drain(server.getKubernetesMockServer()).stream().filter(ApiTraffic.Request::fromOperator)
                .filter(r -> r.method().equals("PUT")
                        && r.path().startsWith("/apis/isolation.dev/v1alpha1/isolationprofiles/" + profile + "/status"))
                .count();
    }

    private List<Event> events(String profile) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> profile.equals(e.getInvolvedObject().getName())
                        && "IsolationProfile".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    @Test
    void aRolloutIsReportedEarlyAndProgressivelyWithFewWrites() {
        int count = 400;
        IntStream.range(0, count).forEach(i -> namespace(client, "ro-" + i + "-" + id, Map.of("rollout", id)));
        String name = "ro-" + id;
        StatusLog log = new StatusLog();
        long before = statusWrites(name);
        long start = System.nanoTime();
        try (Watch ignored = client.resources(IsolationProfile.class).withName(name).watch(log)) {
            create(client, profile(name, Map.of("rollout", id)));
            await().atMost(TIMEOUT.multipliedBy(3)).until(() -> conditionIs(client, name, "Ready", "True", "Reconciled"));
            // The watch delivers the final status after a GET may have seen it.
            await().atMost(TIMEOUT).until(() -> !log.statuses.isEmpty()
                    && log.statuses.get(log.statuses.size() - 1).getNamespaces().getReady() == count);
        }
        Duration rollout = Duration.ofNanos(System.nanoTime() - start);
        long writes = statusWrites(name) - before;

        System.out.printf("rollout of %d namespaces: %d ms, %d status writes, statuses seen: %s%n", count,
                rollout.toMillis(), writes, log.statuses.stream().map(st -> st.getNamespaceSummary()).toList());
        // Every status before the final one is a progress report: Reconciling, not yet all ready.
        List<IsolationProfileStatus> seen = log.statuses;
        for (IsolationProfileStatus intermediate : seen.subList(0, seen.size() - 1)) {
            if (intermediate.getNamespaces().getReady() < count) {
                assertThat(StatusBuilder.isTrue(intermediate, ConditionType.Reconciling)).isTrue();
                assertThat(StatusBuilder.find(intermediate, "Reconciling").getMessage()).matches("\\d+/400 namespaces.*");
                assertThat(StatusBuilder.find(intermediate, "Ready").getStatus()).isEqualTo("False");
            }
        }
        IsolationProfileStatus last = get(client, name).getStatus();
        assertThat(last.getNamespaces().getReady()).isEqualTo(count);
        assertThat(StatusBuilder.find(last, "Reconciling")).isNull();
        // The first status comes early, before the rollout is through (profile reconciles jump the
        // queue of namespace reconciles), then at most one per interval, then the final one.
        assertThat(seen.get(0).getNamespaces().getReady()).as("namespaces ready in the first status").isLessThan(count);
        long bound = 2 + rollout.toMillis() / WRITE_INTERVAL.toMillis() + 1;
        assertThat(writes).as("status writes during a %d ms rollout", rollout.toMillis()).isBetween(2L, bound);
        deleteProfile(client, name);
    }

    @Test
    void aDeletedNamespaceLeavesTheCountsAtOnce() {
        namespace(client, "keep-" + id, Map.of("del", id));
        // A finalizer keeps the namespace Terminating for a while, as a real API server does.
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("gone-" + id).withLabels(Map.of("del", id)).withFinalizers("test.isolation.dev/hold")
                .endMetadata().build()).create();
        String name = "del-" + id;
        create(client, profile(name, Map.of("del", id)));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Ready", "True", "Reconciled")
                && get(client, name).getStatus().getNamespaces().getSelected() == 2);

        client.namespaces().withName("gone-" + id).delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            IsolationProfileStatus status = get(client, name).getStatus();
            assertThat(status.getNamespaces().getSelected()).isEqualTo(1);
            assertThat(status.getNamespaceSummary()).isEqualTo("1/1");
        });
        // The mock API server does not garbage-collect a deleted namespace's objects; do it here.
        client.network().v1().networkPolicies().inNamespace("gone-" + id).delete();
        OperatorTestSupport.editNamespace(client, "gone-" + id, n -> {
            n.getMetadata().setFinalizers(new ArrayList<>());
            return n;
        });
        deleteProfile(client, name);
    }

    @Test
    void conflictsStallTheProfileAndMakeOneAggregatedEvent() {
        String name = "cf-" + id;
        int count = 12;
        for (int i = 0; i < count; i++) {
            String ns = "cf-" + i + "-" + id;
            namespace(client, ns, Map.of("conflict", id));
            // A user's own policy holds the name the profile would write: a conflict in every namespace.
            client.network().v1().networkPolicies().inNamespace(ns).resource(new NetworkPolicyBuilder()
                    .withNewMetadata().withName(name + "-default-deny").endMetadata()
                    .withNewSpec().withNewPodSelector().endPodSelector().endSpec().build()).create();
        }
        create(client, profile(name, Map.of("conflict", id)));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Stalled", "True", "Conflict")
                && get(client, name).getStatus().getNamespaces().getFailed() == count);
        assertThat(conditionIs(client, name, "Ready", "False", "Conflict")).isTrue();

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events(name))
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Conflict")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events(name).stream().map(Event::getMessage))
                .anyMatch(m -> m.startsWith("Stalled=True")));
        List<Event> conflictEvents = events(name).stream().filter(e -> "Conflict".equals(e.getReason())).toList();
        assertThat(conflictEvents).allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getUid()).isEqualTo(get(client, name).getMetadata().getUid());
        });
        // The failures of every namespace in one Event naming the first few (rate-limited per reason).
        List<Event> aggregated = conflictEvents.stream().filter(e -> e.getMessage().startsWith("Conflict in ")).toList();
        assertThat(aggregated).hasSize(1);
        assertThat(aggregated.get(0).getMessage())
                .matches("Conflict in cf-\\d+-" + id + "(, cf-\\d+-" + id + "){4}, \u2026 \\(first 5\\); \\d+ namespaces failed in all.*");
        assertThat(events(name)).as("Events for %d failing namespaces", count).hasSizeLessThan(count / 2);
        deleteProfile(client, name);
    }
}
