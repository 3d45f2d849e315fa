package dev.isolation.operator.render;

import dev.isolation.operator.api.PresetPolicy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NamesAndLabelsTest {

    @Test
    void policyNamesFollowTheContract() {
        assertThat(PolicyNames.of("db-tier", PresetPolicy.DEFAULT_DENY.suffix())).isEqualTo("db-tier-default-deny");
        assertThat(PresetPolicy.suffixes()).containsExactly("default-deny", "allow-same-namespace", "allow-dns",
                "allow-kube-apiserver", "allow-nodes", "allow-from-namespaces");
    }

    @Test
    void managedLabelsAreExactlyTheTwoContractLabels() {
        assertThat(ManagedLabels.forProfile("db-tier")).containsExactly(
                Map.entry("app.kubernetes.io/managed-by", "isolation-operator"),
                Map.entry("isolation.dev/profile", "db-tier"));
    }

    @Test
    void forProfileReturnsAFreshMapEachTime() {
        Map<String, String> first = ManagedLabels.forProfile("a");
        first.put("x", "y");
        assertThat(ManagedLabels.forProfile("a")).doesNotContainKey("x");
    }
}
