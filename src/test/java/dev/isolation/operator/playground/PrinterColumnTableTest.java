package dev.isolation.operator.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrinterColumnTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    static CustomResourceDefinition crd() throws IOException {
        return Serialization.unmarshal(Files.readString(Path.of("crds/isolationprofiles.isolation.dev-v1.yml")),
                CustomResourceDefinition.class);
    }

    static List<CustomResourceColumnDefinition> columns() throws IOException {
        return crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    }

    @Test
    void cellsFollowTheCrdColumnsOfTheCommittedCrd() throws Exception {
        JsonNode profile = JSON.readTree("""
                {"apiVersion":"isolation.dev/v1alpha1","kind":"IsolationProfile",
                 "metadata":{"name":"tenants","creationTimestamp":"2026-01-01T11:55:00Z","resourceVersion":"7"},
                 "status":{"cni":{"name":"calico"},"namespaceSummary":"2/3",
                   "conditions":[{"type":"Enforced","status":"False","reason":"CNIDoesNotEnforce"},
                                 {"type":"Ready","status":"True","reason":"Reconciled"}]}}""");

        JsonNode table = PrinterColumnTable.of(columns(), List.of(profile), "9", NOW);

        assertThat(table.get("kind").asText()).isEqualTo("Table");
        assertThat(table.get("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.at("/metadata/resourceVersion").asText()).isEqualTo("9");
        List<String> names = new ArrayList<>();
        table.get("columnDefinitions").forEach(c -> names.add(c.get("name").asText()));
        assertThat(names).containsExactly("Name", "Ready", "Enforced", "CNI", "Namespaces", "Age", "Reason");
        assertThat(table.at("/columnDefinitions/6/priority").asInt()).isEqualTo(1);
        JsonNode row = table.at("/rows/0");
        List<String> cells = new ArrayList<>();
        row.get("cells").forEach(c -> cells.add(c.asText()));
        assertThat(cells).containsExactly("tenants", "True", "False", "calico", "2/3", "5m", "Reconciled");
        assertThat(row.at("/object/kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(row.at("/object/metadata/name").asText()).isEqualTo("tenants");
    }

    @Test
    void aProfileWithoutStatusHasNullCellsAsTheApiServerGives() throws Exception {
        JsonNode fresh = JSON.readTree("{\"metadata\":{\"name\":\"new\",\"creationTimestamp\":\"2026-01-01T12:00:00Z\"}}");

        JsonNode row = PrinterColumnTable.of(columns(), List.of(fresh), null, NOW).at("/rows/0/cells");

        assertThat(row.get(0).asText()).isEqualTo("new");
        assertThat(row.get(1).isNull()).isTrue();
        assertThat(row.get(4).isNull()).isTrue();
        assertThat(row.get(5).asText()).isEqualTo("0s");
    }

    @Test
    void agesAreShownAsKubectlShowsThem() {
        assertThat(PrinterColumnTable.age(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
        assertThat(PrinterColumnTable.age(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(PrinterColumnTable.age(Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(PrinterColumnTable.age(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(PrinterColumnTable.age(Duration.ofMinutes(200))).isEqualTo("3h20m");
        assertThat(PrinterColumnTable.age(Duration.ofHours(20))).isEqualTo("20h");
        assertThat(PrinterColumnTable.age(Duration.ofHours(50))).isEqualTo("2d2h");
        assertThat(PrinterColumnTable.age(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(PrinterColumnTable.age(Duration.ofDays(800))).isEqualTo("2y70d");
    }

    @Test
    void jsonPathFiltersIndexesAndMisses() throws Exception {
        JsonNode doc = JSON.readTree("{\"a\":{\"list\":[{\"type\":\"X\",\"v\":1},{\"type\":\"Y\",\"v\":2},{\"type\":\"X\",\"v\":3}]}}");

        assertThat(JsonPathColumn.find(doc, ".a.list[?(@.type==\"X\")].v")).extracting(JsonNode::asInt).containsExactly(1, 3);
        assertThat(JsonPathColumn.find(doc, ".a.list[1].type")).extracting(JsonNode::asText).containsExactly("Y");
        assertThat(JsonPathColumn.find(doc, ".a.list[7].type")).isEmpty();
        assertThat(JsonPathColumn.find(doc, ".a.missing.deeper")).isEmpty();
        assertThat(JsonPathColumn.find(doc, ".a.list[?(@.type==\"X\"")).isEmpty();
        assertThat(JsonPathColumn.find(doc, "{.a}")).isEmpty();
    }

    @Test
    void severalMatchesAreJoinedWithCommas() throws Exception {
        JsonNode twoReady = JSON.readTree("""
                {"metadata":{"name":"x"},"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Ready","status":"False"}]}}""");

        JsonNode row = PrinterColumnTable.of(columns(), List.of(twoReady), null, NOW).at("/rows/0/cells");

        assertThat(row.get(1).asText()).isEqualTo("True,False");
    }
}
