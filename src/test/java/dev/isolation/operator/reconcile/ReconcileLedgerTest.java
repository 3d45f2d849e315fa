package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ConditionReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcileLedgerTest {

    private static NamespaceOutcome ready(String fp) {
        return new NamespaceOutcome(fp, 2, 2, true, null, null, List.of(), false);
    }

    private static NamespaceOutcome failed(String fp, String ns) {
        return new NamespaceOutcome(fp, 2, 1, false, ConditionReason.ApplyFailed, "namespace " + ns + ": HTTP 500",
                List.of(), false);
    }

    @Test
    void namespacesNotYetReconciledForThisVersionArePendingWhenSelected() {
        ReconcileLedger ledger = new ReconcileLedger();
        ledger.record("a", new ReconcileLedger.NamespaceRecord(Map.of("p", "v2"), Map.of("p", ready("v2"))));
        ledger.record("b", new ReconcileLedger.NamespaceRecord(Map.of("p", "v1"), Map.of()));
        ProfileSummary during = ledger.summarize("p", "v2", Set.of("a", "b", "c"), Set.of("b")::contains);
        assertThat(during.selected()).isEqualTo(2);
        assertThat(during.ready()).isEqualTo(1);
        assertThat(during.pending()).isEqualTo(1);

        ledger.record("b", new ReconcileLedger.NamespaceRecord(Map.of("p", "v2"), Map.of()));
        ProfileSummary done = ledger.summarize("p", "v2", Set.of("a", "b"), ns -> true);
        assertThat(done.selected()).isEqualTo(1);
        assertThat(done.ready()).isEqualTo(1);
        assertThat(done.pending()).isZero();
        assertThat(done.desiredPolicies()).isEqualTo(2);
    }

    @Test
    void conflictsAndPermanentFailuresAreCountedApart() {
        ReconcileLedger ledger = new ReconcileLedger();
        ledger.record("a", new ReconcileLedger.NamespaceRecord(Map.of("p", "v"), Map.of("p", failed("v", "a"))));
        ledger.record("b", new ReconcileLedger.NamespaceRecord(Map.of("p", "v"), Map.of("p",
                new NamespaceOutcome("v", 1, 0, false, ConditionReason.ApplyFailed, "HTTP 403", List.of(), true))));
        ledger.record("c", new ReconcileLedger.NamespaceRecord(Map.of("p", "v"), Map.of("p",
                new NamespaceOutcome("v", 1, 0, false, ConditionReason.Conflict, "label", List.of(), false))));
        ProfileSummary s = ledger.summarize("p", "v", Set.of("a", "b", "c"), ns -> false);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.conflicts()).isEqualTo(1);
        assertThat(s.permanentFailures()).isEqualTo(1);
        assertThat(s.transientFailures()).isEqualTo(1);
    }

    @Test
    void failedNamespacesAreSortedAndBounded() {
        ReconcileLedger ledger = new ReconcileLedger();
        List<String> names = IntStream.range(0, 30).mapToObj(i -> String.format("ns-%02d", 29 - i)).toList();
        names.forEach(ns -> ledger.record(ns, new ReconcileLedger.NamespaceRecord(Map.of("p", "v"), Map.of("p", failed("v", ns)))));
        ProfileSummary s = ledger.summarize("p", "v", names, ns -> false);
        assertThat(s.failed()).isEqualTo(30);
        assertThat(s.failedNamespaces()).hasSize(20);
        assertThat(s.failedNamespaces().get(0).getName()).isEqualTo("ns-00");
        assertThat(s.failedNamespaces().get(0).getReason()).isEqualTo("ApplyFailed");
    }

    @Test
    void recordReportsOnlyProfilesWhoseOutcomeChanged() {
        ReconcileLedger ledger = new ReconcileLedger();
        assertThat(ledger.record("a", new ReconcileLedger.NamespaceRecord(Map.of("p", "v", "q", "w"),
                Map.of("p", ready("v"))))).containsExactlyInAnyOrder("p", "q");
        assertThat(ledger.record("a", new ReconcileLedger.NamespaceRecord(Map.of("p", "v", "q", "w"),
                Map.of("p", ready("v"))))).isEmpty();
        assertThat(ledger.record("a", new ReconcileLedger.NamespaceRecord(Map.of("p", "v", "q", "w"),
                Map.of("p", failed("v", "a"))))).containsExactly("p");
        assertThat(ledger.namespacesSelectedBy("p")).containsExactly("a");
        assertThat(ledger.selectedNamespaceCount()).isEqualTo(1);
    }

    @Test
    void namespacesThatNoLongerExistAreIgnored() {
        ReconcileLedger ledger = new ReconcileLedger();
        ledger.record("gone", new ReconcileLedger.NamespaceRecord(Map.of("p", "old"), Map.of("p", ready("old"))));
        ledger.record("here", new ReconcileLedger.NamespaceRecord(Map.of("p", "v"), Map.of("p", ready("v"))));
        assertThat(ledger.summarize("p", "v", Set.of("here"), ns -> true).selected()).isEqualTo(1);
    }

    @Test
    void aDeletedNamespaceIsForgottenAndItsProfilesAreNamed() {
        ReconcileLedger ledger = new ReconcileLedger();
        ledger.record("a", new ReconcileLedger.NamespaceRecord(Map.of("p", "v", "q", "w"), Map.of("p", ready("v"))));
        ledger.record("b", new ReconcileLedger.NamespaceRecord(Map.of("p", "v", "q", "w"), Map.of("p", ready("v"))));
        assertThat(ledger.forget("a")).containsExactlyInAnyOrder("p", "q");
        assertThat(ledger.forget("a")).isEmpty();
        assertThat(ledger.namespacesSelectedBy("p")).containsExactly("b");
        assertThat(ledger.selectedNamespaceCount()).isEqualTo(1);
    }

    @Test
    void itCountsTheNamespacesReconciledAgainstEachVersionOfAProfile() {
        ReconcileLedger ledger = new ReconcileLedger();
        ledger.record("a", new ReconcileLedger.NamespaceRecord(Map.of("p", "v1", "q", "w1"), Map.of("p", ready("v1"))));
        ledger.record("b", new ReconcileLedger.NamespaceRecord(Map.of("p", "v1"), Map.of()));
        assertThat(ledger.reconciledAgainst("p", "v1")).isEqualTo(2);
        assertThat(ledger.reconciledAgainst("q", "w1")).isEqualTo(1);

        // A new version rolls out: each namespace moves from v1 to v2 as it is reconciled.
        ledger.record("a", new ReconcileLedger.NamespaceRecord(Map.of("p", "v2"), Map.of("p", ready("v2"))));
        assertThat(ledger.reconciledAgainst("p", "v1")).isEqualTo(1);
        assertThat(ledger.reconciledAgainst("p", "v2")).isEqualTo(1);
        assertThat(ledger.reconciledAgainst("q", "w1")).as("a no longer saw q").isZero();
        ledger.record("b", new ReconcileLedger.NamespaceRecord(Map.of("p", "v2"), Map.of()));
        assertThat(ledger.reconciledAgainst("p", "v1")).isZero();
        assertThat(ledger.reconciledAgainst("p", "v2")).isEqualTo(2);

        // The same record again counts once; a deleted namespace counts no more.
        ledger.record("b", new ReconcileLedger.NamespaceRecord(Map.of("p", "v2"), Map.of()));
        assertThat(ledger.reconciledAgainst("p", "v2")).isEqualTo(2);
        ledger.forget("a");
        ledger.forget("never-recorded");
        assertThat(ledger.reconciledAgainst("p", "v2")).isEqualTo(1);
    }
}
