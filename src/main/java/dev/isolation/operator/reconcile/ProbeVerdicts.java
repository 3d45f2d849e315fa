package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ProbeContract;
import dev.isolation.operator.api.VerificationMethod;
import dev.isolation.operator.api.VerificationStatus;
import dev.isolation.operator.probe.ProbeVerification;

import java.util.ArrayList;

/**
 * The Enforced condition of a Probe profile: what the probe showed overrides what detection
 * expects, and the message says where the two disagree. Pure.
 */
final class ProbeVerdicts {

    private ProbeVerdicts() {
    }

    static EnforcementReport combine(EnforcementReport detection, ProbeVerification probe) {
        VerificationStatus verification = new VerificationStatus(VerificationMethod.Probe.name(), probe.result().name(),
                probe.checkedAt() == null ? null : probe.checkedAt().toString(), probe.message());
        verification.setChecks(new ArrayList<>(probe.checks()));
        String catalog = "the catalog says " + detection.status() + "/" + detection.reason() + ": " + detection.message();
        return switch (probe.result()) {
            case NotRun -> new EnforcementReport(detection.status(), detection.reason(), detection.message(),
                    detection.cni(), detection.unsupported(), verification);
            case Passed -> new EnforcementReport("True", ProbeContract.REASON_VERIFIED,
                    "the probe verified every check this profile needs (" + probe.message() + ")"
                            + ("True".equals(detection.status()) ? "; detection agrees"
                            : "; this overrides detection: " + catalog),
                    detection.cni(), detection.unsupported(), verification);
            case Failed -> new EnforcementReport("False", ProbeContract.REASON_FAILED,
                    "the probe failed: " + probe.message()
                            + ("True".equals(detection.status()) ? "; this overrides detection, which expected enforcement: "
                            + catalog : "; " + catalog),
                    detection.cni(), detection.unsupported(), verification);
            case Inconclusive -> new EnforcementReport("Unknown", ProbeContract.REASON_INCONCLUSIVE,
                    "the probe was inconclusive: " + probe.message() + "; " + catalog,
                    detection.cni(), detection.unsupported(), verification);
        };
    }
}
