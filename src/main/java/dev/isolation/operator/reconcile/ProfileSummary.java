package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.FailedNamespace;

import java.util.List;

/**
 * One profile's outcomes aggregated over every namespace it selects.
 *
 * @param selected          namespaces the profile selects, including those not yet reconciled for its current version
 * @param pending           of those, namespaces not yet reconciled for the current version (the rollout is under way)
 * @param conflicts         failed namespaces whose reason is Conflict
 * @param permanentFailures failed namespaces (not conflicts) whose writes were rejected for good
 * @param failedNamespaces  the first failed namespaces by name, at most {@code StatusLimits.MAX_FAILED_NAMESPACES}
 */
public record ProfileSummary(int selected, int ready, int failed, int pending, int conflicts, int permanentFailures,
                             List<FailedNamespace> failedNamespaces, int desiredPolicies, int appliedPolicies,
                             List<String> wouldWrite) {

    /** Failures that are retried with backoff and may still go away by themselves. */
    public int transientFailures() {
        return failed - conflicts - permanentFailures;
    }
}
