package dev.isolation.operator.api;

/** When to set the legacy net.beta.kubernetes.io/network-policy namespace annotation. */
public enum LegacyIsolationAnnotation {
    Auto, Always, Never
}
