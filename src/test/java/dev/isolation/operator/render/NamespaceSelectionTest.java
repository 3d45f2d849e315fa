package dev.isolation.operator.render;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfileSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NamespaceSelectionTest {

    private static LabelSelector expr(String key, String op, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(op)
                .withValues(values.length == 0 ? null : List.of(values)).endMatchExpression().build();
    }

    static Stream<Arguments> cases() {
        Map<String, String> labels = Map.of("tier", "db", "env", "prod");
        return Stream.of(
                Arguments.of("null selects nothing", null, labels, false),
                Arguments.of("empty selects all", new LabelSelector(), labels, true),
                Arguments.of("matchLabels hit", new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "db")).build(), labels, true),
                Arguments.of("matchLabels miss", new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "web")).build(), labels, false),
                Arguments.of("matchLabels all must hold", new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "db", "env", "dev")).build(), labels, false),
                Arguments.of("In hit", expr("env", "In", "prod", "stage"), labels, true),
                Arguments.of("In miss", expr("env", "In", "dev"), labels, false),
                Arguments.of("In absent key", expr("zone", "In", "a"), labels, false),
                Arguments.of("NotIn hit", expr("env", "NotIn", "dev"), labels, true),
                Arguments.of("NotIn miss", expr("env", "NotIn", "prod"), labels, false),
                Arguments.of("NotIn absent key matches", expr("zone", "NotIn", "a"), labels, true),
                Arguments.of("Exists", expr("tier", "Exists"), labels, true),
                Arguments.of("Exists absent", expr("zone", "Exists"), labels, false),
                Arguments.of("DoesNotExist", expr("zone", "DoesNotExist"), labels, true),
                Arguments.of("DoesNotExist present", expr("tier", "DoesNotExist"), labels, false),
                Arguments.of("unknown operator never matches", expr("tier", "Like", "d"), labels, false),
                Arguments.of("missing operator never matches", expr("tier", null, "db"), labels, false),
                Arguments.of("no labels", new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "db")).build(), null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesLikeTheApiServer(String name, LabelSelector selector, Map<String, String> labels, boolean expected) {
        assertThat(NamespaceSelection.matches(selector, labels)).isEqualTo(expected);
    }

    @Test
    void explicitNamesSelectEvenProtectedNamespacesTheSelectorNever() {
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setNamespaceSelector(new LabelSelector());
        spec.setNamespaces(List.of("kube-system"));
        NamespaceSelection selection = NamespaceSelection.of(EffectiveSpec.of(spec), Set.of("kube-system", "kube-public"));
        assertThat(selection.selects("kube-system", Map.of())).isTrue();
        assertThat(selection.selects("kube-public", Map.of())).isFalse();
        assertThat(selection.selects("tenant", Map.of())).isTrue();
        assertThat(selection.of("tenant").test(null)).isTrue();
        assertThat(NamespaceSelection.NONE.selects("tenant", Map.of())).isFalse();
    }

    @Test
    void explicitNamesAloneSelectOnlyThoseNamespaces() {
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setNamespaces(List.of("a"));
        NamespaceSelection selection = NamespaceSelection.of(EffectiveSpec.of(spec), Set.of());
        assertThat(selection.selects("a", Map.of())).isTrue();
        assertThat(selection.selects("b", Map.of("tier", "db"))).isFalse();
    }
}
