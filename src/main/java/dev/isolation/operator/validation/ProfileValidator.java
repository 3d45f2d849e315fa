package dev.isolation.operator.validation;

import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.Limits;
import dev.isolation.operator.api.LegacyIsolationAnnotation;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.api.PresetPolicy;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates a whole IsolationProfile before anything is rendered. Everything the API server would
 * reject in a generated object, and everything that would make the operator fight itself or the
 * API server, is reported here at the profile field the user has to change.
 *
 * <p>Errors are returned in the order the fields appear in the contract (metadata.name, spec,
 * namespaceSelector, namespaces, namespaceLabels, namespaceAnnotations, allow, policies), so the
 * same spec always produces the same status message.
 */
public final class ProfileValidator {

    /** Annotation total of a Kubernetes object (apimachinery TotalAnnotationSizeLimitB), in bytes. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

    static final String RESERVED_PREFIX = "isolation.dev/";
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private ProfileValidator() {
    }

    public static List<FieldError> validate(String profileName, IsolationProfileSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        IsolationProfileSpec s = spec == null ? new IsolationProfileSpec() : spec;
        boolean nameValid = validateProfileName(profileName, errors);
        validateBounds(s, errors);
        validateNamespaceSelection(s, errors);
        validateNamespaceLabels(s.getNamespaceLabels(), errors);
        validateNamespaceAnnotations(s.getNamespaceAnnotations(), errors);
        validateAllow(s.getAllow(), errors);
        validatePolicies(nameValid ? profileName : null, s.getPolicies(), errors);
        return errors;
    }

    private static boolean validateProfileName(String name, List<FieldError> errors) {
        String path = "metadata.name";
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError(path, "Required value"));
            return false;
        }
        int before = errors.size();
        // The 63-character label limit is the binding one, so it replaces the subdomain's 253 limit in
        // the message (telling a user "at most 253" first would only lead to a second rejection).
        if (name.length() > KubernetesSyntax.LABEL_VALUE_MAX_LENGTH) {
            errors.add(new FieldError(path, "\"" + name + "\" must be no more than 63 characters: every generated object "
                    + "carries the label isolation.dev/profile=<profile name>, and label values are limited to 63 characters"));
        }
        if (name.length() <= KubernetesSyntax.DNS1123_SUBDOMAIN_MAX_LENGTH) {
            for (String p : KubernetesSyntax.dns1123SubdomainProblems(name)) {
                errors.add(new FieldError(path, "\"" + name + "\" " + p));
            }
        }
        if (errors.size() > before) {
            return false;
        }
        // Cannot fail for a name that passed the checks above (63 + 1 + 21 characters, valid joins);
        // kept so a future preset or a relaxed name rule cannot silently produce an invalid object name.
        for (String suffix : PresetPolicy.suffixes()) {
            String generated = name + "-" + suffix;
            if (!KubernetesSyntax.isDns1123Subdomain(generated)) {
                errors.add(new FieldError(path, generatedNameMessage(generated)));
                return false;
            }
        }
        return true;
    }

    /**
     * The CRD's maxItems / maxProperties / selector rules (api.Limits), at the same field paths and
     * in the API server's words, so `validate` and the operator reject what kubectl apply would.
     */
    private static void validateBounds(IsolationProfileSpec s, List<FieldError> errors) {
        tooMany("spec.namespaces", size(s.getNamespaces()), Limits.NAMESPACES, errors);
        tooMany("spec.namespaceLabels", s.getNamespaceLabels() == null ? 0 : s.getNamespaceLabels().size(),
                Limits.NAMESPACE_LABELS, errors);
        tooMany("spec.namespaceAnnotations", s.getNamespaceAnnotations() == null ? 0 : s.getNamespaceAnnotations().size(),
                Limits.NAMESPACE_ANNOTATIONS, errors);
        tooMany("spec.policies", size(s.getPolicies()), Limits.POLICIES, errors);
        List<LabelSelector> from = s.getAllow() == null ? null : s.getAllow().getFromNamespaces();
        tooMany("spec.allow.fromNamespaces", size(from), Limits.FROM_NAMESPACES, errors);
        if (expressions(s.getNamespaceSelector()) > Limits.SELECTOR_EXPRESSIONS) {
            errors.add(new FieldError("spec.namespaceSelector",
                    "Invalid value: must have at most " + Limits.SELECTOR_EXPRESSIONS + " matchExpressions"));
        }
        if (from != null && from.stream().anyMatch(sel -> expressions(sel) > Limits.SELECTOR_EXPRESSIONS)) {
            errors.add(new FieldError("spec.allow.fromNamespaces",
                    "Invalid value: each selector must have at most " + Limits.SELECTOR_EXPRESSIONS + " matchExpressions"));
        }
    }

