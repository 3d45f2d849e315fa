package dev.isolation.operator.realapi;

import dev.isolation.operator.api.IsolationProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.managedPolicies;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static dev.isolation.operator.realapi.RealApiOperator.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ownerReferences the operator writes work with the real garbage collector
 * (kube-controller-manager built from the same Kubernetes module, running only that controller):
 * a profile removed while the operator is gone (its finalizer cleared by hand, as after an
 * uninstall) still takes its NetworkPolicies with it.
 */
class GarbageCollectionOnRealApiIT {

    private static RealApiServer server;
    private static KubernetesClient admin;
    private static Process controllerManager;

    @BeforeAll
    static void startGarbageCollector() throws IOException {
        server = RealApiServer.get();
        Path binary = server.binaries().resolve("kube-controller-manager");
        Assumptions.assumeTrue(Files.isExecutable(binary),
                "kube-controller-manager was not built (scripts/kube-apiserver.sh); no garbage collector to test with");
        admin = server.adminClient();
        ShippedInstall.apply(admin);
        Path kubeconfig = Path.of("target", "realapi", "admin.kubeconfig").toAbsolutePath();
        Files.writeString(kubeconfig, server.kubeconfig());
        controllerManager = new ProcessBuilder(binary.toString(),
                "--kubeconfig=" + kubeconfig,
                "--controllers=garbagecollector",
                "--leader-elect=false",
                "--secure-port=0")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "realapi", "kube-controller-manager.log").toFile())
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (controllerManager != null) {
            controllerManager.destroy();
            controllerManager.waitFor();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void policiesOfAProfileDeletedWithoutTheOperatorGoByCascade() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "gc-" + id;
        namespace(admin, "gc-" + id, Map.of("suite", id));
        try (RealApiOperator operator = RealApiOperator.start(ShippedInstall.operatorClient(server, admin), Optional.empty())) {
            create(admin, profile(name, Map.of("suite", id)));
            await().atMost(TIMEOUT).until(() -> conditionIs(admin, name, "Ready", "True", "Reconciled"));
        }
        assertThat(managedPolicies(admin, "gc-" + id)).hasSize(2);
        assertThat(controllerManager.isAlive()).as("kube-controller-manager is running").isTrue();

        admin.resources(IsolationProfile.class).withName(name).delete();
        admin.resources(IsolationProfile.class).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
        await().atMost(TIMEOUT).until(() -> get(admin, name) == null);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(managedPolicies(admin, "gc-" + id)).isEmpty());
    }
}
