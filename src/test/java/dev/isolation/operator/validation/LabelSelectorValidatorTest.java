package dev.isolation.operator.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LabelSelectorValidatorTest {

    private static final String S = "spec.namespaceSelector";

    private static List<FieldError> validate(String yaml) {
        return LabelSelectorValidator.validate(S, TestYaml.parse(yaml, LabelSelector.class));
    }

    static Stream<Arguments> validSelectors() {
        return Stream.of(
                arguments("{}"),
                arguments("{matchLabels: {}}"),
                arguments("{matchLabels: {tier: db, kubernetes.io/metadata.name: ingress-nginx}}"),
                arguments("{matchLabels: {empty: \"\"}}"),
                arguments("{matchLabels: {App_Name.v2: My.Value_1}}"),
                arguments("{matchExpressions: [{key: tier, operator: In, values: [db, \"\"]}]}"),
                arguments("{matchExpressions: [{key: tier, operator: NotIn, values: [web]}]}"),
                arguments("{matchExpressions: [{key: example.com/tier, operator: Exists}]}"),
                arguments("{matchExpressions: [{key: tier, operator: DoesNotExist}]}"),
                arguments("{matchLabels: {a: b}, matchExpressions: [{key: c, operator: Exists}]}"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validSelectors")
    void valid(String yaml) {
        assertThat(validate(yaml)).isEmpty();
    }

    static Stream<Arguments> invalidSelectors() {
        return Stream.of(
                arguments("{matchLabels: {\"bad key\": v}}", List.of(S + ".matchLabels[bad key]"), "key 'bad key'"),
                arguments("{matchLabels: {\"/x\": v}}", List.of(S + ".matchLabels[/x]"), "prefix part must be non-empty"),
                arguments("{matchLabels: {k: \"-v\"}}", List.of(S + ".matchLabels[k]"), "value '-v'"),
                arguments("{matchLabels: {k: " + "v".repeat(64) + "}}", List.of(S + ".matchLabels[k]"), "no more than 63"),
                arguments("{matchLabels: {\"-k\": \"-v\"}}", List.of(S + ".matchLabels[-k]", S + ".matchLabels[-k]"), "key '-k'"),
                arguments("{matchExpressions: [{key: a, operator: Exists}, {key: b, operator: in, values: [x]}]}",
                        List.of(S + ".matchExpressions[1].operator"), "Unsupported value: \"in\""),
                arguments("{matchExpressions: [{key: a, operator: In}]}", List.of(S + ".matchExpressions[0].values"),
                        "must be specified when `operator` is 'In' or 'NotIn'"),
                arguments("{matchExpressions: [{key: a, operator: NotIn}]}", List.of(S + ".matchExpressions[0].values"),
                        "must be specified"),
                arguments("{matchExpressions: [{key: a, operator: Exists, values: [x]}]}", List.of(S + ".matchExpressions[0].values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
                arguments("{matchExpressions: [{key: a, operator: DoesNotExist, values: [x]}]}",
                        List.of(S + ".matchExpressions[0].values"), "may not be specified"),
                arguments("{matchExpressions: [{operator: Exists}]}", List.of(S + ".matchExpressions[0].key"), "name part must be non-empty"),
                arguments("{matchExpressions: [{key: \"a:b\", operator: Exists}]}", List.of(S + ".matchExpressions[0].key"), "name part"),
                arguments("{matchExpressions: [{key: a, operator: In, values: [ok, \"-no\", \"no-\"]}]}",
                        List.of(S + ".matchExpressions[0].values[1]", S + ".matchExpressions[0].values[2]"), "value '-no'"),
                arguments("{matchExpressions: [{key: \"-a\", operator: Bad, values: [\"-v\"]}]}",
                        List.of(S + ".matchExpressions[0].key", S + ".matchExpressions[0].operator", S + ".matchExpressions[0].values[0]"),
                        "name part"),
                arguments("{matchLabels: {\"-z\": v}, matchExpressions: [{key: a, operator: In}]}",
                        List.of(S + ".matchLabels[-z]", S + ".matchExpressions[0].values"), "key '-z'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidSelectors")
    void invalid(String yaml, List<String> paths, String firstMessage) {
        List<FieldError> errors = validate(yaml);
        assertThat(errors).extracting(FieldError::path).containsExactlyElementsOf(paths);
        assertThat(errors.get(0).message()).contains(firstMessage);
    }

    @Test
    void nullSelectorHasNoErrors() {
        assertThat(LabelSelectorValidator.validate(S, null)).isEmpty();
    }

    @Test
    void nullRequirementIsReported() {
        List<LabelSelectorRequirement> expressions = new ArrayList<>();
        expressions.add(null);
        LabelSelector selector = new LabelSelector(expressions, null);
        assertThat(LabelSelectorValidator.validate(S, selector))
                .containsExactly(new FieldError(S + ".matchExpressions[0]", "must not be null"));
    }

    @Test
    void nullLabelValueCountsAsEmpty() {
        Map<String, String> labels = new HashMap<>();
        labels.put("k", null);
        assertThat(LabelSelectorValidator.validate(S, new LabelSelectorBuilder().withMatchLabels(labels).build())).isEmpty();
    }

    @Test
    void matchLabelErrorsAreSortedByKeyWhateverTheMapOrder() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("-c", "v");
        labels.put("-a", "v");
        labels.put("-b", "v");
        LabelSelector selector = new LabelSelectorBuilder().withMatchLabels(labels).build();
        assertThat(LabelSelectorValidator.validate(S, selector)).extracting(FieldError::path)
                .containsExactly(S + ".matchLabels[-a]", S + ".matchLabels[-b]", S + ".matchLabels[-c]");
    }

    @Test
    void fieldErrorPrintsPathThenMessage() {
        assertThat(new FieldError("spec.namespaces[0]", "Required value")).hasToString("spec.namespaces[0]: Required value");
    }
}