    private static void tooMany(String path, int size, int max, List<FieldError> errors) {
        if (size > max) {
            errors.add(new FieldError(path, "Too many: " + size + ": must have at most " + max + " items"));
        }
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static int expressions(LabelSelector selector) {
        return selector == null || selector.getMatchExpressions() == null ? 0 : selector.getMatchExpressions().size();
    }

    private static void validateNamespaceSelection(IsolationProfileSpec s, List<FieldError> errors) {
        List<String> namespaces = s.getNamespaces() == null ? List.of() : s.getNamespaces();
        if (s.getNamespaceSelector() == null && namespaces.isEmpty()) {
            errors.add(new FieldError("spec", "at least one of spec.namespaceSelector or spec.namespaces must be set"));
        }
        errors.addAll(LabelSelectorValidator.validate("spec.namespaceSelector", s.getNamespaceSelector()));
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            String path = "spec.namespaces[" + i + "]";
            String ns = namespaces.get(i);
            if (ns == null || ns.isEmpty()) {
                errors.add(new FieldError(path, "Required value: must be a namespace name"));
                continue;
            }
            for (String p : KubernetesSyntax.dns1123LabelProblems(ns)) {
                errors.add(new FieldError(path, "\"" + ns + "\" " + p));
            }
            Integer first = firstIndex.putIfAbsent(ns, i);
            if (first != null) {
                errors.add(new FieldError(path, "Duplicate value: \"" + ns + "\" is already listed at spec.namespaces[" + first + "]"));
            }
        }
    }

    private static void validateNamespaceLabels(Map<String, String> labels, List<FieldError> errors) {
        if (labels == null) {
            return;
        }
        for (Map.Entry<String, String> e : LabelSelectorValidator.sorted(labels).entrySet()) {
            String key = e.getKey();
            String keyPath = "spec.namespaceLabels[" + key + "]";
            if (NAMESPACE_NAME_LABEL.equals(key)) {
                errors.add(new FieldError(keyPath, "Forbidden: the API server sets " + NAMESPACE_NAME_LABEL
                        + " to the namespace's own name and overwrites any other value"));
            } else if (hasReservedPrefix(key)) {
                errors.add(new FieldError(keyPath, reservedPrefixMessage()));
            }
            LabelSelectorValidator.validateLabel(keyPath, key, e.getValue(), errors);
        }
    }

    private static void validateNamespaceAnnotations(Map<String, String> annotations, List<FieldError> errors) {
        if (annotations == null) {
            return;
        }
        String path = "spec.namespaceAnnotations";
        long totalBytes = 0;
        for (Map.Entry<String, String> e : LabelSelectorValidator.sorted(annotations).entrySet()) {
            String key = e.getKey();
            String keyPath = path + "[" + key + "]";
            if (LegacyIsolationAnnotation.KEY.equals(key)) {
                errors.add(new FieldError(keyPath, "Forbidden: " + LegacyIsolationAnnotation.KEY
                        + " is managed by the operator through spec.legacyIsolationAnnotation"));
            } else if (hasReservedPrefix(key)) {
                errors.add(new FieldError(keyPath, reservedPrefixMessage()));
            }
            // The API server checks annotation keys case-insensitively (it lowercases them first).
            for (String p : KubernetesSyntax.qualifiedNameProblems(key == null ? null : key.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(keyPath, "key '" + key + "' " + p));
            }
            totalBytes += utf8Length(key) + utf8Length(e.getValue());
        }
        // The limit is on the namespace's annotations as a whole (Go string lengths, i.e. UTF-8 bytes).
        // Others may already use part of it; this only rejects what can never fit.
        if (totalBytes > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errors.add(new FieldError(path, "Too long: annotations total " + totalBytes + " bytes; must have at most "
                    + TOTAL_ANNOTATION_SIZE_LIMIT + " bytes (keys plus values)"));
        }
    }

