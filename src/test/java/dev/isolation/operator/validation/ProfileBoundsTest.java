package dev.isolation.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.Limits;
import dev.isolation.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD and ProfileValidator bound the same things: the CRD's schema carries each limit of
 * api.Limits at the field ProfileValidator reports, and ProfileValidator rejects one more than the
 * limit (and accepts the limit) there.
 */
class ProfileBoundsTest {

    static JsonNode spec() throws IOException {
        return new YAMLMapper().readTree(new File("crds/isolationprofiles.isolation.dev-v1.yml")).path("spec")
                .path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties").path("spec")
                .path("properties");
    }

    @Test
    void crdCarriesEveryLimit() throws IOException {
        JsonNode spec = spec();
        assertThat(spec.path("namespaces").path("maxItems").asInt()).isEqualTo(Limits.NAMESPACES);
        assertThat(spec.path("policies").path("maxItems").asInt()).isEqualTo(Limits.POLICIES);
        assertThat(spec.path("namespaceLabels").path("maxProperties").asInt()).isEqualTo(Limits.NAMESPACE_LABELS);
        assertThat(spec.path("namespaceAnnotations").path("maxProperties").asInt()).isEqualTo(Limits.NAMESPACE_ANNOTATIONS);
        assertThat(spec.path("allow").path("properties").path("fromNamespaces").path("maxItems").asInt())
                .isEqualTo(Limits.FROM_NAMESPACES);
        assertThat(spec.path("namespaceSelector").path("x-kubernetes-validations").get(0).path("rule").asText())
                .contains("size(self.matchExpressions) <= " + Limits.SELECTOR_EXPRESSIONS);
        assertThat(spec.path("allow").path("properties").path("fromNamespaces").path("x-kubernetes-validations").get(0)
                .path("rule").asText()).contains("size(s.matchExpressions) <= " + Limits.SELECTOR_EXPRESSIONS);
    }

    @Test
    void validatorRejectsOneMoreThanEachLimitAtTheSamePath() {
        check("spec.namespaces", Limits.NAMESPACES, (s, n) -> s.setNamespaces(names("ns-", n)));
        check("spec.policies", Limits.POLICIES, (s, n) -> s.setPolicies(IntStream.range(0, n)
                .mapToObj(i -> new PolicyTemplate("p" + i, new NetworkPolicySpecBuilder().withNewPodSelector().endPodSelector()
                        .withPolicyTypes("Ingress").build())).toList()));
        check("spec.namespaceLabels", Limits.NAMESPACE_LABELS, (s, n) -> s.setNamespaceLabels(map(n)));
        check("spec.namespaceAnnotations", Limits.NAMESPACE_ANNOTATIONS, (s, n) -> s.setNamespaceAnnotations(map(n)));
        check("spec.allow.fromNamespaces", Limits.FROM_NAMESPACES, (s, n) -> {
            Allow allow = new Allow();
            allow.setFromNamespaces(IntStream.range(0, n).mapToObj(i -> new LabelSelectorBuilder()
                    .withMatchLabels(Map.of("team", "t" + i)).build()).toList());
            s.setAllow(allow);
        });
        check("spec.namespaceSelector", Limits.SELECTOR_EXPRESSIONS, (s, n) -> s.setNamespaceSelector(expressions(n)));
        check("spec.allow.fromNamespaces", Limits.SELECTOR_EXPRESSIONS, (s, n) -> {
            Allow allow = new Allow();
            allow.setFromNamespaces(List.of(expressions(n)));
            s.setAllow(allow);
        });
    }

    private interface Fill {
        void fill(IsolationProfileSpec spec, int n);
    }

    private static void check(String path, int limit, Fill fill) {
        assertThat(errorsAt(path, limit, fill)).as("%s with %d entries", path, limit).isEmpty();
        assertThat(errorsAt(path, limit + 1, fill)).as("%s with %d entries", path, limit + 1).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("at most " + limit));
    }

    private static List<FieldError> errorsAt(String path, int n, Fill fill) {
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "db")).build());
        fill.fill(spec, n);
        return ProfileValidator.validate("db-tier", spec).stream().filter(e -> e.path().equals(path)).toList();
    }

    private static List<String> names(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    private static Map<String, String> map(int n) {
        Map<String, String> result = new HashMap<>();
        IntStream.range(0, n).forEach(i -> result.put("example.com/k" + i, "v"));
        return result;
    }

    private static LabelSelector expressions(int n) {
        List<LabelSelectorRequirement> requirements = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> requirements.add(new LabelSelectorRequirement("k" + i, "Exists", null)));
        return new LabelSelectorBuilder().withMatchExpressions(requirements).build();
    }

}
