package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.FailedNamespace;

import java.util.List;

/** One profile's outcomes aggregated over every namespace it selects. */
public record ProfileSummary(int selected, int ready, int failed, List<FailedNamespace> failedNamespaces,
                             int desiredPolicies, int appliedPolicies, List<String> wouldWrite) {

    /** The contract bounds failedNamespaces to 20 entries. */
    public static final int MAX_FAILED = 20;
    /** DryRun listings stay small enough for a status object. */
    public static final int MAX_DRY_RUN = 100;
}
