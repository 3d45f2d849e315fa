package dev.isolation.operator.render;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything one profile wants in one namespace.
 *
 * @param networkPolicies     the NetworkPolicies to create or update, sorted by name
 * @param labels              namespace labels the profile asks for
 * @param annotations         namespace annotations the profile asks for (including the legacy isolation
 *                            annotation when it applies)
 * @param retainedPolicyNames names of presets that are enabled but whose cluster facts are unknown:
 *                            the reconciler must leave an existing object of that name untouched
 *                            (neither update nor delete) rather than guess
 */
public record DesiredNamespaceState(
        String namespace,
        List<NetworkPolicy> networkPolicies,
        Map<String, String> labels,
        Map<String, String> annotations,
        Set<String> retainedPolicyNames) {

    public DesiredNamespaceState {
        Objects.requireNonNull(namespace, "namespace");
        networkPolicies = networkPolicies == null ? List.of() : networkPolicies.stream()
                .sorted(Comparator.comparing(np -> np.getMetadata().getName()))
                .toList();
        labels = sortedCopy(labels);
        annotations = sortedCopy(annotations);
        retainedPolicyNames = Collections.unmodifiableSortedSet(
                retainedPolicyNames == null ? new TreeSet<>() : new TreeSet<>(retainedPolicyNames));
    }

    /** Names the reconciler must not delete: rendered ones plus retained ones. */
    public SortedSet<String> policyNamesToKeep() {
        TreeSet<String> names = new TreeSet<>(retainedPolicyNames);
        networkPolicies.forEach(np -> names.add(np.getMetadata().getName()));
        return Collections.unmodifiableSortedSet(names);
    }

    private static Map<String, String> sortedCopy(Map<String, String> map) {
        return Collections.unmodifiableMap(map == null ? new TreeMap<>() : new TreeMap<>(map));
    }
}
