package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.CniStatus;

import java.util.List;

/**
 * The Enforced condition's inputs: whether the detected CNI honours what a profile asks for.
 *
 * @param status      True | False | Unknown
 * @param cni         the detected CNI, or null when detection has nothing to report
 * @param unsupported features the profile uses that the CNI lacks
 */
public record EnforcementReport(String status, String reason, String message, CniStatus cni, List<String> unsupported) {

    public static EnforcementReport unknown(String message) {
        return new EnforcementReport("Unknown", "UnknownCNI", message, null, List.of());
    }
}
