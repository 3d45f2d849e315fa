package dev.isolation.operator.api;

/**
 * Upper bounds of a profile's lists and maps, enforced twice with the same field paths: by the
 * API server (maxItems / maxProperties in the generated CRD) and by ProfileValidator (for the
 * validate command, and for objects stored before the bounds existed). Every selected namespace
 * costs one NetworkPolicy per entry, so an unbounded profile is an unbounded write load.
 */
public final class Limits {

    public static final int POLICIES = 50;
    /** Explicit names; select more namespaces with namespaceSelector. */
    public static final int NAMESPACES = 1000;
    public static final int FROM_NAMESPACES = 50;
    public static final int NAMESPACE_LABELS = 64;
    public static final int NAMESPACE_ANNOTATIONS = 64;
    /** matchExpressions of a label selector, and values of each expression. */
    public static final int SELECTOR_EXPRESSIONS = 32;

    private Limits() {
    }
}
