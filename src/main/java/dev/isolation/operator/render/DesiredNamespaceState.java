package dev.isolation.operator.render;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The objects one profile wants in one namespace. The namespace's own labels and annotations are not
 * part of it: they are planned across all profiles from {@link NamespaceMetadata} by {@link MetadataPlanner}.
 *
 * @param networkPolicies     the NetworkPolicies to create or update, sorted by name
 * @param retainedPolicyNames names of presets that are enabled but whose cluster facts are unknown:
 *                            the reconciler must leave an existing object of that name untouched
 *                            (neither update nor delete) rather than guess
 */
public record DesiredNamespaceState(
        String namespace,
        List<NetworkPolicy> networkPolicies,
        Set<String> retainedPolicyNames) {

    public DesiredNamespaceState {
        Objects.requireNonNull(namespace, "namespace");
        networkPolicies = networkPolicies == null ? List.of() : networkPolicies.stream()
                .sorted(Comparator.comparing(np -> np.getMetadata().getName()))
                .toList();
        retainedPolicyNames = Collections.unmodifiableSortedSet(
                retainedPolicyNames == null ? new TreeSet<>() : new TreeSet<>(retainedPolicyNames));
    }
}
