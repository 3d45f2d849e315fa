package dev.isolation.operator.api;

/**
 * Reasons of the Ready, Reconciling and Stalled conditions, and of {@code failedNamespaces[].reason}
 * (Conflict, ApplyFailed). Enforced has reasons of its own, decided by CNI detection.
 */
public enum ConditionReason {
    /** Ready=True: every selected namespace has its policies and metadata. */
    Reconciled,
    /** Ready=True in mode DryRun: computed and reported, nothing written. */
    DryRun,
    /** Ready=True: the profile selects no namespace. */
    NoNamespacesSelected,
    /** Reconciling=True (and Ready=False): the current generation has not reached every namespace yet. */
    Progressing,
    /** Ready=False, Stalled=True: the spec is invalid; nothing was changed. */
    InvalidSpec,
    /** Ready=False, Stalled=True: something the profile wants is held by someone else. */
    Conflict,
    /** Ready=False: a write failed; Stalled=True when the API server rejected it for good (403, 422, admission). */
    ApplyFailed,
    /** Ready=False while a profile is being deleted: something it wrote cannot be removed yet (names what). */
    DeletionBlocked,
    /** failedNamespaces[].reason: the namespace's reconcile failed unexpectedly; retried with backoff. */
    ReconcileError
}
