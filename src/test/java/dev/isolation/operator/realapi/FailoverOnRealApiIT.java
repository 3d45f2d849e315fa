package dev.isolation.operator.realapi;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.render.ManagedLabels;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static dev.isolation.operator.realapi.RealApiOperator.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Goal 5 of issue 12 as an ordinary (untimed) test: replicas with leader election on the shipped
 * RBAC, each with its own User-Agent so the audit log tells their requests apart. Only the leader
 * writes; a graceful stop of the leader mid-rollout hands over to the standby, which finishes;
 * a hard kill of the next leader mid-rollout ({@link RealApiOperator#kill}) leaves the Lease to
 * expire, and the next standby then finishes. No two replicas ever write in overlapping windows:
 * every write of the old leader is answered before the new leader's first write arrives. The
 * observed hand-over times are printed for information; the benchmark measures them.
 */
class FailoverOnRealApiIT extends FleetOnRealApi {

    /** Namespaces per rollout (two rollouts). */
    private static final int NAMESPACES = Integer.getInteger("realapi.failover.namespaces", 200);
    private static final String LEASE = "isolation-operator-leader";
    private static final Duration ROLLOUT = Duration.ofMinutes(5);

    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String A = "failover-a-" + ID;
    private static final String B = "failover-b-" + ID;
    private static final String C = "failover-c-" + ID;
    private static final String FIRST_PROFILE = "failover-first-" + ID;
    private static final String SECOND_PROFILE = "failover-second-" + ID;
    private static final List<String> FIRST_NAMESPACES = names("a");
    private static final List<String> SECOND_NAMESPACES = names("b");

    private static List<String> names(String batch) {
        return IntStream.range(0, NAMESPACES).mapToObj(i -> "fo-" + ID + "-" + batch + "-" + i).toList();
    }

    private static String holder() {
        Lease lease = admin.leases().inNamespace(ShippedInstall.NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** A replica whose identity is also its User-Agent; returns once its CNI detection synced (leader or not). */
    private static RealApiOperator replica(String identity) {
        RealApiOperator replica = RealApiOperator.start(ShippedInstall.operatorClient(server, admin, identity),
                Optional.of(identity));
        await().atMost(TIMEOUT).until(() -> replica.runtime().cni().healthy());
        return replica;
    }

    /** Policies of {@code profile} created so far, by whichever replica: half of them is mid-rollout. */
    private static long policiesCreated(AuditLog audit, long mark, String profile) {
        return audit.since(mark).stream().filter(e -> e.verb().equals("create") && e.resource().equals("networkpolicies")
                && e.code() == 201 && e.name().startsWith(profile + "-")).count();
    }

    private static boolean converged(String profile) {
        IsolationProfile current = get(admin, profile);
        IsolationProfileStatus status = current == null ? null : current.getStatus();
        return conditionIs(admin, profile, "Ready", "True", "Reconciled")
                && status.getNamespaces().getReady() == NAMESPACES && status.getNamespaces().getSelected() == NAMESPACES
                && status.getPolicies().getApplied() == 2 * NAMESPACES;
    }

    @Test
    void onlyTheLeaderWritesAndAStandbyFinishesAfterAGracefulStopAndAfterAHardKill() {
        createNamespaces(FIRST_NAMESPACES, n -> Map.of("failover-suite", ID, "batch", "a"));
        createNamespaces(SECOND_NAMESPACES, n -> Map.of("failover-suite", ID, "batch", "b"));
        AuditLog audit = server.auditLog();
        long mark = audit.mark();
        List<RealApiOperator> replicas = new ArrayList<>();
        Instant stopAsked;
        Instant stopped;
        Instant bLeads;
        Instant killed;
        Instant cLeads;
        try {
            RealApiOperator a = replica(A);
            replicas.add(a);
            await().atMost(TIMEOUT).until(() -> A.equals(holder()));
            replicas.add(replica(B));
            RealApiOperator b = replicas.get(1);

            // Graceful hand-over in the middle of a rollout.
            createProfile(profile(FIRST_PROFILE, Map.of("failover-suite", ID, "batch", "a")));
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> policiesCreated(audit, mark, FIRST_PROFILE) >= NAMESPACES);
            stopAsked = Instant.now();
            a.close();
            stopped = Instant.now();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> B.equals(holder()));
            bLeads = Instant.now();
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(500)).until(() -> converged(FIRST_PROFILE));

            // Hard kill of the new leader in the middle of the next rollout.
            replicas.add(replica(C));
            createProfile(profile(SECOND_PROFILE, Map.of("failover-suite", ID, "batch", "b")));
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> policiesCreated(audit, mark, SECOND_PROFILE) >= NAMESPACES);
            killed = Instant.now();
            b.kill();
            await().atMost(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE.plus(TIMEOUT))
                    .pollInterval(Duration.ofMillis(100)).until(() -> C.equals(holder()));
            cLeads = Instant.now();
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(500)).until(() -> converged(SECOND_PROFILE));
        } finally {
            replicas.forEach(RealApiOperator::close);
        }

        // Every object as expected, none created twice.
        for (String profile : List.of(FIRST_PROFILE, SECOND_PROFILE)) {
            List<String> namespaces = profile.equals(FIRST_PROFILE) ? FIRST_NAMESPACES : SECOND_NAMESPACES;
            Set<String> expected = namespaces.stream().flatMap(ns -> Stream.of(ns + "/" + profile + "-default-deny",
                    ns + "/" + profile + "-allow-same-namespace")).collect(Collectors.toSet());
            List<NetworkPolicy> policies = admin.network().v1().networkPolicies().inAnyNamespace()
                    .withLabel(ManagedLabels.PROFILE, profile).list().getItems();
            assertThat(policies).extracting(np -> np.getMetadata().getNamespace() + "/" + np.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        List<AuditLog.Event> events = audit.since(mark);
        assertThat(events).filteredOn(e -> e.user().equals(ShippedInstall.USER) && e.code() == 403).isEmpty();
        assertThat(events).filteredOn(e -> e.verb().equals("create") && e.resource().equals("networkpolicies")
                        && e.code() == 201).extracting(AuditLog.Event::object)
                .as("no policy created twice").doesNotHaveDuplicates();

        // Only the leader writes (the Lease itself aside): a standby writes nothing until it leads,
        // and the old leader's last write is answered before the new leader's first one arrives.
        Map<String, List<AuditLog.Event>> writes = events.stream()
                .filter(e -> e.mutating() && !e.resource().equals("leases") && Set.of(A, B, C).contains(e.userAgent()))
                .collect(Collectors.groupingBy(AuditLog.Event::userAgent));
        List<AuditLog.Event> aWrites = writes.getOrDefault(A, List.of());
        List<AuditLog.Event> bWrites = writes.getOrDefault(B, List.of());
        List<AuditLog.Event> cWrites = writes.getOrDefault(C, List.of());
        assertThat(aWrites).isNotEmpty();
        assertThat(bWrites).isNotEmpty();
        assertThat(cWrites).isNotEmpty();
        assertThat(aWrites).allSatisfy(e -> assertThat(e.received()).isBefore(stopped));
        assertThat(bWrites).allSatisfy(e -> assertThat(e.received()).isAfter(stopAsked));
        assertThat(lastAnswered(aWrites)).as("graceful hand-over: no overlap").isBefore(firstReceived(bWrites));
        assertThat(cWrites).allSatisfy(e -> assertThat(e.received()).isAfter(killed));
        assertThat(lastAnswered(bWrites)).as("hard kill: no overlap").isBefore(firstReceived(cWrites));
        Set<String> byAAndB = aWrites.stream().map(AuditLog.Event::object)
                .filter(o -> bWrites.stream().anyMatch(e -> e.object().equals(o))).collect(Collectors.toSet());
        Set<String> byBAndC = bWrites.stream().map(AuditLog.Event::object)
                .filter(o -> cWrites.stream().anyMatch(e -> e.object().equals(o))).collect(Collectors.toSet());

        System.out.printf("failover, %d namespaces per rollout: graceful stop took %s; the standby held the Lease %s"
                        + " and wrote %s after the stop was asked (%d writes by A, then %d by B; %d objects written by both,"
                        + " never at the same time)%n", NAMESPACES, Duration.between(stopAsked, stopped),
                Duration.between(stopAsked, bLeads), Duration.between(stopAsked, firstReceived(bWrites)),
                aWrites.size(), bWrites.size(), byAAndB.size());
        System.out.printf("failover, hard kill: the standby held the Lease %s and wrote %s after the kill"
                        + " (lease duration %s; %d writes by B, then %d by C; %d objects written by both, never at the same"
                        + " time)%n", Duration.between(killed, cLeads), Duration.between(killed, firstReceived(cWrites)),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, bWrites.size(), cWrites.size(), byBAndC.size());
    }

    private static Instant lastAnswered(List<AuditLog.Event> writes) {
        return writes.stream().map(AuditLog.Event::completed).max(Comparator.naturalOrder()).orElseThrow();
    }

    private static Instant firstReceived(List<AuditLog.Event> writes) {
        return writes.stream().map(AuditLog.Event::received).min(Comparator.naturalOrder()).orElseThrow();
    }
}
