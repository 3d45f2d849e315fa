package dev.isolation.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.isolation.operator.render.ClusterFacts;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster render works against: Namespaces (e.g. {@code kubectl get ns -o yaml}), and optionally
 * Nodes and the default/kubernetes EndpointSlices, which make the nodes and kubeApiServer presets
 * renderable. Without them those presets are reported as not rendered, as the operator retains
 * them while the facts are unknown.
 */
final class ClusterInput {

    /** Set by the API server on every namespace; selectors may use it. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    record Cluster(List<Namespace> namespaces, ClusterFacts facts) {
    }

    private ClusterInput() {
    }

    /** @throws IllegalArgumentException naming the document that is not a valid object of its kind */
    static Cluster from(List<ManifestReader.Document> documents) {
        Map<String, Namespace> namespaces = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (ManifestReader.Document doc : documents) {
            JsonNode node = doc.node();
            switch (node.path("kind").asText()) {
                case "Namespace" -> {
                    Namespace ns = convert(doc, Namespace.class);
                    String name = ns.getMetadata() == null ? null : ns.getMetadata().getName();
                    if (name == null || name.isEmpty()) {
                        throw new IllegalArgumentException(doc.source() + ": a Namespace without metadata.name");
                    }
                    namespaces.put(name, ns);
                }
                case "Node" -> nodes.add(convert(doc, Node.class));
                case "EndpointSlice" -> slices.add(convert(doc, EndpointSlice.class));
                default -> {
                    // Other kinds (e.g. the profiles themselves in the same file) are not cluster state.
                }
            }
        }
        List<Namespace> list = namespaces.values().stream().map(ClusterInput::withNameLabel).toList();
        return new Cluster(list, ClusterFacts.from(slices.isEmpty() ? null : slices, nodes.isEmpty() ? null : nodes));
    }

    /** {@code --namespace name --labels k=v,…}: one namespace, no cluster facts. */
    static Cluster single(String name, Map<String, String> labels) {
        Namespace ns = new Namespace();
        ns.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        ns.getMetadata().setName(name);
        ns.getMetadata().setLabels(labels == null ? new HashMap<>() : new HashMap<>(labels));
        return new Cluster(List.of(withNameLabel(ns)), ClusterFacts.unknown());
    }

    /** The label the API server puts on every namespace, so a file need not repeat it. */
    private static Namespace withNameLabel(Namespace ns) {
        Map<String, String> labels = ns.getMetadata().getLabels() == null
                ? new HashMap<>() : new HashMap<>(ns.getMetadata().getLabels());
        labels.put(NAMESPACE_NAME_LABEL, ns.getMetadata().getName());
        ns.getMetadata().setLabels(labels);
        return ns;
    }

    private static <T> T convert(ManifestReader.Document doc, Class<T> type) {
        try {
            return SERIALIZATION.convertValue(doc.node(), type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(doc.source() + ": " + ManifestReader.firstLine(e.getMessage()), e);
        }
    }
}
