package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Configuration and profiles that would silently un-protect the cluster or lock the operator out. */
@EnableKubernetesMockClient(crud = true)
class OperatorNamespaceProtectionTest {

    KubernetesClient client;

    @Test
    void configuredProtectedNamespacesAddToTheDefaults() {
        assertThat(OperatorRuntime.protectedNamespaces(config(List.of("cert-manager"), false)))
                .containsExactlyInAnyOrder("kube-system", "kube-public", "kube-node-lease", "cert-manager", "isolation-operator", "isolation-probe");
        assertThat(OperatorRuntime.protectedNamespaces(config(List.of("cert-manager"), true)))
                .as("explicit opt-out").containsExactlyInAnyOrder("cert-manager", "isolation-operator", "isolation-probe");
    }

    @Test
    void aProfileThatWouldCutTheOperatorOffIsRefusedAndWritesNothing() throws Exception {
        try (InputStream in = new FileInputStream("crds/isolationprofiles.isolation.dev-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions()
                    .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
        }
        OperatorTestSupport.namespace(client, "isolation-operator", Map.of());
        OperatorTestSupport.namespace(client, "team-a", Map.of());
        OperatorRuntime runtime = new OperatorRuntime(client, TestOperatorConfig.defaults(),
                MicrometerMetrics.withoutPerResourceMetrics(new SimpleMeterRegistry()));
        runtime.start();
        try {
            IsolationProfile lockout = OperatorTestSupport.profile("lockout", null);
            lockout.getSpec().setNamespaceSelector(null);
            lockout.getSpec().setNamespaces(List.of("team-a", "isolation-operator"));
            lockout.getSpec().setDefaultDeny(OperatorTestSupport.deny(true, true));
            OperatorTestSupport.create(client, lockout);
            await().atMost(OperatorTestSupport.TIMEOUT)
                    .until(() -> OperatorTestSupport.conditionIs(client, "lockout", "Ready", "False", "InvalidSpec"));
            assertThat(OperatorTestSupport.condition(client, "lockout", "Ready").getMessage())
                    .contains("spec.namespaces[1]", "operator's own namespace");
            assertThat(OperatorTestSupport.managedPolicies(client, "isolation-operator")).isEmpty();
            assertThat(OperatorTestSupport.managedPolicies(client, "team-a")).isEmpty();
        } finally {
            runtime.stop();
        }
    }

    private static OperatorConfig config(List<String> protectedNamespaces, boolean replaceDefaults) {
        OperatorConfig base = TestOperatorConfig.defaults();
        return (OperatorConfig) Proxy.newProxyInstance(OperatorConfig.class.getClassLoader(),
                new Class<?>[] {OperatorConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "protectedNamespaces" -> protectedNamespaces;
                    case "protectedNamespacesReplaceDefaults" -> replaceDefaults;
                    default -> {
                        try {
                            yield method.invoke(base, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }
}
