package dev.isolation.operator.dashboard;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.Map;

/** {@code isolation.dashboard.enabled=false} removes the page and the JSON API, nothing else. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(DashboardDisabledTest.Disabled.class)
class DashboardDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("isolation.dashboard.enabled", "false");
        }
    }

    @Test
    void everyDashboardPathIsGoneButHealthAndMetricsStay() {
        RestAssured.get("/").then().statusCode(404);
        RestAssured.get("/profiles/any").then().statusCode(404);
        RestAssured.get("/api/v1/profiles").then().statusCode(404);
        RestAssured.get("/api/v1/cni").then().statusCode(404);
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/metrics").then().statusCode(200);
    }
}
