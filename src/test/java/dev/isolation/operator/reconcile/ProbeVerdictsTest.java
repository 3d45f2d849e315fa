package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.CheckStatus;
import dev.isolation.operator.api.VerificationResult;
import dev.isolation.operator.probe.ProbeVerification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe overrides the catalog, and says where they disagree. */
class ProbeVerdictsTest {

    private static final EnforcementReport ENFORCES = new EnforcementReport("True", "CNIEnforces", "calico v3.28.0 enforces", null, List.of());
    private static final EnforcementReport DOES_NOT = new EnforcementReport("False", "CNIDoesNotEnforce", "flannel does not", null, List.of());
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    private static ProbeVerification probe(VerificationResult r, String message) {
        return new ProbeVerification(r, message, List.of(new CheckStatus("baseline", r.name(), null)),
                r == VerificationResult.NotRun ? null : T);
    }

    @Test
    void passedOverridesANegativeCatalog() {
        EnforcementReport r = ProbeVerdicts.combine(DOES_NOT, probe(VerificationResult.Passed, "all 1 checks passed: baseline"));
        assertThat(r.status()).isEqualTo("True");
        assertThat(r.reason()).isEqualTo("VerifiedByProbe");
        assertThat(r.message()).contains("overrides detection").contains("CNIDoesNotEnforce");
        assertThat(r.verification().getResult()).isEqualTo("Passed");
        assertThat(r.verification().getCheckedAt()).isEqualTo(T.toString());
        assertThat(ProbeVerdicts.combine(ENFORCES, probe(VerificationResult.Passed, "ok")).message()).contains("detection agrees");
    }

    @Test
    void failedOverridesAPositiveCatalog() {
        EnforcementReport r = ProbeVerdicts.combine(ENFORCES, probe(VerificationResult.Failed, "egress-deny failed: connected"));
        assertThat(r.status()).isEqualTo("False");
        assertThat(r.reason()).isEqualTo("ProbeFailed");
        assertThat(r.message()).contains("egress-deny failed").contains("which expected enforcement").contains("CNIEnforces");
    }

    @Test
    void inconclusiveKeepsTheDetectionVerdictInTheMessage() {
        EnforcementReport r = ProbeVerdicts.combine(ENFORCES, probe(VerificationResult.Inconclusive, "baseline inconclusive: x"));
        assertThat(r.status()).isEqualTo("Unknown");
        assertThat(r.reason()).isEqualTo("ProbeInconclusive");
        assertThat(r.message()).contains("the catalog says True/CNIEnforces: calico v3.28.0 enforces");
    }

    @Test
    void notRunLeavesDetectionInCharge() {
        EnforcementReport r = ProbeVerdicts.combine(DOES_NOT, probe(VerificationResult.NotRun, "waiting"));
        assertThat(r.status()).isEqualTo("False");
        assertThat(r.reason()).isEqualTo("CNIDoesNotEnforce");
        assertThat(r.verification().getResult()).isEqualTo("NotRun");
        assertThat(r.verification().getCheckedAt()).isNull();
    }
}
