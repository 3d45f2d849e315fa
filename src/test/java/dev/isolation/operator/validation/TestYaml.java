package dev.isolation.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.UncheckedIOException;
import java.io.IOException;

/**
 * Builds model objects from YAML, the way specs reach the operator (through fabric8's Jackson
 * setup), so tests also cover how fabric8 represents ports, selectors and nulls. The YAML is read
 * as a tree first because fabric8 would treat flow-style YAML starting with '{' as JSON.
 */
final class TestYaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private TestYaml() {
    }

    static <T> T parse(String yaml, Class<T> type) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            return SERIALIZATION.convertValue(tree, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
