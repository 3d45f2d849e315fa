package dev.isolation.operator.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code meta.k8s.io/v1} Table of custom resources built from their CRD's
 * additionalPrinterColumns, as the real API server answers {@code kubectl get} (which asks with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}). Cells follow the API server's
 * CRD table convertor: several matches joined with ",", nothing found is null ({@code <none>}),
 * {@code date} columns as an age ("5m"). Pure.
 */
final class PrinterColumnTable {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PrinterColumnTable() {
    }

    /** @param items the custom resources, as JSON; @param resourceVersion of the list */
    static ObjectNode of(List<CustomResourceColumnDefinition> columns, List<JsonNode> items, String resourceVersion, Instant now) {
        ObjectNode table = JSON.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        ArrayNode definitions = table.putArray("columnDefinitions");
        definitions.add(column("Name", "string", "name", "Name must be unique within a namespace.", 0));
        for (CustomResourceColumnDefinition c : columns) {
            definitions.add(column(c.getName(), c.getType(), c.getFormat() == null ? "" : c.getFormat(),
                    c.getDescription() == null ? "Custom resource definition column (in JSONPath format): " + c.getJsonPath() : c.getDescription(),
                    c.getPriority() == null ? 0 : c.getPriority()));
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(item.path("metadata").path("name").asText());
            for (CustomResourceColumnDefinition c : columns) {
                cells.add(cell(c.getType(), JsonPathColumn.find(item, c.getJsonPath()), now));
            }
            ObjectNode object = row.putObject("object");
            object.put("kind", "PartialObjectMetadata");
            object.put("apiVersion", "meta.k8s.io/v1");
            object.set("metadata", item.path("metadata").deepCopy());
        }
        return table;
    }

    private static ObjectNode column(String name, String type, String format, String description, int priority) {
        ObjectNode c = JSON.objectNode();
        c.put("name", name);
        c.put("type", type);
        c.put("format", format);
        c.put("description", description);
        c.put("priority", priority);
        return c;
    }

    private static JsonNode cell(String type, List<JsonNode> found, Instant now) {
        if (found.isEmpty()) {
            return JSON.nullNode();
        }
        if ("date".equals(type) && found.size() == 1) {
            try {
                return JSON.textNode(age(Duration.between(Instant.parse(found.get(0).asText()), now)));
            } catch (DateTimeParseException e) {
                return JSON.textNode(found.get(0).asText());
            }
        }
        if (found.size() == 1 && ("integer".equals(type) || "number".equals(type) || "boolean".equals(type))
                && found.get(0).isValueNode()) {
            return found.get(0);
        }
        List<String> values = new ArrayList<>();
        found.forEach(v -> values.add(v.isValueNode() ? v.asText() : v.toString()));
        return JSON.textNode(String.join(",", values));
    }

    /** As Kubernetes' duration.HumanDuration, which kubectl shows in the AGE column. */
    static String age(Duration d) {
        long s = d.getSeconds();
        if (s < -1) {
            return "<invalid>";
        }
        if (s < 0) {
            return "0s";
        }
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
        }
        if (h < 48) {
            return h + "h";
        }
        long days = h / 24;
        if (h < 192) {
            return h % 24 == 0 ? days + "d" : days + "d" + (h % 24) + "h";
        }
        if (days < 365 * 2) {
            return days + "d";
        }
        long years = days / 365;
        return days % 365 == 0 || years >= 8 ? years + "y" : years + "y" + (days % 365) + "d";
    }
}
