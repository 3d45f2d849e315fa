package dev.isolation.operator.render;

import java.util.Map;
import java.util.TreeMap;

/** The labels every generated NetworkPolicy carries, and nothing else (no profile labels leak). */
public final class ManagedLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "isolation-operator";
    public static final String PROFILE = "isolation.dev/profile";

    private ManagedLabels() {
    }

    /** Both managed labels, sorted by key so serialisation is stable. Mutable: callers own the copy. */
    public static Map<String, String> forProfile(String profile) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(MANAGED_BY, MANAGED_BY_VALUE);
        labels.put(PROFILE, profile);
        return labels;
    }
}
