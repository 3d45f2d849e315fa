package dev.isolation.operator.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: loads multi-document YAML manifests (including {@code kind: List} documents such as weave.yaml)
 * from the test classpath into typed fabric8 objects, and builds a {@link ClusterInventory} from them.
 */
final class Manifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization K8S = new KubernetesSerialization();

    private Manifests() {
    }

    /** All objects of the resource, {@code kind: List} unwrapped, empty documents skipped. */
    static List<KubernetesResource> load(String resource) {
        String path = resource.startsWith("/") ? resource : "/" + resource;
        try (InputStream in = Manifests.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            List<KubernetesResource> out = new ArrayList<>();
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(in)) {
                while (docs.hasNext()) {
                    add(docs.next(), out);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void add(JsonNode doc, List<KubernetesResource> out) {
        if (doc == null || doc.isNull() || doc.isMissingNode() || !doc.isObject() || doc.isEmpty()) {
            return;
        }
        if ("List".equals(doc.path("kind").asText()) || doc.path("kind").asText().endsWith("List")
                && doc.has("items")) {
            doc.path("items").forEach(item -> add(item, out));
            return;
        }
        out.add(K8S.unmarshal(doc.toString(), KubernetesResource.class));
    }

    /** Inventory of the objects in all given resources. */
    static ClusterInventory inventory(String... resources) {
        List<Object> all = new ArrayList<>();
        for (String r : resources) {
            all.addAll(load(r));
        }
        return ClusterInventory.of(all);
    }

    /** An upstream manifest as a running cluster has it: every workload ready ({@link Fixtures#allReady}). */
    static ClusterInventory real(String name) {
        return Fixtures.allReady(inventory("fixtures/cni/" + name + ".yaml"));
    }

    static ClusterInventory minimal(String... names) {
        String[] paths = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            paths[i] = "fixtures/cni-minimal/" + names[i] + ".yaml";
        }
        return inventory(paths);
    }
}
