package dev.isolation.operator.api;

/** When to set the legacy net.beta.kubernetes.io/network-policy namespace annotation. */
public enum LegacyIsolationAnnotation {
    Auto, Always, Never;

    /** Read by old Weave Net and early CNIs as "this namespace is ingress-isolated". */
    public static final String KEY = "net.beta.kubernetes.io/network-policy";
    public static final String VALUE = "{\"ingress\":{\"isolation\":\"DefaultDeny\"}}";
}
