package dev.isolation.operator.dashboard;

import dev.isolation.operator.reconcile.OperatorMockTest;
import dev.isolation.operator.reconcile.OperatorTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** The dashboard's JSON API and pages, against the operator running on the mock API server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class DashboardApiTest extends OperatorMockTest {

    private String readyProfile() {
        String name = "dash-" + id;
        OperatorTestSupport.namespace(client, name + "-a", Map.of("dash", id));
        OperatorTestSupport.namespace(client, name + "-b", Map.of("dash", id));
        OperatorTestSupport.create(client, OperatorTestSupport.profile(name, Map.of("dash", id)));
        await().atMost(TIMEOUT).until(() -> OperatorTestSupport.conditionIs(client, name, "Ready", "True", null));
        return name;
    }

    @Test
    void profilesListShowsConditionsAndProgress() {
        String name = readyProfile();
        RestAssured.get("/api/v1/profiles").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.ready.status", equalTo("True"))
                .body("find { it.name == '" + name + "' }.selected", equalTo(2))
                .body("find { it.name == '" + name + "' }.readyNamespaces", equalTo(2))
                .body("find { it.name == '" + name + "' }.progress", equalTo(100))
                .body("find { it.name == '" + name + "' }.enforced.type", equalTo("Enforced"));
    }

    @Test
    void profileDrillDownListsNamespacesAndTheirPolicies() {
        String name = readyProfile();
        RestAssured.get("/api/v1/profiles/" + name).then().statusCode(200)
                .body("profile.name", equalTo(name))
                .body("namespaceTotal", equalTo(2))
                .body("namespaces.name", hasItem(name + "-a"))
                .body("namespaces.find { it.name == '" + name + "-a' }.labels.dash", equalTo(id))
                .body("conditions.type", hasItem("Ready"));
        RestAssured.get("/api/v1/profiles/" + name + "/namespaces/" + name + "-a").then().statusCode(200)
                .body("namespace.ready", equalTo(true))
                .body("policies.name", hasItem(name + "-default-deny"))
                .body("policies.find { it.name == '" + name + "-default-deny' }.yaml", containsString("podSelector"));
    }

    @Test
    void unknownProfileOrUnselectedNamespaceIs404() {
        String name = readyProfile();
        RestAssured.get("/api/v1/profiles/no-such-profile").then().statusCode(404);
        RestAssured.get("/api/v1/profiles/" + name + "/namespaces/kube-system").then().statusCode(404);
        RestAssured.get("/profiles/no-such-profile").then().statusCode(404);
    }

    @Test
    void cniPanelShowsTheVerdict() {
        readyProfile();
        RestAssured.get("/api/v1/cni").then().statusCode(200)
                .body("name", equalTo("unknown"))
                .body("enforcesNetworkPolicy", equalTo("Unknown"))
                .body("features.Egress", equalTo("UNKNOWN"));
    }

    @Test
    void whileTheOperatorIsStoppedTheApiSaysUnavailable() {
        launcher.stop();
        try {
            RestAssured.get("/api/v1/profiles").then().statusCode(503);
            RestAssured.get("/").then().statusCode(200).body(containsString("The operator is starting"));
        } finally {
            OperatorTestSupport.boot(client, launcher);
        }
    }

    @Test
    void pagesEscapeEverythingTheClusterSays() {
        String name = "dash-" + id;
        // A real API server rejects this label value; the page must not trust that it did.
        OperatorTestSupport.namespace(client, name + "-x", Map.of("dash", id, "evil", "<script>alert(1)</script>"));
        OperatorTestSupport.create(client, OperatorTestSupport.profile(name, Map.of("dash", id)));
        await().atMost(TIMEOUT).until(() -> OperatorTestSupport.conditionIs(client, name, "Ready", "True", null));

        RestAssured.get("/profiles/" + name).then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("evil=&lt;script&gt;alert(1)&lt;/script&gt;"))
                .body(not(containsString("<script>")));
        RestAssured.get("/").then().statusCode(200)
                .body(containsString("href=\"/profiles/" + name + "\""))
                .body(containsString("http-equiv=\"refresh\""))
                .body(not(containsString("<script")));
    }

    @Test
    void openApiDocumentsTheJsonApiOnly() {
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/profiles"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/profiles/{name}"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/cni"))
                .body("paths", not(org.hamcrest.Matchers.hasKey("/")));
    }
}
