package dev.isolation.operator.api;

/**
 * Bounds of the status object. A status PUT larger than the API server's request limit is
 * rejected, and then no status is written at all; so every list and message is capped.
 */
public final class StatusLimits {

    /** The contract bounds failedNamespaces to 20 entries. */
    public static final int MAX_FAILED_NAMESPACES = 20;
    /** DryRun listings stay small enough for a status object. */
    public static final int MAX_DRY_RUN_ENTRIES = 100;
    /** Every condition message and failed-namespace message, in UTF-8 bytes. */
    public static final int MAX_MESSAGE_BYTES = 1024;

    private StatusLimits() {
    }
}
