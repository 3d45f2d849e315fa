package dev.isolation.operator.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each profile did to the namespace's label and annotation keys, stored on the namespace
 * itself in the annotation {@value #ANNOTATION}, so it survives operator restarts. It lets the
 * operator remove exactly what a profile set, and give the user back the value it replaced.
 *
 * <p>Value format (every object sorted by key, so equal bookkeeping always serialises identically
 * and never causes a write):
 * <pre>{"&lt;profile&gt;":{"annotations":{"&lt;key&gt;":{"value":"v"}},
 *                "labels":{"&lt;key&gt;":{"prior":"user's value","value":"profile's value"}}}}</pre>
 * {@code value} is what the profile set; {@code prior} the value the key had before (absent: the
 * key did not exist). Earlier operator versions wrote only key names,
 * {@code {"<profile>":{"labels":["k1","k2"]}}}; such entries are read with an unknown value and no
 * prior, and rewritten in the current format on the next write.
 *
 * <p>The annotation is untrusted input (anyone who may annotate the namespace can change it), so
 * {@link #parse} never throws: anything it cannot read completely yields a {@linkplain #malformed()
 * malformed} result that owns nothing, and the planner then changes none of the namespace's keys.
 */
public final class OwnedKeys {

    public static final String ANNOTATION = "isolation.dev/owned-metadata";

    /** The API server limits all annotations of an object together to 256 KiB. */
    static final int MAX_LENGTH = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALUE = "value";
    private static final String PRIOR = "prior";

    /** Which metadata map a key lives in. */
    public enum Kind {
        LABELS("labels"), ANNOTATIONS("annotations");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        static Kind of(String field) {
            for (Kind kind : values()) {
                if (kind.field.equals(field)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /**
     * One profile's hold on one key.
     *
     * @param value the value the profile set; null only for entries written by old operator versions
     * @param prior the value the key had before the profile set it; null when it did not exist
     */
    public record Entry(String value, String prior) {

        /** The key still carries what the profile set (an entry of unknown value: the key still exists). */
        public boolean holds(String live) {
            return live != null && (value == null || value.equals(live));
        }
    }

    /** profile → kind → key → entry, all sorted. */
    private final Map<String, Map<Kind, Map<String, Entry>>> byProfile;
    private final String problem;

    private OwnedKeys(Map<String, Map<Kind, Map<String, Entry>>> byProfile, String problem) {
        this.byProfile = byProfile;
        this.problem = problem;
    }

    public static OwnedKeys empty() {
        return new OwnedKeys(new TreeMap<>(), null);
    }

    private static OwnedKeys malformed(String problem) {
        return new OwnedKeys(new TreeMap<>(), problem);
    }

    /** Reads the bookkeeping annotation; never throws. An absent or blank annotation owns nothing. */
    public static OwnedKeys parse(Map<String, String> annotations) {
        String raw = annotations == null ? null : annotations.get(ANNOTATION);
        if (raw == null || raw.isBlank()) {
            return empty();
        }
        if (raw.length() > MAX_LENGTH) {
            return malformed("it is longer than " + MAX_LENGTH + " characters");
        }
        JsonNode root;
        try {
            root = JSON.readTree(raw);
        } catch (JsonProcessingException | RuntimeException e) {
            return malformed("it is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            return malformed("it is not a JSON object");
        }
        OwnedKeys keys = empty();
        for (Iterator<Map.Entry<String, JsonNode>> profiles = root.fields(); profiles.hasNext(); ) {
            Map.Entry<String, JsonNode> profile = profiles.next();
            if (!profile.getValue().isObject()) {
                return malformed("a profile's entry is not a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> kinds = profile.getValue().fields(); kinds.hasNext(); ) {
                Map.Entry<String, JsonNode> kindNode = kinds.next();
                Kind kind = Kind.of(kindNode.getKey());
                if (kind == null) {
                    return malformed("a profile's entry has a field other than \"labels\" and \"annotations\"");
                }
                String problem = read(keys, profile.getKey(), kind, kindNode.getValue());
                if (problem != null) {
                    return malformed(problem);
                }
            }
        }
        return keys;
    }

    /** Reads one profile's keys of one kind into {@code keys}; returns what is wrong, or null. */
    private static String read(OwnedKeys keys, String profile, Kind kind, JsonNode node) {
        if (node.isArray()) {
            // The format of earlier operator versions: key names only.
            for (JsonNode key : node) {
                if (!key.isTextual()) {
                    return "a key list holds something other than a string";
                }
                keys.add(profile, kind, key.asText(), new Entry(null, null));
            }
            return null;
        }
        if (!node.isObject()) {
            return "\"" + kind.field + "\" is neither a JSON object nor a list";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> key = it.next();
            JsonNode entry = key.getValue();
            JsonNode value = entry.get(VALUE);
            JsonNode prior = entry.get(PRIOR);
            if (!entry.isObject() || value == null || !value.isTextual()
                    || (prior != null && !prior.isNull() && !prior.isTextual())) {
                return "an entry lacks a string \"value\" or has a \"prior\" that is not a string";
            }
            keys.add(profile, kind, key.getKey(), new Entry(value.asText(), prior == null ? null : prior.textValue()));
        }
        return null;
    }

    /** True when the annotation exists but could not be read completely; such bookkeeping owns nothing. */
    public boolean malformed() {
        return problem != null;
    }

    /** Why the annotation could not be read (no annotation content is echoed), or null. */
    public String problem() {
        return problem;
    }

    public Set<String> profiles() {
        return Collections.unmodifiableSet(byProfile.keySet());
    }

    /** One profile's keys of one kind, sorted by key. */
    public Map<String, Entry> entries(String profile, Kind kind) {
        Map<Kind, Map<String, Entry>> kinds = byProfile.get(profile);
        Map<String, Entry> entries = kinds == null ? null : kinds.get(kind);
        return entries == null ? Map.of() : Collections.unmodifiableMap(entries);
    }

    /** Records what a profile set; the value must be known (only entries read from old formats lack it). */
    public void put(String profile, Kind kind, String key, Entry entry) {
        add(profile, kind, key, new Entry(Objects.requireNonNull(entry.value(), "value"), entry.prior()));
    }

    private void add(String profile, Kind kind, String key, Entry entry) {
        byProfile.computeIfAbsent(profile, p -> new TreeMap<>()).computeIfAbsent(kind, k -> new TreeMap<>()).put(key, entry);
    }

    /** The annotation value, or null when nothing is owned (the annotation is then removed). */
    public String serialize() {
        if (byProfile.isEmpty()) {
            return null;
        }
        Map<String, Map<String, Map<String, Map<String, String>>>> tree = new TreeMap<>();
        byProfile.forEach((profile, kinds) -> kinds.forEach((kind, entries) -> entries.forEach((key, entry) -> {
            Map<String, String> fields = new TreeMap<>();
            fields.put(VALUE, entry.value());
            if (entry.prior() != null) {
                fields.put(PRIOR, entry.prior());
            }
            tree.computeIfAbsent(profile, p -> new TreeMap<>()).computeIfAbsent(kind.field, k -> new TreeMap<>())
                    .put(key, fields);
        })));
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise owned keys", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnedKeys other && byProfile.equals(other.byProfile)
                && Objects.equals(problem, other.problem);
    }

    @Override
    public int hashCode() {
        return byProfile.hashCode();
    }

    @Override
    public String toString() {
        return problem != null ? "malformed: " + problem : String.valueOf(serialize());
    }
}
