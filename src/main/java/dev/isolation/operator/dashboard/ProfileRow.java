package dev.isolation.operator.dashboard;

/**
 * One profile in the overview: its badges and rollout progress.
 *
 * @param cni      detected CNI name from the profile's status, or null before the first status
 * @param progress percentage of selected namespaces that are ready (100 when none is selected)
 */
public record ProfileRow(String name, String mode, String verification, Badge ready, Badge enforced,
                         Badge reconciling, Badge stalled, String cni, int selected, int readyNamespaces,
                         int failed, int policiesDesired, int policiesApplied, int progress, boolean deleting) {
}
