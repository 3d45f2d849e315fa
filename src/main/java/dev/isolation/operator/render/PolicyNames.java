package dev.isolation.operator.render;

import java.util.List;

/** NetworkPolicy names of the contract: {@code <profile>-<suffix>}. */
public final class PolicyNames {

    public static final String DEFAULT_DENY = "default-deny";
    public static final String ALLOW_SAME_NAMESPACE = "allow-same-namespace";
    public static final String ALLOW_DNS = "allow-dns";
    public static final String ALLOW_KUBE_APISERVER = "allow-kube-apiserver";
    public static final String ALLOW_NODES = "allow-nodes";
    public static final String ALLOW_FROM_NAMESPACES = "allow-from-namespaces";

    private static final List<String> PRESET_SUFFIXES = List.of(
            DEFAULT_DENY, ALLOW_SAME_NAMESPACE, ALLOW_DNS, ALLOW_KUBE_APISERVER, ALLOW_NODES, ALLOW_FROM_NAMESPACES);

    private PolicyNames() {
    }

    public static String of(String profile, String suffix) {
        return profile + "-" + suffix;
    }

    /** Suffixes the operator renders itself; a {@code spec.policies[].name} may not reuse them. */
    public static List<String> allPresetSuffixes() {
        return PRESET_SUFFIXES;
    }
}
