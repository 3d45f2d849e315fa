package dev.isolation.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD in crds/ is what users install; it must be exactly what the model generates
 * (crd-generator-maven-plugin, then src/build/CrdPrinterColumns.java, run in process-classes,
 * before the tests). On failure:
 * {@code mvn process-classes && cp target/generated-crds/*.yml crds/}.
 */
class CrdDriftTest {

    private static final Path GENERATED = Path.of("target/generated-crds");
    private static final Path COMMITTED = Path.of("crds");

    @Test
    void committedCrdsMatchTheModel() throws IOException {
        List<Path> generated = yamlFiles(GENERATED);
        assertThat(generated).as("generated CRDs").isNotEmpty();
        assertThat(yamlFiles(COMMITTED).stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(generated.stream().map(p -> p.getFileName().toString()).toList());
        for (Path file : generated) {
            assertThat(Files.readString(COMMITTED.resolve(file.getFileName())))
                    .as("crds/%s drifted from the model; regenerate it", file.getFileName())
                    .isEqualTo(Files.readString(file));
        }
    }

    @Test
    void crdCarriesTheContractsNamesAndColumns() throws IOException {
        String crd = Files.readString(COMMITTED.resolve("isolationprofiles.isolation.dev-v1.yml"));
        assertThat(crd).contains("scope: \"Cluster\"", "- \"isop\"", "plural: \"isolationprofiles\"",
                "name: \"v1alpha1\"", "status: {}");
        assertThat(crd).contains("- \"Enforce\"", "- \"DryRun\"", "- \"Auto\"", "- \"Always\"", "- \"Never\"",
                "- \"Detect\"", "- \"Probe\"");
    }

    /** kubectl shows columns in the order listed: the contract's, not the generator's alphabetical one. */
    @Test
    void printerColumnsComeInTheContractsOrder() throws IOException {
        JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(COMMITTED.resolve("isolationprofiles.isolation.dev-v1.yml").toFile());
        List<String> columns = new ArrayList<>();
        List<Integer> priorities = new ArrayList<>();
        crd.path("spec").path("versions").get(0).path("additionalPrinterColumns").forEach(c -> {
            columns.add(c.path("name").asText());
            priorities.add(c.path("priority").asInt());
        });
        assertThat(columns).containsExactly("Ready", "Enforced", "CNI", "Namespaces", "Age", "Reason");
        assertThat(priorities).containsExactly(0, 0, 0, 0, 0, 1);
        assertThat(crd.path("spec").path("versions").get(0).path("additionalPrinterColumns").get(5).path("jsonPath").asText())
                .isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason");
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }
}
