package dev.isolation.operator.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class OwnedKeysTest {

    private static OwnedKeys parse(String raw) {
        return OwnedKeys.parse(Map.of(OwnedKeys.ANNOTATION, raw));
    }

    static Stream<String> malformed() {
        return Stream.of("null", "[]", "1", "\"text\"", "not json", "{\"p\":", "{\"p\":null}", "{\"p\":[]}",
                "{\"p\":{\"labels\":[null]}}", "{\"p\":{\"labels\":[1]}}", "{\"p\":{\"labels\":\"k\"}}",
                "{\"p\":{\"labels\":null}}", "{\"p\":{\"other\":[]}}", "{\"p\":{\"labels\":{\"k\":null}}}",
                "{\"p\":{\"labels\":{\"k\":\"v\"}}}", "{\"p\":{\"labels\":{\"k\":{}}}}",
                "{\"p\":{\"labels\":{\"k\":{\"value\":1}}}}", "{\"p\":{\"labels\":{\"k\":{\"prior\":\"u\"}}}}",
                "{\"p\":{\"labels\":{\"k\":{\"value\":\"v\",\"prior\":[]}}}}",
                "{\"ok\":{\"labels\":[\"a\"]},\"bad\":{\"labels\":[null]}}",
                "[".repeat(100_000), "{\"p\":{\"labels\":[\"" + "k".repeat(OwnedKeys.MAX_LENGTH) + "\"]}}");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void anythingUnreadableIsMalformedOwnsNothingAndNeverThrows(String raw) {
        OwnedKeys keys = parse(raw);
        assertThat(keys.malformed()).isTrue();
        assertThat(keys.problem()).isNotBlank().doesNotContain("kkkk");
        assertThat(keys.profiles()).isEmpty();
    }

    @Test
    void absentOrBlankOwnsNothingAndIsNotMalformed() {
        assertThatNoException().isThrownBy(() -> OwnedKeys.parse(null));
        assertThat(OwnedKeys.parse(null).malformed()).isFalse();
        assertThat(OwnedKeys.parse(Map.of()).profiles()).isEmpty();
        assertThat(parse(" ").malformed()).isFalse();
        assertThat(parse("{}").malformed()).isFalse();
    }

    @Test
    void readsTheOldKeyListFormatWithUnknownValues() {
        OwnedKeys keys = parse("{\"p\":{\"annotations\":[\"n\"],\"labels\":[\"a\",\"b\"]}}");
        assertThat(keys.malformed()).isFalse();
        assertThat(keys.entries("p", OwnedKeys.Kind.LABELS)).containsOnlyKeys("a", "b")
                .containsEntry("a", new OwnedKeys.Entry(null, null));
        assertThat(keys.entries("p", OwnedKeys.Kind.ANNOTATIONS)).containsOnlyKeys("n");
        assertThat(new OwnedKeys.Entry(null, null).holds("anything")).isTrue();
        assertThat(new OwnedKeys.Entry(null, null).holds(null)).isFalse();
        assertThat(new OwnedKeys.Entry("v", null).holds("w")).isFalse();
    }

    @Test
    void roundTripsSortedWithPriorOnlyWhenThereWasOne() {
        OwnedKeys keys = OwnedKeys.empty();
        keys.put("q", OwnedKeys.Kind.ANNOTATIONS, "n", new OwnedKeys.Entry("v", null));
        keys.put("p", OwnedKeys.Kind.LABELS, "b", new OwnedKeys.Entry("2", "user"));
        keys.put("p", OwnedKeys.Kind.LABELS, "a", new OwnedKeys.Entry("1", null));
        String json = keys.serialize();
        assertThat(json).isEqualTo("{\"p\":{\"labels\":{\"a\":{\"value\":\"1\"},\"b\":{\"prior\":\"user\",\"value\":\"2\"}}},"
                + "\"q\":{\"annotations\":{\"n\":{\"value\":\"v\"}}}}");
        assertThat(parse(json)).isEqualTo(keys);
        assertThat(parse("{\"p\":{\"labels\":{\"k\":{\"value\":\"v\",\"prior\":null}}}}").entries("p", OwnedKeys.Kind.LABELS))
                .containsEntry("k", new OwnedKeys.Entry("v", null));
        assertThat(OwnedKeys.empty().serialize()).isNull();
    }
}
