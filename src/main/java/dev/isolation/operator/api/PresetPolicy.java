package dev.isolation.operator.api;

import java.util.Arrays;
import java.util.List;

/**
 * The preset NetworkPolicies of the contract, each written as {@code <profile>-<suffix>}. The
 * suffixes are also names a {@code spec.policies[].name} may not take.
 */
public enum PresetPolicy {
    DEFAULT_DENY("default-deny"),
    ALLOW_SAME_NAMESPACE("allow-same-namespace"),
    ALLOW_DNS("allow-dns"),
    ALLOW_KUBE_APISERVER("allow-kube-apiserver"),
    ALLOW_NODES("allow-nodes"),
    ALLOW_FROM_NAMESPACES("allow-from-namespaces");

    private static final List<String> SUFFIXES = Arrays.stream(values()).map(PresetPolicy::suffix).toList();

    private final String suffix;

    PresetPolicy(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /** Every suffix, in the order of the contract. */
    public static List<String> suffixes() {
        return SUFFIXES;
    }
}
