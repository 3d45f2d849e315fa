package dev.isolation.operator.web;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.reconcile.ApiTraffic;
import dev.isolation.operator.reconcile.OperatorTestSupport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HealthAndMetricsTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    OperatorLauncher launcher;

    /** Keeps this server's requests for RbacCoverageTest: every test class gets its own mock server. */
    @AfterEach
    void recordTraffic() {
        ApiTraffic.drain(server.getKubernetesMockServer());
    }

    @Test
    void readinessFollowsTheOperatorAndLivenessIsUp() {
        KubernetesClient client = OperatorTestSupport.testClient(server.getKubernetesMockServer());
        launcher.stop();
        RestAssured.get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        OperatorTestSupport.boot(client, launcher);
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'operator-informers' }.status", equalTo("UP"));
        // The running operator is watched: informers and the reconcile executor (ReconcileWatchdogTest).
        RestAssured.get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'operator-watchdog' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'operator-watchdog' }.data.reason", equalTo(""));
    }

    @Test
    void metricsExposeProfilesPoliciesAndReconciliations() {
        KubernetesClient client = OperatorTestSupport.testClient(server.getKubernetesMockServer());
        OperatorTestSupport.boot(client, launcher);
        String id = UUID.randomUUID().toString().substring(0, 8);
        OperatorTestSupport.namespace(client, "m-" + id, Map.of("metrics", id));
        OperatorTestSupport.create(client, OperatorTestSupport.profile("m-" + id, Map.of("metrics", id)));
        await().atMost(TIMEOUT).until(() -> OperatorTestSupport.conditionIs(client, "m-" + id, "Ready", "True", null));

        await().atMost(TIMEOUT).untilAsserted(() -> RestAssured.get("/q/metrics").then().statusCode(200)
                .body(matchesPattern("(?s).*isolation_profiles\\{ready=\"True\"} [1-9][0-9]*\\.0.*"))
                .body(matchesPattern("(?s).*isolation_networkpolicies_managed [1-9][0-9]*\\.0.*"))
                .body(matchesPattern("(?s).*isolation_namespaces_selected [1-9][0-9]*\\.0.*"))
                .body(containsString("isolation_profiles_enforced{enforced=\"Unknown\"}"))
                .body(containsString("operator_sdk_reconciliations_")));
        OperatorTestSupport.deleteProfile(client, "m-" + id);
    }

    @Test
    void everyProfileHasItsOwnSeriesUntilItIsDeleted() {
        KubernetesClient client = OperatorTestSupport.testClient(server.getKubernetesMockServer());
        OperatorTestSupport.boot(client, launcher);
        String id = UUID.randomUUID().toString().substring(0, 8);
        OperatorTestSupport.namespace(client, "pm-" + id, Map.of("pm", id));
        String name = "pm-" + id;
        OperatorTestSupport.create(client, OperatorTestSupport.profile(name, Map.of("pm", id)));
        await().atMost(TIMEOUT).until(() -> OperatorTestSupport.conditionIs(client, name, "Ready", "True", null));

        String p = "profile=\"" + name + "\"";
        await().atMost(TIMEOUT).untilAsserted(() -> RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("isolation_profile_ready{" + p + "} 1.0"))
                .body(containsString("isolation_profile_enforced{" + p + "} -1.0"))
                .body(containsString("isolation_profile_reconciling{" + p + "} 0.0"))
                .body(containsString("isolation_profile_stalled{" + p + "} 0.0"))
                .body(containsString("isolation_profile_dry_run{" + p + "} 0.0"))
                .body(containsString("isolation_profile_namespaces{" + p + ",state=\"selected\"} 1.0"))
                .body(containsString("isolation_profile_namespaces{" + p + ",state=\"ready\"} 1.0"))
                .body(containsString("isolation_profile_namespaces{" + p + ",state=\"failed\"} 0.0"))
                .body(containsString("isolation_profile_policies{" + p + ",state=\"desired\"} 2.0"))
                .body(containsString("isolation_profile_policies{" + p + ",state=\"applied\"} 2.0")));

        OperatorTestSupport.deleteProfile(client, name);
        await().atMost(TIMEOUT).untilAsserted(() -> RestAssured.get("/q/metrics").then().statusCode(200)
                .body(not(containsString(p))));
    }
}