    private static void validateAllow(Allow allow, List<FieldError> errors) {
        if (allow == null || allow.getFromNamespaces() == null) {
            return;
        }
        List<LabelSelector> selectors = allow.getFromNamespaces();
        for (int i = 0; i < selectors.size(); i++) {
            String path = "spec.allow.fromNamespaces[" + i + "]";
            if (selectors.get(i) == null) {
                // A null entry would become a peer without namespaceSelector: an empty peer, which the API server rejects.
                errors.add(new FieldError(path, "Required value: use {} to allow ingress from all namespaces"));
            } else {
                errors.addAll(LabelSelectorValidator.validate(path, selectors.get(i)));
            }
        }
    }

    /** {@code profileName} is null when it was invalid: its errors are reported once, at metadata.name. */
    private static void validatePolicies(String profileName, List<PolicyTemplate> policies, List<FieldError> errors) {
        if (policies == null) {
            return;
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            String path = "spec.policies[" + i + "]";
            PolicyTemplate policy = policies.get(i);
            if (policy == null) {
                errors.add(new FieldError(path, "Required value"));
                continue;
            }
            validatePolicyName(path + ".name", policy.getName(), profileName, firstIndex, i, errors);
            errors.addAll(NetworkPolicySpecValidator.validate(path + ".spec", policy.getSpec()));
        }
    }

    private static void validatePolicyName(String path, String name, String profileName,
                                           Map<String, Integer> firstIndex, int index, List<FieldError> errors) {
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError(path, "Required value"));
            return;
        }
        // Same rule as the CRD's pattern, repeated because the API server may not have applied it (an
        // older CRD, or a spec that never went through it).
        List<String> syntaxProblems = KubernetesSyntax.dns1123SubdomainProblems(name);
        for (String p : syntaxProblems) {
            errors.add(new FieldError(path, "\"" + name + "\" " + p));
        }
        boolean syntaxValid = syntaxProblems.isEmpty();
        Integer first = firstIndex.putIfAbsent(name, index);
        if (first != null) {
            errors.add(new FieldError(path, "Duplicate value: \"" + name + "\" is already used by spec.policies["
                    + first + "]; both would be written to the same NetworkPolicy"));
        }
        if (PresetPolicy.suffixes().contains(name)) {
            errors.add(new FieldError(path, "Forbidden: \"" + name + "\" is the name of a preset policy; "
                    + "the template would overwrite (or be overwritten by) <profile>-" + name));
        }
        if (profileName != null && syntaxValid) {
            String generated = profileName + "-" + name;
            if (!KubernetesSyntax.isDns1123Subdomain(generated)) {
                errors.add(new FieldError(path, generatedNameMessage(generated)));
            }
        }
    }

    private static String generatedNameMessage(String generated) {
        return "the generated NetworkPolicy name \"" + generated + "\" (" + generated.length() + " characters) "
                + "is not a valid DNS-1123 subdomain of at most 253 characters; names are not truncated "
                + "(a truncated name could collide with another policy), so shorten the profile or policy name";
    }

    // DNS names are case-insensitive, so Isolation.DEV/x is the operator's domain as much as isolation.dev/x.
    private static boolean hasReservedPrefix(String key) {
        return key != null && key.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX);
    }

    private static String reservedPrefixMessage() {
        return "Forbidden: keys under " + RESERVED_PREFIX + " are reserved for the operator's own bookkeeping "
                + "(which keys each profile owns); setting them would corrupt it";
    }

    private static long utf8Length(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
