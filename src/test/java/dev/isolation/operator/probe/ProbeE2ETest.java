package dev.isolation.operator.probe;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.VerificationMethod;
import dev.isolation.operator.reconcile.OperatorRuntime;
import dev.isolation.operator.reconcile.OperatorTestSupport;
import dev.isolation.operator.reconcile.StatusBuilder;
import dev.isolation.operator.reconcile.TestOperatorConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.FileInputStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Opt-in: the probe against a real cluster from KUBECONFIG ({@code mvn -B verify -Pe2e}), e.g. kind
 * 0.24 or newer, whose kindnet enforces NetworkPolicy. Pulls agnhost; needs rights to create the
 * CRD, namespaces, pods and NetworkPolicies.
 */
@EnabledIfSystemProperty(named = "e2e.enabled", matches = "true")
class ProbeE2ETest {

    @Test
    void probeVerifiesARealDataplane() throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            try (var in = new FileInputStream("crds/isolationprofiles.isolation.dev-v1.yml")) {
                client.apiextensions().v1().customResourceDefinitions()
                        .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                        .createOr(NonDeletingOperation::update);
            }
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("isolation-probe")
                    .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build())
                    .createOr(NonDeletingOperation::update);
            String id = UUID.randomUUID().toString().substring(0, 8);
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("e2e-" + id)
                    .addToLabels("e2e", id).endMetadata().build()).create();
            OperatorRuntime runtime = new OperatorRuntime(client, new ProbeTestConfig(TestOperatorConfig.defaults(),
                    Duration.ofHours(6), Duration.ofSeconds(3), Duration.ofSeconds(180), Duration.ofSeconds(1)),
                    MicrometerMetrics.withoutPerResourceMetrics(new SimpleMeterRegistry()));
            IsolationProfile profile = OperatorTestSupport.profile("e2e-" + id, Map.of("e2e", id));
            profile.getSpec().setDefaultDeny(OperatorTestSupport.deny(true, true));
            profile.getSpec().setVerification(VerificationMethod.Probe);
            try {
                runtime.start();
                OperatorTestSupport.create(client, profile);
                await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5)).until(() -> {
                    IsolationProfile p = OperatorTestSupport.get(client, "e2e-" + id);
                    return p.getStatus() != null && p.getStatus().getVerification() != null
                            && !"NotRun".equals(p.getStatus().getVerification().getResult());
                });
                IsolationProfile p = OperatorTestSupport.get(client, "e2e-" + id);
                Condition enforced = StatusBuilder.find(p.getStatus(), StatusBuilder.ENFORCED);
                assertThat(p.getStatus().getVerification().getResult()).as(p.getStatus().getVerification().getMessage())
                        .isEqualTo("Passed");
                assertThat(enforced.getReason()).isEqualTo("VerifiedByProbe");
                assertThat(client.pods().inNamespace("isolation-probe").withLabel("isolation.dev/probe-run").list().getItems())
                        .isEmpty();
            } finally {
                client.resources(IsolationProfile.class).withName("e2e-" + id).delete();
                await().atMost(Duration.ofMinutes(2)).until(() -> OperatorTestSupport.get(client, "e2e-" + id) == null);
                runtime.stop();
                client.namespaces().withName("e2e-" + id).delete();
            }
        }
    }
}
