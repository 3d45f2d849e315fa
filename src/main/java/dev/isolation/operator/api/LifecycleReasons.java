package dev.isolation.operator.api;

/** Reasons (condition and Event) this operator reports about retries and deletion. */
public final class LifecycleReasons {

    /** A profile being deleted waits for something it wrote that cannot be removed yet. */
    public static final String DELETION_BLOCKED = "DeletionBlocked";

    /** A write failed with a non-retryable error (403, 422, admission denial); it is not retried hot. */
    public static final String APPLY_FAILED = "ApplyFailed";

    /** Another owner holds an object or key the profile wants. */
    public static final String CONFLICT = "Conflict";

    private LifecycleReasons() {
    }
}
