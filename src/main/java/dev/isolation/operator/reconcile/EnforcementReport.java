package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.CniStatus;
import dev.isolation.operator.api.VerificationStatus;

import java.util.List;

/**
 * The Enforced condition's inputs: whether the detected CNI honours what a profile asks for.
 *
 * @param status      True | False | Unknown
 * @param cni         the detected CNI, or null when detection has nothing to report
 * @param unsupported features the profile uses that the CNI lacks
 * @param verification the probe's verification for a Probe profile; null: detection only
 */
public record EnforcementReport(String status, String reason, String message, CniStatus cni, List<String> unsupported,
                                VerificationStatus verification) {

    public EnforcementReport(String status, String reason, String message, CniStatus cni, List<String> unsupported) {
        this(status, reason, message, cni, unsupported, null);
    }

    public static EnforcementReport unknown(String message) {
        return new EnforcementReport("Unknown", "UnknownCNI", message, null, List.of());
    }
}
