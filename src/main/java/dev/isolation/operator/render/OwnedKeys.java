package dev.isolation.operator.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which namespace label and annotation keys each profile set, stored on the namespace itself in
 * the annotation {@value #ANNOTATION}, so ownership survives operator restarts and the operator
 * removes exactly the keys it set and never a key somebody else set.
 *
 * <p>Value format (sorted, so equal ownership always serialises identically and never causes a
 * write): {@code {"<profile>":{"annotations":["k"],"labels":["k1","k2"]}}}.
 */
public final class OwnedKeys {

    public static final String ANNOTATION = "isolation.dev/owned-metadata";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Set<String>>>> SHAPE = new TypeReference<>() {
    };
    private static final String LABELS = "labels";
    private static final String ANNOTATIONS = "annotations";

    /** profile → ("labels" | "annotations") → keys, all sorted. */
    private final Map<String, Map<String, Set<String>>> byProfile;

    private OwnedKeys(Map<String, Map<String, Set<String>>> byProfile) {
        this.byProfile = byProfile;
    }

    public static OwnedKeys empty() {
        return new OwnedKeys(new TreeMap<>());
    }

    /**
     * Reads the bookkeeping annotation. A value somebody mangled by hand is treated as "owns
     * nothing": the operator then never removes a key it cannot prove it set.
     */
    public static OwnedKeys parse(Map<String, String> annotations) {
        String raw = annotations == null ? null : annotations.get(ANNOTATION);
        if (raw == null || raw.isBlank()) {
            return empty();
        }
        try {
            Map<String, Map<String, Set<String>>> parsed = JSON.readValue(raw, SHAPE);
            OwnedKeys keys = empty();
            parsed.forEach((profile, kinds) -> {
                if (kinds != null) {
                    nullSafe(kinds.get(LABELS)).forEach(k -> keys.addLabel(profile, k));
                    nullSafe(kinds.get(ANNOTATIONS)).forEach(k -> keys.addAnnotation(profile, k));
                }
            });
            return keys;
        } catch (JsonProcessingException | ClassCastException e) {
            return empty();
        }
    }

    public Set<String> profiles() {
        return Collections.unmodifiableSet(byProfile.keySet());
    }

    public Set<String> labels(String profile) {
        return keys(profile, LABELS);
    }

    public Set<String> annotations(String profile) {
        return keys(profile, ANNOTATIONS);
    }

    public void addLabel(String profile, String key) {
        add(profile, LABELS, key);
    }

    public void addAnnotation(String profile, String key) {
        add(profile, ANNOTATIONS, key);
    }

    /** Copies one profile's entry unchanged (used for profiles the operator must not touch). */
    public void copyFrom(OwnedKeys other, String profile) {
        other.labels(profile).forEach(k -> addLabel(profile, k));
        other.annotations(profile).forEach(k -> addAnnotation(profile, k));
    }

    public boolean isEmpty() {
        return byProfile.isEmpty();
    }

    /** The annotation value, or null when nothing is owned (the annotation is then removed). */
    public String serialize() {
        if (byProfile.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(byProfile);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise owned keys", e);
        }
    }

    private Set<String> keys(String profile, String kind) {
        Map<String, Set<String>> kinds = byProfile.get(profile);
        return kinds == null ? Set.of() : Collections.unmodifiableSet(kinds.getOrDefault(kind, Set.of()));
    }

    private void add(String profile, String kind, String key) {
        byProfile.computeIfAbsent(profile, p -> new TreeMap<>()).computeIfAbsent(kind, k -> new TreeSet<>()).add(key);
    }

    private static Set<String> nullSafe(Set<String> keys) {
        return keys == null ? Set.of() : keys;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnedKeys other && byProfile.equals(other.byProfile);
    }

    @Override
    public int hashCode() {
        return byProfile.hashCode();
    }

    @Override
    public String toString() {
        return String.valueOf(serialize());
    }
}
