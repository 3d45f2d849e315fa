package dev.isolation.operator.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * apimachinery's ValidateLabelSelector for a metav1.LabelSelector. Selector values are checked as
 * label values (the API server's rule for new objects), because a value that can never be a label
 * value can never match and is almost certainly a typo.
 */
public final class LabelSelectorValidator {

    private LabelSelectorValidator() {
    }

    /** Errors for {@code selector} at {@code path}; a null selector has none (callers decide if it is required). */
    public static List<FieldError> validate(String path, LabelSelector selector) {
        List<FieldError> errors = new ArrayList<>();
        if (selector == null) {
            return errors;
        }
        validateLabels(path + ".matchLabels", selector.getMatchLabels(), errors);
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        if (expressions != null) {
            for (int i = 0; i < expressions.size(); i++) {
                validateRequirement(path + ".matchExpressions[" + i + "]", expressions.get(i), errors);
            }
        }
        return errors;
    }

    /**
     * Label map rules, shared with namespaceLabels: keys are qualified names, values label values.
     * Keys are visited in sorted order so the error list is deterministic whatever the map type.
     * A null value is treated as "", which is what the API server decodes a JSON null into.
     */
    static void validateLabels(String path, Map<String, String> labels, List<FieldError> errors) {
        if (labels == null) {
            return;
        }
        for (Map.Entry<String, String> e : sorted(labels).entrySet()) {
            validateLabel(path + "[" + e.getKey() + "]", e.getKey(), e.getValue(), errors);
        }
    }

    /** One label: key a qualified name, value a label value (null counts as ""). */
    static void validateLabel(String keyPath, String key, String value, List<FieldError> errors) {
        for (String p : KubernetesSyntax.qualifiedNameProblems(key)) {
            errors.add(new FieldError(keyPath, "key '" + key + "' " + p));
        }
        for (String p : KubernetesSyntax.labelValueProblems(value)) {
            errors.add(new FieldError(keyPath, "value '" + value + "' " + p));
        }
    }

    private static void validateRequirement(String path, LabelSelectorRequirement r, List<FieldError> errors) {
        if (r == null) {
            errors.add(new FieldError(path, "must not be null"));
            return;
        }
        for (String p : KubernetesSyntax.qualifiedNameProblems(r.getKey())) {
            errors.add(new FieldError(path + ".key", p));
        }
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String operator = r.getOperator();
        if ("In".equals(operator) || "NotIn".equals(operator)) {
            if (values.isEmpty()) {
                errors.add(new FieldError(path + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        } else if ("Exists".equals(operator) || "DoesNotExist".equals(operator)) {
            if (!values.isEmpty()) {
                errors.add(new FieldError(path + ".values",
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
            }
        } else {
            errors.add(new FieldError(path + ".operator", "Unsupported value: \"" + operator
                    + "\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""));
        }
        for (int i = 0; i < values.size(); i++) {
            for (String p : KubernetesSyntax.labelValueProblems(values.get(i))) {
                errors.add(new FieldError(path + ".values[" + i + "]", "value '" + values.get(i) + "' " + p));
            }
        }
    }

    /** Sorted copy, so error order never depends on the map type; a (never decoded) null key sorts first. */
    static Map<String, String> sorted(Map<String, String> map) {
        TreeMap<String, String> out = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        out.putAll(map);
        return out;
    }
}
