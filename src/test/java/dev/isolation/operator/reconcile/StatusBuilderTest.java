package dev.isolation.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.isolation.operator.api.CniStatus;
import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.api.ConditionType;
import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.Mode;
import dev.isolation.operator.api.NamespaceCounts;
import dev.isolation.operator.api.StatusLimits;
import dev.isolation.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class StatusBuilderTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-26T11:00:00Z");
    private static final EnforcementReport UNKNOWN = EnforcementReport.unknown("no CNI detected");

    private static IsolationProfile profile(long generation, Mode mode) {
        IsolationProfile p = new IsolationProfile();
        p.setMetadata(new ObjectMetaBuilder().withName("db").withGeneration(generation).build());
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setMode(mode);
        p.setSpec(spec);
        return p;
    }

    private static ProfileView view(IsolationProfile p, List<FieldError> errors) {
        return new ProfileView(p, EffectiveSpec.of(p.getSpec()), errors, "fp");
    }

    private static ProfileSummary allReady(int namespaces) {
        return new ProfileSummary(namespaces, namespaces, 0, 0, 0, 0, List.of(), namespaces * 2, namespaces * 2, List.of());
    }

    /** A summary with failures of one kind; {@code failed} namespaces named f-0, f-1, ... */
    private static ProfileSummary failing(int selected, int failed, int pending, ConditionReason reason, boolean permanent,
                                          String message) {
        List<FailedNamespace> listed = IntStream.range(0, Math.min(failed, StatusLimits.MAX_FAILED_NAMESPACES))
                .mapToObj(i -> new FailedNamespace("f-" + i, reason.name(), "namespace f-" + i + ": " + message)).toList();
        int conflicts = reason == ConditionReason.Conflict ? failed : 0;
        int permanentFailures = reason == ConditionReason.ApplyFailed && permanent ? failed : 0;
        int ready = selected - failed - pending;
        return new ProfileSummary(selected, ready, failed, pending, conflicts, permanentFailures, listed,
                selected * 2, ready * 2, List.of());
    }

    private static Condition ready(IsolationProfileStatus s) {
        return StatusBuilder.find(s, StatusBuilder.READY);
    }

    private static Condition condition(IsolationProfileStatus s, ConditionType type) {
        return StatusBuilder.find(s, type.name());
    }

    private static void assertCondition(IsolationProfileStatus s, ConditionType type, String status, ConditionReason reason) {
        assertThat(condition(s, type)).as(type.name()).isNotNull()
                .extracting(Condition::getStatus, Condition::getReason).containsExactly(status, reason.name());
    }

    @Test
    void readyWhenEverythingIsInPlace() {
        IsolationProfile p = profile(3, Mode.Enforce);
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), allReady(12), UNKNOWN, T0);
        assertThat(s.getObservedGeneration()).isEqualTo(3);
        assertThat(ready(s).getStatus()).isEqualTo("True");
        assertThat(ready(s).getReason()).isEqualTo("Reconciled");
        assertThat(condition(s, ConditionType.Reconciling)).isNull();
        assertThat(condition(s, ConditionType.Stalled)).isNull();
        assertThat(ready(s).getObservedGeneration()).isEqualTo(3);
        assertThat(ready(s).getLastTransitionTime()).isEqualTo(T0.toString());
        assertThat(s.getNamespaces().getSelected()).isEqualTo(12);
        assertThat(s.getPolicies().getApplied()).isEqualTo(24);
        assertThat(s.getNamespaceSummary()).isEqualTo("12/12");
        assertThat(s.getDryRun()).isNull();
        Condition enforced = StatusBuilder.find(s, StatusBuilder.ENFORCED);
        assertThat(enforced.getStatus()).isEqualTo("Unknown");
        assertThat(enforced.getReason()).isEqualTo("UnknownCNI");
        assertThat(s.getVerification().getMethod()).isEqualTo("Detect");
        assertThat(s.getVerification().getResult()).isEqualTo("NotRun");
    }

    @Test
    void rebuildingWithNothingChangedGivesAnIdenticalStatus() {
        IsolationProfile p = profile(1, Mode.Enforce);
        p.setStatus(StatusBuilder.build(p, view(p, List.of()), allReady(2), UNKNOWN, T0));
        IsolationProfileStatus again = StatusBuilder.build(p, view(p, List.of()), allReady(2), UNKNOWN, T1);
        assertThat(StatusBuilder.sameStatus(p.getStatus(), again)).isTrue();
        assertThat(ready(again).getLastTransitionTime()).isEqualTo(T0.toString());
        assertThat(again.getVerification().getCheckedAt()).isEqualTo(T0.toString());
    }

    @Test
    void transitionTimeMovesOnlyWhenStatusFlips() {
        IsolationProfile p = profile(1, Mode.Enforce);
        p.setStatus(StatusBuilder.build(p, view(p, List.of()), allReady(2), UNKNOWN, T0));
        ProfileSummary failing = new ProfileSummary(2, 1, 1, 0, 0, 0,
                List.of(new FailedNamespace("ns-a", "ApplyFailed", "namespace ns-a: HTTP 500")), 4, 2, List.of());
        IsolationProfileStatus next = StatusBuilder.build(p, view(p, List.of()), failing, UNKNOWN, T1);
        assertThat(StatusBuilder.sameStatus(p.getStatus(), next)).isFalse();
        assertThat(ready(next).getStatus()).isEqualTo("False");
        assertThat(ready(next).getReason()).isEqualTo("ApplyFailed");
        assertThat(ready(next).getMessage()).contains("1 of 2 namespaces").contains("ns-a");
        assertThat(ready(next).getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(next.getFailedNamespaces()).extracting(FailedNamespace::getName).containsExactly("ns-a");
    }

    @Test
    void conflictReasonWinsOverApplyFailed() {
        IsolationProfile p = profile(1, Mode.Enforce);
        ProfileSummary summary = new ProfileSummary(2, 0, 2, 0, 1, 1, List.of(
                new FailedNamespace("a", "ApplyFailed", "x"), new FailedNamespace("b", "Conflict", "label tier")), 4, 4, List.of());
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), summary, UNKNOWN, T0);
        assertThat(ready(s).getReason()).isEqualTo("Conflict");
        assertCondition(s, ConditionType.Stalled, "True", ConditionReason.Conflict);
        assertThat(condition(s, ConditionType.Stalled).getMessage()).contains("label tier").doesNotContain("x;");
    }

    @Test
    void invalidSpecNamesTheFieldAndKeepsTheCounts() {
        IsolationProfile p = profile(2, Mode.Enforce);
        IsolationProfileStatus previous = new IsolationProfileStatus();
        previous.setNamespaces(new NamespaceCounts(5, 5, 0));
        previous.setNamespaceSummary("5/5");
        p.setStatus(previous);
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of(
                new FieldError("spec.policies[0].spec.ingress[0].from[0].ipBlock.except[0]", "must be inside cidr"))),
                null, UNKNOWN, T0);
        assertThat(ready(s).getStatus()).isEqualTo("False");
        assertThat(ready(s).getReason()).isEqualTo("InvalidSpec");
        assertThat(ready(s).getMessage()).contains("spec.policies[0].spec.ingress[0].from[0].ipBlock.except[0]");
        assertCondition(s, ConditionType.Stalled, "True", ConditionReason.InvalidSpec);
        assertThat(condition(s, ConditionType.Stalled).getMessage()).isEqualTo(ready(s).getMessage());
        assertThat(condition(s, ConditionType.Reconciling)).isNull();
        assertThat(s.getNamespaces().getReady()).isEqualTo(5);
        assertThat(s.getNamespaceSummary()).isEqualTo("5/5");
    }

    @Test
    void dryRunReportsWhatWouldBeWritten() {
        IsolationProfile p = profile(1, Mode.DryRun);
        ProfileSummary summary = new ProfileSummary(1, 0, 0, 0, 0, 0, List.of(), 2, 0, List.of("a/db-default-deny", "a/db-allow-dns"));
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), summary, UNKNOWN, T0);
        // It did what it was asked (compute, write nothing): kubectl wait --for=condition=Ready returns.
        assertCondition(s, ConditionType.Ready, "True", ConditionReason.DryRun);
        assertThat(condition(s, ConditionType.Reconciling)).isNull();
        assertThat(condition(s, ConditionType.Stalled)).isNull();
        assertThat(ready(s).getMessage()).contains("2 NetworkPolicies would be created or updated");
        assertThat(s.getDryRun().getNetworkPolicies()).containsExactly("a/db-default-deny", "a/db-allow-dns");
    }

    @Test
    void enforcementIsCopiedIntoStatus() {
        IsolationProfile p = profile(1, Mode.Enforce);
        EnforcementReport report = new EnforcementReport("False", "FeatureUnsupported", "cilium v1.15.2 ignores endPort",
                new CniStatus("cilium", "v1.15.2", "DaemonSet kube-system/cilium", "True"), List.of("EndPort"));
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), allReady(1), report, T0);
        Condition enforced = StatusBuilder.find(s, StatusBuilder.ENFORCED);
        assertThat(enforced.getStatus()).isEqualTo("False");
        assertThat(enforced.getReason()).isEqualTo("FeatureUnsupported");
        assertThat(s.getCni().getName()).isEqualTo("cilium");
        assertThat(s.getUnsupportedFeatures()).containsExactly("EndPort");
    }

    @Test
    void theSameStatusComparesEqualAndADifferentOneDoesNot() {
        IsolationProfile p = profile(1, Mode.Enforce);
        IsolationProfileStatus a = StatusBuilder.build(p, view(p, List.of()), allReady(1), UNKNOWN, T0);
        IsolationProfileStatus b = StatusBuilder.build(p, view(p, List.of()), allReady(1), UNKNOWN, T0);
        assertThat(StatusBuilder.sameStatus(a, b)).isTrue();
        assertThat(StatusBuilder.sameStatus(null, b)).isFalse();
        b.getNamespaces().setReady(0);
        assertThat(StatusBuilder.sameStatus(a, b)).isFalse();
    }

    @Test
    void aRolloutIsReconcilingWithProgressAndNotYetReady() {
        IsolationProfile p = profile(2, Mode.Enforce);
        ProfileSummary summary = new ProfileSummary(10_000, 4_200, 0, 5_800, 0, 0, List.of(), 20_000, 8_400, List.of());
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), summary, UNKNOWN, T0);
        assertCondition(s, ConditionType.Reconciling, "True", ConditionReason.Progressing);
        assertThat(condition(s, ConditionType.Reconciling).getMessage())
                .isEqualTo("4,200/10,000 namespaces; 5,800 not yet reconciled");
        assertThat(condition(s, ConditionType.Reconciling).getObservedGeneration()).isEqualTo(2L);
        assertCondition(s, ConditionType.Ready, "False", ConditionReason.Progressing);
        assertThat(condition(s, ConditionType.Stalled)).isNull();
        assertThat(s.getNamespaces().getReady()).isEqualTo(4_200);
        assertThat(s.getNamespaceSummary()).isEqualTo("4200/10000");

        // Progress moves on: the message changes, the transition time does not (still True).
        p.setStatus(s);
        ProfileSummary later = new ProfileSummary(10_000, 9_000, 0, 1_000, 0, 0, List.of(), 20_000, 18_000, List.of());
        IsolationProfileStatus next = StatusBuilder.build(p, view(p, List.of()), later, UNKNOWN, T1);
        assertThat(condition(next, ConditionType.Reconciling).getMessage()).startsWith("9,000/10,000 namespaces");
        assertThat(condition(next, ConditionType.Reconciling).getLastTransitionTime()).isEqualTo(T0.toString());

        // Done: Reconciling disappears, Ready flips to True.
        p.setStatus(next);
        IsolationProfileStatus done = StatusBuilder.build(p, view(p, List.of()), allReady(10_000), UNKNOWN, T1);
        assertThat(condition(done, ConditionType.Reconciling)).isNull();
        assertCondition(done, ConditionType.Ready, "True", ConditionReason.Reconciled);
        assertThat(ready(done).getLastTransitionTime()).isEqualTo(T1.toString());
    }

    @Test
    void transientFailuresAreRetriedNotStalled() {
        IsolationProfile p = profile(1, Mode.Enforce);
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()),
                failing(10, 2, 0, ConditionReason.ApplyFailed, false, "HTTP 500"), UNKNOWN, T0);
        assertCondition(s, ConditionType.Ready, "False", ConditionReason.ApplyFailed);
        assertCondition(s, ConditionType.Reconciling, "True", ConditionReason.Progressing);
        assertThat(condition(s, ConditionType.Reconciling).getMessage()).isEqualTo("8/10 namespaces; retrying 2 failed");
        assertThat(condition(s, ConditionType.Stalled)).isNull();
    }

    @Test
    void permanentFailuresStallTheProfile() {
        IsolationProfile p = profile(1, Mode.Enforce);
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()),
                failing(10, 3, 0, ConditionReason.ApplyFailed, true, "HTTP 403 forbidden"), UNKNOWN, T0);
        assertCondition(s, ConditionType.Ready, "False", ConditionReason.ApplyFailed);
        assertCondition(s, ConditionType.Stalled, "True", ConditionReason.ApplyFailed);
        assertThat(condition(s, ConditionType.Stalled).getMessage()).startsWith("3 namespaces whose writes were rejected")
                .contains("namespace f-0: HTTP 403 forbidden");
        assertThat(condition(s, ConditionType.Reconciling)).isNull();
    }

    @Test
    void conflictsStallTheProfileWhileOtherNamespacesStillRollOut() {
        IsolationProfile p = profile(1, Mode.Enforce);
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()),
                failing(10, 1, 4, ConditionReason.Conflict, false, "label tier is set by profile a"), UNKNOWN, T0);
        assertCondition(s, ConditionType.Ready, "False", ConditionReason.Conflict);
        assertCondition(s, ConditionType.Stalled, "True", ConditionReason.Conflict);
        assertCondition(s, ConditionType.Reconciling, "True", ConditionReason.Progressing);
    }

    @Test
    void aProfileThatSelectsNothingIsReady() {
        IsolationProfile p = profile(1, Mode.Enforce);
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), allReady(0), UNKNOWN, T0);
        assertCondition(s, ConditionType.Ready, "True", ConditionReason.NoNamespacesSelected);
        assertThat(condition(s, ConditionType.Reconciling)).isNull();
    }

    @Test
    void dryRunIsProgressingUntilEveryNamespaceWasComputed() {
        IsolationProfile p = profile(1, Mode.DryRun);
        ProfileSummary summary = new ProfileSummary(5, 0, 0, 3, 0, 0, List.of(), 4, 0, List.of("a/db-default-deny"));
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), summary, UNKNOWN, T0);
        assertCondition(s, ConditionType.Ready, "False", ConditionReason.Progressing);
        assertCondition(s, ConditionType.Reconciling, "True", ConditionReason.Progressing);
    }

    @Test
    void everyMessageAndListIsCappedSoTheStatusCanAlwaysBeWritten() throws Exception {
        IsolationProfile p = profile(1, Mode.Enforce);
        String huge = "x".repeat(5_000);
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()),
                failing(1_000, 1_000, 0, ConditionReason.ApplyFailed, true, huge), UNKNOWN, T0);
        assertThat(s.getFailedNamespaces()).hasSize(StatusLimits.MAX_FAILED_NAMESPACES);
        for (FailedNamespace f : s.getFailedNamespaces()) {
            assertThat(utf8(f.getMessage())).isLessThanOrEqualTo(StatusLimits.MAX_MESSAGE_BYTES);
            assertThat(f.getMessage()).startsWith("namespace f-").contains("more characters)");
        }
        for (Condition c : s.getConditions()) {
            assertThat(utf8(c.getMessage())).as(c.getType()).isLessThanOrEqualTo(StatusLimits.MAX_MESSAGE_BYTES);
        }
        assertThat(ready(s).getMessage()).startsWith("1,000 of 1,000 namespaces are not ready: ").contains("more)");
        assertThat(utf8(new ObjectMapper().writeValueAsString(s))).isLessThan(32 * 1024);

        // A thousand validation errors: one capped message, not a megabyte.
        List<FieldError> errors = IntStream.range(0, 1_000)
                .mapToObj(i -> new FieldError("spec.policies[" + i + "].name", "Invalid value: " + huge)).toList();
        IsolationProfileStatus invalid = StatusBuilder.build(p, view(p, errors), null, UNKNOWN, T0);
        assertThat(utf8(ready(invalid).getMessage())).isLessThanOrEqualTo(StatusLimits.MAX_MESSAGE_BYTES);
        assertThat(utf8(new ObjectMapper().writeValueAsString(invalid))).isLessThan(8 * 1024);
    }

    @Test
    void textIsCutAtCharacterBoundariesWithACountOfWhatWasLeftOut() {
        String text = "\u00e9".repeat(2_000);
        String capped = StatusText.cap(text);
        assertThat(utf8(capped)).isLessThanOrEqualTo(StatusLimits.MAX_MESSAGE_BYTES).isGreaterThan(StatusLimits.MAX_MESSAGE_BYTES - 40);
        assertThat(capped).matches("\u00e9+\u2026 \\((\\d+) more characters\\)");
        int kept = capped.indexOf('\u2026');
        assertThat(capped).endsWith("(" + (2_000 - kept) + " more characters)");
        assertThat(StatusText.cap("short")).isEqualTo("short");
        assertThat(StatusText.join("3 problems: ", List.of("a", "b"), 3)).isEqualTo("3 problems: a; b; \u2026 (1 more)");
        assertThat(StatusText.join("2 problems: ", List.of("a", "b"), 2)).isEqualTo("2 problems: a; b");
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
