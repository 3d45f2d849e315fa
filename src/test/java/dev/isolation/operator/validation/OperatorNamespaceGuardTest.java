package dev.isolation.operator.validation;

import dev.isolation.operator.api.IsolationProfileSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorNamespaceGuardTest {

    private static final String OPERATOR_NS = "isolation-operator";

    private static IsolationProfileSpec spec(String yaml) {
        return TestYaml.parse(yaml, IsolationProfileSpec.class);
    }

    @Test
    void defaultDenyEgressInTheOperatorsNamespaceIsRefused() {
        var errors = OperatorNamespaceGuard.validate(
                spec("namespaces: [team-a, isolation-operator]\ndefaultDeny: {egress: true}\n"), OPERATOR_NS);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("spec.namespaces[1]");
            assertThat(e.message()).contains("operator's own namespace", "spec.defaultDeny.egress: true", "API server");
        });
    }

    @Test
    void anEgressPolicyInTheOperatorsNamespaceIsRefused() {
        assertThat(OperatorNamespaceGuard.validate(spec("""
                namespaces: [isolation-operator]
                policies:
                - name: out
                  spec: {podSelector: {}, policyTypes: [Egress]}
                """), OPERATOR_NS)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("spec.policies[0]"));
        // Without policyTypes the API server derives Egress from egress rules.
        assertThat(OperatorNamespaceGuard.validate(spec("""
                namespaces: [isolation-operator]
                policies:
                - name: ok
                  spec: {podSelector: {}, policyTypes: [Ingress]}
                - name: out
                  spec:
                    podSelector: {}
                    egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
                """), OPERATOR_NS)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("spec.policies[1]"));
    }

    @Test
    void ingressOnlyOtherNamespacesOrUnknownOperatorNamespacePass() {
        assertThat(OperatorNamespaceGuard.validate(spec("namespaces: [isolation-operator]\ndefaultDeny: {ingress: true}\n"),
                OPERATOR_NS)).isEmpty();
        assertThat(OperatorNamespaceGuard.validate(spec("namespaces: [team-a]\ndefaultDeny: {egress: true}\n"),
                OPERATOR_NS)).isEmpty();
        assertThat(OperatorNamespaceGuard.validate(spec("namespaces: [isolation-operator]\ndefaultDeny: {egress: true}\n"),
                null)).isEmpty();
        assertThat(OperatorNamespaceGuard.validate(null, OPERATOR_NS)).isEmpty();
    }
}
