package dev.isolation.operator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * YAML for people diffing it in a pull request: keys sorted at every level, so equal objects print
 * identically whatever order the model or the input used. Objects go through fabric8's own
 * serialization first (IntOrString ports, omitted empty lists), i.e. exactly what the operator sends.
 */
final class SortedYaml {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private SortedYaml() {
    }

    /** One YAML document, without the leading {@code ---}. */
    static String document(Object value) {
        JsonNode tree = value instanceof JsonNode node ? node : SERIALIZATION.convertValue(value, JsonNode.class);
        try {
            return YAML.writeValueAsString(sorted(tree));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same document with every line commented out ({@code # }), for notes after a stream. */
    static String comment(Object value) {
        StringBuilder sb = new StringBuilder();
        document(value).lines().forEach(line -> sb.append("# ").append(line).append('\n'));
        return sb.toString();
    }

    private static Object sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = ((ObjectNode) node).fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                map.put(e.getKey(), sorted(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(sorted(item)));
            return list;
        }
        return node;
    }
}
