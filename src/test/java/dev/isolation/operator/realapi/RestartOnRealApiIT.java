package dev.isolation.operator.realapi;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.render.ManagedLabels;
import dev.isolation.operator.render.OwnedKeys;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Goal 4 of issue 12 as an ordinary (untimed) test: an operator killed halfway through a rollout
 * over many namespaces ({@link RealApiOperator#kill}, the in-process kill -9), then a fresh
 * instance. The fresh one converges; no object is duplicated or lost (exact policies per
 * namespace, objects that existed at the kill keep their uid, metadata and the bookkeeping
 * annotation as the contract says); and, read from the server's audit log, it writes nothing that
 * was already correct when the first one died. Timings are printed, never asserted.
 */
class RestartOnRealApiIT extends FleetOnRealApi {

    /**
     * Issue 12 names 1,000 (passes too: {@code -Drealapi.restart.namespaces=1000}, about a minute
     * more); 500 keep the tier short in CI and still give a few hundred namespaces on each side of the kill.
     */
    private static final int NAMESPACES = Integer.getInteger("realapi.restart.namespaces", 500);
    private static final String FIRST = "isolation-operator-restart-first";
    private static final String SECOND = "isolation-operator-restart-second";
    private static final Duration ROLLOUT = Duration.ofMinutes(5);

    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String PROFILE = "restart-" + ID;
    private static final List<String> NAMES = IntStream.range(0, NAMESPACES).mapToObj(i -> "rs-" + ID + "-" + i).toList();

    private static Set<String> expectedPolicies() {
        return Set.of(PROFILE + "-default-deny", PROFILE + "-allow-same-namespace", PROFILE + "-web");
    }

    @Test
    void killedHalfwayThenRestartedConvergesWithoutDuplicatesLossesOrRewrites() {
        createNamespaces(NAMES, n -> Map.of("restart-suite", ID, "team", "blue"));
        IsolationProfile p = profile(PROFILE, Map.of("restart-suite", ID));
        p.getSpec().setNamespaceLabels(Map.of("tier", "restricted"));
        p.getSpec().setNamespaceAnnotations(Map.of("owner", "team-a"));
        // No protocol, no policyTypes: the server fills both in, which must never look like drift.
        p.getSpec().setPolicies(List.of(new PolicyTemplate("web", new NetworkPolicySpecBuilder()
                .withNewPodSelector().addToMatchLabels("role", "web").endPodSelector()
                .addNewIngress().addNewPort().withPort(new IntOrString(8080)).endPort().endIngress().build())));
        createProfile(p);
        String uid = get(admin, PROFILE).getMetadata().getUid();
        int total = expectedPolicies().size() * NAMESPACES;

        AuditLog audit = server.auditLog();
        long mark = audit.mark();
        Instant started = Instant.now();
        RealApiOperator first = RealApiOperator.start(ShippedInstall.operatorClient(server, admin, FIRST), Optional.empty());
        try {
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> createdPolicies(audit.since(mark), FIRST).size() >= total / 2);
        } finally {
            first.kill();
        }
        Instant killed = Instant.now();

        // What the first instance left behind. A request it had sent before the kill may still land
        // after this snapshot; such objects count as not done, which only narrows the check below.
        Map<String, Namespace> namespacesAtKill = namespaces();
        Map<String, NetworkPolicy> policiesAtKill = policies();
        assertThat(policiesAtKill.size()).as("the kill came mid-rollout").isBetween(1, total - 1);

        long restartMark = audit.mark();
        Instant restarted = Instant.now();
        Instant converged;
        try (RealApiOperator second = RealApiOperator.start(ShippedInstall.operatorClient(server, admin, SECOND),
                Optional.empty())) {
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                IsolationProfile current = get(admin, PROFILE);
                assertThat(conditionIs(admin, PROFILE, "Ready", "True", "Reconciled")).isTrue();
                IsolationProfileStatus status = current.getStatus();
                assertThat(status.getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
                assertThat(List.of(status.getNamespaces().getSelected(), status.getNamespaces().getReady(),
                        status.getNamespaces().getFailed())).containsExactly(NAMESPACES, NAMESPACES, 0);
                assertThat(List.of(status.getPolicies().getDesired(), status.getPolicies().getApplied()))
                        .containsExactly(total, total);
            });
            converged = Instant.now();
        }

        // Exactly the expected objects, each as the contract says.
        Map<String, NetworkPolicy> policies = policies();
        Set<String> expected = NAMES.stream().flatMap(ns -> expectedPolicies().stream().map(name -> ns + "/" + name))
                .collect(Collectors.toSet());
        assertThat(policies.keySet()).isEqualTo(expected);
        assertThat(admin.network().v1().networkPolicies().inAnyNamespace()
                .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list().getItems().stream()
                .filter(np -> np.getMetadata().getNamespace().startsWith("rs-" + ID + "-")).count())
                .as("no other managed policy in these namespaces").isEqualTo(total);
        policies.values().forEach(np -> {
            assertThat(np.getMetadata().getLabels()).containsEntry(ManagedLabels.PROFILE, PROFILE)
                    .containsEntry(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE);
            assertThat(np.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getUid()).isEqualTo(uid);
                assertThat(ref.getController()).isTrue();
            });
            if (np.getMetadata().getName().endsWith("-web")) {
                assertThat(np.getSpec().getIngress().get(0).getPorts().get(0).getProtocol()).isEqualTo("TCP");
            }
        });
        policiesAtKill.forEach((key, np) -> assertThat(policies.get(key).getMetadata().getUid())
                .as("%s existed at the kill: never deleted and re-created", key).isEqualTo(np.getMetadata().getUid()));
        Map<String, Namespace> namespaces = namespaces();
        assertThat(namespaces.keySet()).containsExactlyInAnyOrderElementsOf(NAMES);
        namespaces.values().forEach(ns -> {
            assertThat(ns.getMetadata().getLabels()).containsEntry("team", "blue").containsEntry("tier", "restricted");
            assertThat(ns.getMetadata().getAnnotations()).containsEntry("owner", "team-a");
            OwnedKeys owned = OwnedKeys.parse(ns.getMetadata().getAnnotations());
            assertThat(owned.malformed()).isFalse();
            assertThat(owned.profiles()).containsExactly(PROFILE);
            assertThat(owned.entries(PROFILE, OwnedKeys.Kind.LABELS)).containsOnlyKeys("tier")
                    .hasEntrySatisfying("tier", e -> assertThat(e.value()).isEqualTo("restricted"));
            assertThat(owned.entries(PROFILE, OwnedKeys.Kind.ANNOTATIONS)).containsOnlyKeys("owner")
                    .hasEntrySatisfying("owner", e -> assertThat(e.value()).isEqualTo("team-a"));
        });

        // What was already correct at the kill (the same as the verified end state) is not written again.
        Set<String> correctPolicies = policiesAtKill.entrySet().stream()
                .filter(e -> samePolicy(e.getValue(), policies.get(e.getKey())))
                .map(e -> "networkpolicies/" + e.getKey()).collect(Collectors.toSet());
        Set<String> correctNamespaces = namespacesAtKill.entrySet().stream()
                .filter(e -> sameMetadata(e.getValue(), namespaces.get(e.getKey())))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(correctNamespaces).as("the kill came mid-rollout").isNotEmpty().hasSizeLessThan(NAMESPACES);
        List<AuditLog.Event> secondWrites = audit.since(restartMark).stream()
                .filter(e -> SECOND.equals(e.userAgent()) && e.mutating()).toList();
        assertThat(secondWrites).filteredOn(e -> correctPolicies.contains(e.object())
                        || e.resource().equals("namespaces") && correctNamespaces.contains(e.name()))
                .as("writes to objects already correct at the kill").isEmpty();
        assertThat(secondWrites).filteredOn(e -> e.resource().equals("networkpolicies") && !e.verb().equals("create"))
                .as("the second instance only adds what is missing").isEmpty();
        List<String> created = createdPolicies(secondWrites, SECOND);
        assertThat(created).doesNotHaveDuplicates().allSatisfy(key -> assertThat(policiesAtKill).doesNotContainKey(key));
        List<AuditLog.Event> firstWrites = audit.since(mark).stream()
                .filter(e -> FIRST.equals(e.userAgent()) && e.mutating()).toList();
        assertThat(firstWrites).filteredOn(e -> e.received().isAfter(restarted))
                .as("nothing of the killed instance reaches the server after the restart").isEmpty();

        System.out.printf("restart at %d namespaces: killed after %s with %d of %d policies and %d of %d namespaces' metadata"
                        + " in place; the fresh instance converged in %s with %d policy creates and %d namespace patches"
                        + " (%d writes in all) and did not touch the %d policies and %d namespaces already correct%n",
                NAMESPACES, Duration.between(started, killed), policiesAtKill.size(), total, correctNamespaces.size(),
                NAMESPACES, Duration.between(restarted, converged), created.size(),
                secondWrites.stream().filter(e -> e.resource().equals("namespaces")).count(), secondWrites.size(),
                correctPolicies.size(), correctNamespaces.size());
    }

    /** namespace/name of every policy {@code userAgent} created (201), in the order it did. */
    private static List<String> createdPolicies(List<AuditLog.Event> events, String userAgent) {
        return events.stream().filter(e -> userAgent.equals(e.userAgent()) && e.verb().equals("create")
                        && e.resource().equals("networkpolicies") && e.code() == 201)
                .map(e -> {
                    assertThat(e.name()).as("the audit log names created objects").isNotEmpty();
                    return e.namespace() + "/" + e.name();
                }).toList();
    }

    private static Map<String, Namespace> namespaces() {
        return admin.namespaces().withLabel("restart-suite", ID).list().getItems().stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
    }

    private static Map<String, NetworkPolicy> policies() {
        return admin.network().v1().networkPolicies().inAnyNamespace().withLabel(ManagedLabels.PROFILE, PROFILE)
                .list().getItems().stream()
                .collect(Collectors.toMap(np -> np.getMetadata().getNamespace() + "/" + np.getMetadata().getName(),
                        Function.identity()));
    }

    private static boolean samePolicy(NetworkPolicy a, NetworkPolicy b) {
        return b != null && Objects.equals(a.getSpec(), b.getSpec())
                && Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
                && Objects.equals(a.getMetadata().getOwnerReferences(), b.getMetadata().getOwnerReferences());
    }

    private static boolean sameMetadata(Namespace a, Namespace b) {
        return b != null && Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
                && Objects.equals(a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations());
    }
}
