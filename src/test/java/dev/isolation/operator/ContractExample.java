package dev.isolation.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The contract's example profile (src/test/resources/contract/db-tier.yaml), whole or in parts. */
public final class ContractExample {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ContractExample() {
    }

    public static String yaml() {
        try (InputStream in = ContractExample.class.getResourceAsStream("/contract/db-tier.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One subtree as YAML, e.g. "/spec" or "/spec/policies/0/spec". */
    public static String yamlAt(String pointer) {
        try {
            return YAML.writeValueAsString(YAML.readTree(yaml()).at(pointer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
