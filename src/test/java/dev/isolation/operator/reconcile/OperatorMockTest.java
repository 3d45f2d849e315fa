package dev.isolation.operator.reconcile;

import dev.isolation.operator.OperatorLauncher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;
import java.util.UUID;

/**
 * Base of the reconciler tests against the mock API server (subclasses carry {@code @QuarkusTest}
 * and {@code @WithKubernetesTestServer(crud = true)}): the operator is booted once, and every test
 * gets its own id, so tests never see each other's profiles.
 */
public abstract class OperatorMockTest {

    @KubernetesTestServer
    protected KubernetesServer server;

    @Inject
    protected OperatorLauncher launcher;

    protected KubernetesClient client;
    protected String id;

    @BeforeEach
    protected void boot() {
        client = OperatorTestSupport.testClient(server.getKubernetesMockServer());
        OperatorTestSupport.boot(client, launcher);
        id = UUID.randomUUID().toString().substring(0, 8);
    }

    /** Keeps this server's requests for RbacCoverageTest: every test class gets its own mock server. */
    @AfterEach
    protected void recordTraffic() {
        ApiTraffic.drain(server.getKubernetesMockServer());
    }

    /** The selector of this test's namespaces. */
    protected Map<String, String> sel() {
        return Map.of("suite", id);
    }

    /** A namespace name unique to this test. */
    protected String ns(String suffix) {
        return suffix + "-" + id;
    }
}
