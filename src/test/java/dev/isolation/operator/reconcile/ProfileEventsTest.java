package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.NamespaceCounts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileEventsTest {

    private static Condition c(String type, String status, String reason) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage("m").build();
    }

    private static IsolationProfileStatus status(int failed, List<Condition> conditions) {
        IsolationProfileStatus s = new IsolationProfileStatus();
        s.setConditions(new ArrayList<>(conditions));
        s.setNamespaces(new NamespaceCounts(10_000, 10_000 - failed, failed));
        s.setFailedNamespaces(IntStream.range(0, Math.min(failed, 20))
                .mapToObj(i -> new FailedNamespace(String.format("ns-%02d", i), "ApplyFailed", "HTTP 403")).toList());
        return s;
    }

    @Test
    void transitionsOfReadyEnforcedAndStalledBecomeEventsAndNothingElseDoes() {
        IsolationProfileStatus before = status(0, List.of(c("Ready", "True", "Reconciled"), c("Enforced", "Unknown", "UnknownCNI")));
        IsolationProfileStatus same = status(0, List.of(c("Ready", "True", "Reconciled"), c("Enforced", "Unknown", "UnknownCNI"),
                c("Reconciling", "True", "Progressing")));
        assertThat(ProfileEvents.plan(before, same)).as("Reconciling alone makes no Event").isEmpty();

        IsolationProfileStatus enforced = status(0, List.of(c("Ready", "True", "Reconciled"), c("Enforced", "True", "CNIEnforces")));
        assertThat(ProfileEvents.plan(before, enforced)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("Normal");
            assertThat(e.reason()).isEqualTo("CNIEnforces");
            assertThat(e.message()).startsWith("Enforced=True");
        });

        IsolationProfileStatus stalled = status(0, List.of(c("Ready", "True", "Reconciled"), c("Enforced", "Unknown", "UnknownCNI"),
                c("Stalled", "True", "InvalidSpec")));
        assertThat(ProfileEvents.plan(before, stalled)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("InvalidSpec");
        });
        assertThat(ProfileEvents.plan(stalled, before)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("StallResolved"));
    }

    @Test
    void tenThousandFailingNamespacesMakeOneEventNamingTheFirstFive() {
        IsolationProfileStatus before = status(0, List.of(c("Ready", "True", "Reconciled")));
        IsolationProfileStatus failing = status(10_000, List.of(c("Ready", "False", "ApplyFailed")));
        List<ProfileEvents.Planned> events = ProfileEvents.plan(before, failing);
        assertThat(events).extracting(ProfileEvents.Planned::reason).containsExactly("ApplyFailed", "ApplyFailed");
        ProfileEvents.Planned aggregated = events.get(1);
        assertThat(aggregated.key()).isEqualTo("failed/ApplyFailed");
        assertThat(aggregated.type()).isEqualTo("Warning");
        assertThat(aggregated.message()).isEqualTo("ApplyFailed in ns-00, ns-01, ns-02, ns-03, ns-04, \u2026 (first 5);"
                + " 10,000 namespaces failed in all, see status.failedNamespaces; first: HTTP 403");
        // The same failures again: no new Event.
        assertThat(ProfileEvents.plan(failing, status(10_000, List.of(c("Ready", "False", "ApplyFailed"))))).isEmpty();
    }

    @Test
    void failuresAreReportedWhenTheRolloutEndsNotFromItsProgressStatuses() {
        IsolationProfileStatus before = status(0, List.of(c("Ready", "True", "Reconciled")));
        IsolationProfileStatus early = status(2, List.of(c("Ready", "False", "Progressing"), c("Reconciling", "True", "Progressing")));
        assertThat(ProfileEvents.plan(before, early)).extracting(ProfileEvents.Planned::key)
                .as("a progress status names only the namespaces done so far").doesNotContain("failed/ApplyFailed");
        IsolationProfileStatus later = status(12, List.of(c("Ready", "False", "Progressing"), c("Reconciling", "True", "Progressing")));
        IsolationProfileStatus done = status(12, List.of(c("Ready", "False", "ApplyFailed")));
        assertThat(ProfileEvents.plan(later, done)).as("same failures as the last progress status, yet the first complete list")
                .filteredOn(e -> e.key().equals("failed/ApplyFailed")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("12 namespaces failed in all"));
    }
}
