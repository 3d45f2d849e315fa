package dev.isolation.operator.playground;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryTest {

    @Test
    void theIsolationProfileCrdIsDiscoveredWithItsShortName() throws Exception {
        Discovery discovery = Discovery.of(List.of(PrinterColumnTableTest.crd()));

        JsonNode list = discovery.resources("isolation.dev/v1alpha1").orElseThrow();

        assertThat(list.get("kind").asText()).isEqualTo("APIResourceList");
        JsonNode isop = list.at("/resources/0");
        assertThat(isop.get("name").asText()).isEqualTo("isolationprofiles");
        assertThat(isop.get("kind").asText()).isEqualTo("IsolationProfile");
        assertThat(isop.get("namespaced").asBoolean()).isFalse();
        assertThat(isop.at("/shortNames/0").asText()).isEqualTo("isop");
        assertThat(isop.get("verbs").toString()).contains("\"patch\"", "\"watch\"");
        List<String> groups = new ArrayList<>();
        discovery.groups().get("groups").forEach(g -> groups.add(g.at("/preferredVersion/groupVersion").asText()));
        assertThat(groups).contains("isolation.dev/v1alpha1", "networking.k8s.io/v1", "apps/v1");
    }

    @Test
    void coreAndUnknownGroupVersions() {
        Discovery discovery = Discovery.of(List.of());

        assertThat(Discovery.coreVersions().at("/versions/0").asText()).isEqualTo("v1");
        JsonNode core = discovery.resources("v1").orElseThrow();
        assertThat(core.toString()).contains("\"name\":\"namespaces\"", "\"shortNames\":[\"ns\"]");
        assertThat(discovery.resources("isolation.dev/v1alpha1")).isEmpty();
        assertThat(discovery.openApi("nope.example/v1")).isEmpty();
    }

    @Test
    void openApiDeclaresServerSideFieldValidationForEveryResource() throws Exception {
        Discovery discovery = Discovery.of(List.of(PrinterColumnTableTest.crd()));

        assertThat(discovery.openApiIndex().at("/paths/apis~1isolation.dev~1v1alpha1/serverRelativeURL").asText())
                .isEqualTo("/openapi/v3/apis/isolation.dev/v1alpha1");
        assertThat(discovery.openApiIndex().at("/paths/api~1v1/serverRelativeURL").asText()).isEqualTo("/openapi/v3/api/v1");
        JsonNode patch = discovery.openApi("isolation.dev/v1alpha1").orElseThrow()
                .at("/paths/~1apis~1isolation.dev~1v1alpha1~1isolationprofiles~1{name}/patch");
        assertThat(patch.at("/x-kubernetes-group-version-kind/kind").asText()).isEqualTo("IsolationProfile");
        assertThat(patch.get("parameters").toString()).contains("\"name\":\"fieldValidation\"");
        assertThat(discovery.openApi("networking.k8s.io/v1").orElseThrow().get("paths").fieldNames().next())
                .isEqualTo("/apis/networking.k8s.io/v1/namespaces/{namespace}/networkpolicies/{name}");
    }
}
