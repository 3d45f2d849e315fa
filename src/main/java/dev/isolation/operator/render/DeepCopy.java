package dev.isolation.operator.render;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Deep copies of fabric8 model objects through an in-memory JSON tree, so rendered objects never
 * share a mutable list, map or selector with the profile (or with the live object in a merge).
 * A tree round trip is the same transformation the object undergoes on its way to the API server,
 * so a copy never contains anything that would not survive serialisation anyway.
 */
final class DeepCopy {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DeepCopy() {
    }

    static <T> T of(T value, Class<T> type) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.treeToValue(MAPPER.valueToTree(value), type);
        } catch (Exception e) {
            // Only reachable with a model object Jackson cannot bind back, i.e. a programming error.
            throw new IllegalStateException("cannot deep-copy " + type.getSimpleName(), e);
        }
    }
}
