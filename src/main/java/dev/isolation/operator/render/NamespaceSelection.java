package dev.isolation.operator.render;

import dev.isolation.operator.api.EffectiveSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which namespaces a profile selects: the one place that decides it. Explicit names in
 * {@code spec.namespaces} always select (the only way into a protected namespace); the
 * {@code namespaceSelector} selects any other namespace whose labels it matches, evaluated with
 * the API server's semantics (matchLabels and matchExpressions).
 *
 * <p>Selection is evaluated in-process against informer caches rather than by label-selector list
 * calls: at 10,000 namespaces that is the only affordable way, and it does not depend on the
 * server evaluating set-based selectors.
 */
public final class NamespaceSelection {

    /** What an invalid profile selects: nothing, so nothing is written for it. */
    public static final NamespaceSelection NONE = new NamespaceSelection(null, List.of(), Set.of());

    private final LabelSelector selector;
    private final List<String> names;
    private final Set<String> protectedNamespaces;

    private NamespaceSelection(LabelSelector selector, List<String> names, Set<String> protectedNamespaces) {
        this.selector = selector;
        this.names = names;
        this.protectedNamespaces = protectedNamespaces;
    }

    /**
     * @param protectedNamespaces namespaces the selector never selects (configuration, read by the caller)
     */
    public static NamespaceSelection of(EffectiveSpec spec, Set<String> protectedNamespaces) {
        return new NamespaceSelection(spec.namespaceSelector(), spec.namespaces(), protectedNamespaces);
    }

    public boolean selects(String namespace, Map<String, String> labels) {
        if (names.contains(namespace)) {
            return true;
        }
        return !protectedNamespaces.contains(namespace) && matches(selector, labels);
    }

    /** Selection of one namespace as a function of the labels it would carry (the metadata planner's view). */
    public Predicate<Map<String, String>> of(String namespace) {
        return labels -> selects(namespace, labels);
    }

    /**
     * metav1.LabelSelector semantics, in-process (the one implementation: the NetworkPolicy
     * evaluator matches pod and namespace selectors with it too). A null selector selects nothing;
     * an empty selector ({}) selects everything.
     */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (wanted.getValue() == null || !wanted.getValue().equals(actual.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (requirement == null || !matches(requirement, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
        return switch (operator) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(requirement.getKey());
            case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
            // Unknown operators are rejected by validation; never let one widen a selection.
            default -> false;
        };
    }
}
