package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ConditionReason;

import java.util.List;

/**
 * What one namespace reconcile achieved for one profile that selects the namespace.
 *
 * @param fingerprint the profile version this outcome was computed for
 * @param desired     NetworkPolicies the profile wants in the namespace
 * @param applied     of those, how many exist and match
 * @param inPlace     policies and metadata are all as the profile wants (false in DryRun while anything would change)
 * @param reason      null unless the namespace failed: Conflict | ApplyFailed
 * @param message     what failed, naming the namespace
 * @param wouldWrite  DryRun only: "ns/name" of policies that would be created or updated
 * @param permanent   failed, and retrying cannot help until something changes: every problem is a
 *                    Conflict or a non-retryable API error (403, 422, admission denial); retried only
 *                    on a relevant change or at isolation.retry.permanent-interval
 */
public record NamespaceOutcome(String fingerprint, int desired, int applied, boolean inPlace, ConditionReason reason,
                               String message, List<String> wouldWrite, boolean permanent) {

    public boolean failed() {
        return reason != null;
    }

    public boolean ready() {
        return !failed() && inPlace;
    }
}
