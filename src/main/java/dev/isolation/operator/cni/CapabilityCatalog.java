package dev.isolation.operator.cni;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which NetworkPolicy features each CNI implements, per version range. Immutable.
 *
 * <h2>Format</h2>
 * A YAML mapping from catalog key to a list of version ranges:
 * <pre>
 * cilium:
 *   - maxVersion: "1.16.0"      # exclusive; omitted = no upper bound
 *     minVersion: "1.0.0"       # inclusive; omitted = no lower bound
 *     ingress: true             # true | false | unknown; an omitted feature is unknown
 *     egress: true
 *     ipBlockExcept: true
 *     endPort: false
 *     sctp: false
 *     namedPorts: true
 *     readsLegacyAnnotation: false   # true | false, default false
 *     note: "free text"              # optional
 * </pre>
 * Keys are the CNI names of {@code status.cni.name} (except {@code unknown}) plus the policy engine
 * {@code kube-network-policies}. Versions must be strings (quote them: YAML reads {@code 1.10} as the number 1.1)
 * and parse as {@link Version}s; {@code minVersion} must be below {@code maxVersion} and ranges of one key must not
 * overlap. Anything else (unknown key, unknown field, bad value, bad version, overlap, YAML syntax error) is a
 * {@link CatalogException} whose message names the path, e.g. {@code cilium[0].endPort: expected true|false|unknown}.
 *
 * <h2>Lookup</h2>
 * {@link #lookup(String, String)} returns the range containing the version. {@code latest} is newer than any
 * version, so it matches only a range without {@code maxVersion}. A null or unparseable version (e.g. a digest-only
 * image, {@code master}) gets, per feature, the value all ranges of that key agree on, else unknown. A version
 * outside every range, or a key without entries, gets all-unknown capabilities.
 *
 * <h2>Overrides</h2>
 * {@link #withOverrides(String)} takes the same format; each key present replaces all built-in ranges of that key
 * (an empty list means "nothing known", i.e. unknown). Keys not mentioned keep the built-in ranges.
 */
public final class CapabilityCatalog {

    /** Classpath resource of the built-in catalog. */
    public static final String RESOURCE = "/cni-capabilities.yaml";

    /** Policy engine that can be added beside a non-enforcing CNI; a catalog key but not a CNI name. */
    public static final String KUBE_NETWORK_POLICIES = "kube-network-policies";

    /** All keys accepted in a catalog document. */
    public static final Set<String> KEYS;

    static {
        Set<String> keys = new java.util.LinkedHashSet<>(CniVerdict.KNOWN_NAMES);
        keys.remove(CniVerdict.UNKNOWN_NAME);
        keys.add(KUBE_NETWORK_POLICIES);
        KEYS = Collections.unmodifiableSet(keys);
    }

    private static final List<String> FEATURE_FIELDS =
            List.of("ingress", "egress", "ipBlockExcept", "endPort", "sctp", "namedPorts");
    private static final List<String> FIELDS;

    static {
        List<String> f = new ArrayList<>(List.of("minVersion", "maxVersion"));
        f.addAll(FEATURE_FIELDS);
        f.addAll(List.of("readsLegacyAnnotation", "note"));
        FIELDS = List.copyOf(f);
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static volatile CapabilityCatalog builtIn;

    /** One version range of one key. */
    record Range(Version min, Version max, Capabilities capabilities) {
        boolean contains(Version v) {
            if (v.isLatest()) {
                return max == null;
            }
            return (min == null || min.compareTo(v) <= 0) && (max == null || v.compareTo(max) < 0);
        }
    }

    private final Map<String, List<Range>> ranges;

    private CapabilityCatalog(Map<String, List<Range>> ranges) {
        Map<String, List<Range>> copy = new TreeMap<>();
        ranges.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.ranges = Collections.unmodifiableMap(copy);
    }

    /** The catalog shipped in {@value #RESOURCE}; loaded once. */
    public static CapabilityCatalog builtIn() {
        CapabilityCatalog c = builtIn;
        if (c == null) {
            synchronized (CapabilityCatalog.class) {
                c = builtIn;
                if (c == null) {
                    c = loadBuiltIn();
                    builtIn = c;
                }
            }
        }
        return c;
    }

    private static CapabilityCatalog loadBuiltIn() {
        try (InputStream in = CapabilityCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in CNI capability catalog " + RESOURCE + " is missing");
            }
            return new CapabilityCatalog(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException | CatalogException e) {
            throw new IllegalStateException("built-in CNI capability catalog " + RESOURCE + " is invalid: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Returns a catalog where each key present in {@code overrideYaml} replaces the built-in ranges of that key.
     * A null, blank or comment-only document changes nothing.
     *
     * @throws CatalogException when the document is invalid; the message names the offending path
     */
    public CapabilityCatalog withOverrides(String overrideYaml) throws CatalogException {
        Map<String, List<Range>> overrides = parse(overrideYaml);
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, List<Range>> merged = new LinkedHashMap<>(ranges);
        merged.putAll(overrides);
        return new CapabilityCatalog(merged);
    }

    /** Keys with at least one declared entry (possibly empty list). */
    public Set<String> keys() {
        return ranges.keySet();
    }

    /**
     * Capabilities of {@code cni} at {@code version}; never null.
     *
     * @param cni     a catalog key ({@link #KEYS})
     * @param version as detected (tag, {@code latest}, or null)
     */
    public Capabilities lookup(String cni, String version) {
        List<Range> list = cni == null ? null : ranges.get(cni);
        if (list == null || list.isEmpty()) {
            return Capabilities.unknown("no capability catalog entry for " + cni);
        }
        Optional<Version> v = Version.parse(version);
        if (v.isEmpty()) {
            return agreed(list, version == null
                    ? "version unknown" : "version '" + version + "' not comparable");
        }
        for (Range r : list) {
            if (r.contains(v.get())) {
                return r.capabilities();
            }
        }
        return Capabilities.unknown("no capability catalog range for " + cni + " " + version);
    }

    /** Per feature the value every range agrees on, else UNKNOWN. */
    private static Capabilities agreed(List<Range> list, String why) {
        Capabilities first = list.get(0).capabilities();
        if (list.size() == 1) {
            return first;
        }
        Support[] s = {first.ingress(), first.egress(), first.ipBlockExcept(), first.endPort(), first.sctp(),
                first.namedPorts()};
        boolean legacy = first.readsLegacyAnnotation();
        for (Range r : list.subList(1, list.size())) {
            Capabilities c = r.capabilities();
            Support[] o = {c.ingress(), c.egress(), c.ipBlockExcept(), c.endPort(), c.sctp(), c.namedPorts()};
            for (int i = 0; i < s.length; i++) {
                if (s[i] != o[i]) {
                    s[i] = Support.UNKNOWN;
                }
            }
            legacy &= c.readsLegacyAnnotation();
        }
        return new Capabilities(s[0], s[1], s[2], s[3], s[4], s[5], legacy,
                why + "; only what all catalog ranges agree on is assumed");
    }

    // ---------------------------------------------------------------- parsing and validation

    static Map<String, List<Range>> parse(String yaml) throws CatalogException {
        if (yaml == null || yaml.isBlank()) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new CatalogException("(document)", "not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CatalogException("(document)", "cannot be read: " + e.getMessage(), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new CatalogException("(document)", "expected a mapping of CNI name to a list of version ranges, got "
                    + kind(root));
        }
        Map<String, List<Range>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!KEYS.contains(key)) {
                throw new CatalogException(key, "unknown CNI; expected one of " + String.join(", ", KEYS));
            }
            JsonNode list = e.getValue();
            if (list == null || list.isNull()) {
                out.put(key, List.of());
                continue;
            }
            if (!list.isArray()) {
                throw new CatalogException(key, "expected a list of version ranges, got " + kind(list));
            }
            List<Range> rs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                rs.add(parseRange(key + "[" + i + "]", list.get(i)));
            }
            checkOverlaps(key, rs);
            out.put(key, rs);
        }
        return out;
    }

    private static Range parseRange(String path, JsonNode node) throws CatalogException {
        if (node == null || !node.isObject()) {
            throw new CatalogException(path, "expected a mapping (minVersion, maxVersion, features), got "
                    + kind(node));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!FIELDS.contains(f)) {
                throw new CatalogException(path + "." + f, "unknown field; expected one of " + String.join(", ", FIELDS));
            }
        }
        Version min = version(path + ".minVersion", node.get("minVersion"));
        Version max = version(path + ".maxVersion", node.get("maxVersion"));
        if (min != null && max != null && min.compareTo(max) >= 0) {
            throw new CatalogException(path, "minVersion " + min + " must be lower than maxVersion " + max);
        }
        Support[] s = new Support[FEATURE_FIELDS.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = support(path + "." + FEATURE_FIELDS.get(i), node.get(FEATURE_FIELDS.get(i)));
        }
        boolean legacy = false;
        JsonNode l = node.get("readsLegacyAnnotation");
        if (l != null && !l.isNull()) {
            if (!l.isBoolean()) {
                throw new CatalogException(path + ".readsLegacyAnnotation", "expected true|false, got " + show(l));
            }
            legacy = l.booleanValue();
        }
        String note = null;
        JsonNode n = node.get("note");
        if (n != null && !n.isNull()) {
            if (!n.isTextual()) {
                throw new CatalogException(path + ".note", "expected a string, got " + show(n));
            }
            note = n.textValue();
        }
        return new Range(min, max, new Capabilities(s[0], s[1], s[2], s[3], s[4], s[5], legacy, note));
    }

    private static Version version(String path, JsonNode node) throws CatalogException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isFloatingPointNumber()) {
            throw new CatalogException(path, "version " + node.asText()
                    + " is a YAML number (1.10 would read as 1.1); quote it, e.g. \"" + node.asText() + "\"");
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw new CatalogException(path, "expected a version string, got " + show(node));
        }
        String text = node.asText();
        Optional<Version> v = Version.parse(text);
        if (v.isEmpty() || v.get().isLatest()) {
            throw new CatalogException(path, "invalid version '" + text
                    + "'; expected dotted numbers such as 1.16.0 or v1.16.0");
        }
        return v.get();
    }

    private static Support support(String path, JsonNode node) throws CatalogException {
        if (node == null || node.isNull()) {
            return Support.UNKNOWN;
        }
        Optional<Support> s = node.isBoolean() || node.isTextual() ? Support.parse(node.asText()) : Optional.empty();
        if (s.isEmpty()) {
            throw new CatalogException(path, "expected true|false|unknown, got " + show(node));
        }
        return s.get();
    }

    private static void checkOverlaps(String key, List<Range> rs) throws CatalogException {
        for (int i = 0; i < rs.size(); i++) {
            for (int j = 0; j < i; j++) {
                Range a = rs.get(j);
                Range b = rs.get(i);
                boolean aBeforeB = a.max() != null && b.min() != null && a.max().compareTo(b.min()) <= 0;
                boolean bBeforeA = b.max() != null && a.min() != null && b.max().compareTo(a.min()) <= 0;
                if (!aBeforeB && !bBeforeA) {
                    throw new CatalogException(key + "[" + i + "]", "version range " + describe(b)
                            + " overlaps " + key + "[" + j + "] " + describe(a));
                }
            }
        }
    }

    private static String describe(Range r) {
        return "[" + (r.min() == null ? "" : r.min()) + ", " + (r.max() == null ? "" : r.max()) + ")";
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isNull()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return show(n);
    }

    private static String show(JsonNode n) {
        if (n == null || n.isNull()) {
            return "nothing";
        }
        if (n.isContainerNode()) {
            return kind(n);
        }
        String t = n.asText();
        if (t.length() > 60) {
            t = t.substring(0, 60) + "...";
        }
        return "'" + t + "'";
    }
}
