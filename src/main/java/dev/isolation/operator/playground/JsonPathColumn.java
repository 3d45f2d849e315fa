package dev.isolation.operator.playground;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The subset of kubectl's JSONPath that CRD printer columns use: {@code .a.b}, {@code [n]} and
 * {@code [?(@.field=="value")]}. Anything else finds nothing (the cell stays empty) rather than
 * failing the whole table. Pure.
 */
final class JsonPathColumn {

    private JsonPathColumn() {
    }

    /** Every value the path reaches, in document order; empty if none (or the path is unsupported). */
    static List<JsonNode> find(JsonNode root, String path) {
        List<JsonNode> current = new ArrayList<>(List.of(root));
        int i = 0;
        while (i < path.length() && !current.isEmpty()) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                String field = path.substring(i + 1, end);
                current = field.isEmpty() ? current : child(current, field);
                i = end;
            } else if (c == '[') {
                int end = path.indexOf(']', i);
                if (end < 0) {
                    return List.of();
                }
                current = bracket(current, path.substring(i + 1, end));
                i = end + 1;
            } else {
                return List.of();
            }
        }
        return current;
    }

    private static List<JsonNode> child(List<JsonNode> nodes, String field) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : nodes) {
            JsonNode v = n.get(field);
            if (v != null && !v.isNull()) {
                out.add(v);
            }
        }
        return out;
    }

    private static List<JsonNode> bracket(List<JsonNode> nodes, String expr) {
        List<JsonNode> out = new ArrayList<>();
        if (expr.startsWith("?(@.") && expr.endsWith(")") && expr.contains("==")) {
            String inner = expr.substring(4, expr.length() - 1);
            int eq = inner.indexOf("==");
            String field = inner.substring(0, eq).trim();
            String value = unquote(inner.substring(eq + 2).trim());
            for (JsonNode n : nodes) {
                if (n.isArray()) {
                    n.forEach(e -> {
                        JsonNode f = e.get(field);
                        if (f != null && f.isValueNode() && f.asText().equals(value)) {
                            out.add(e);
                        }
                    });
                }
            }
        } else if (expr.matches("\\d+")) {
            int index = Integer.parseInt(expr);
            for (JsonNode n : nodes) {
                if (n.isArray() && index < n.size()) {
                    out.add(n.get(index));
                }
            }
        } else if (expr.equals("*")) {
            nodes.forEach(n -> n.forEach(out::add));
        }
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
