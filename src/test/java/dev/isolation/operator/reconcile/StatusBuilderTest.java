package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.CniStatus;
import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.Mode;
import dev.isolation.operator.api.NamespaceCounts;
import dev.isolation.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

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
        return new ProfileSummary(namespaces, namespaces, 0, List.of(), namespaces * 2, namespaces * 2, List.of());
    }

    private static Condition ready(IsolationProfileStatus s) {
        return StatusBuilder.find(s, StatusBuilder.READY);
    }

    @Test
    void readyWhenEverythingIsInPlace() {
        IsolationProfile p = profile(3, Mode.Enforce);
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), allReady(12), UNKNOWN, T0);
        assertThat(s.getObservedGeneration()).isEqualTo(3);
        assertThat(ready(s).getStatus()).isEqualTo("True");
        assertThat(ready(s).getReason()).isEqualTo("Reconciled");
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
        ProfileSummary failing = new ProfileSummary(2, 1, 1,
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
        ProfileSummary summary = new ProfileSummary(2, 0, 2, List.of(
                new FailedNamespace("a", "ApplyFailed", "x"), new FailedNamespace("b", "Conflict", "label tier")), 4, 4, List.of());
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), summary, UNKNOWN, T0);
        assertThat(ready(s).getReason()).isEqualTo("Conflict");
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
        assertThat(s.getNamespaces().getReady()).isEqualTo(5);
        assertThat(s.getNamespaceSummary()).isEqualTo("5/5");
    }

    @Test
    void dryRunReportsWhatWouldBeWritten() {
        IsolationProfile p = profile(1, Mode.DryRun);
        ProfileSummary summary = new ProfileSummary(1, 0, 0, List.of(), 2, 0, List.of("a/db-default-deny", "a/db-allow-dns"));
        IsolationProfileStatus s = StatusBuilder.build(p, view(p, List.of()), summary, UNKNOWN, T0);
        assertThat(ready(s).getReason()).isEqualTo("DryRun");
        assertThat(ready(s).getStatus()).isEqualTo("False");
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
}
