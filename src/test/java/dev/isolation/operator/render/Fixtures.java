package dev.isolation.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.DefaultDeny;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared builders for render tests. */
final class Fixtures {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String UID = "6f1c2a1e-0000-4000-8000-000000000001";
    static final String NS = "team-a";

    private Fixtures() {
    }

    static IsolationProfile profile(String name, IsolationProfileSpec spec) {
        IsolationProfile p = new IsolationProfile();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setUid(UID);
        p.setMetadata(meta);
        p.setSpec(spec);
        return p;
    }

    static IsolationProfileSpec spec(Boolean denyIngress, Boolean denyEgress) {
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setDefaultDeny(new DefaultDeny(denyIngress, denyEgress));
        spec.setAllow(new Allow());
        return spec;
    }

    static LabelSelector nsSelector(String key, String value) {
        return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
    }

    static ClusterFacts facts(List<ApiServerEndpoint> endpoints, List<String> nodeIps) {
        return ClusterFacts.of(endpoints, nodeIps);
    }

    static ClusterFacts someFacts() {
        return facts(List.of(new ApiServerEndpoint("10.0.0.1", 6443, "TCP")), List.of("192.168.0.10"));
    }

    static NetworkPolicy policy(DesiredNamespaceState state, String name) {
        Optional<NetworkPolicy> np = state.networkPolicies().stream()
                .filter(p -> p.getMetadata().getName().equals(name)).findFirst();
        return np.orElseThrow(() -> new AssertionError("no NetworkPolicy " + name + " in "
                + state.networkPolicies().stream().map(p -> p.getMetadata().getName()).toList()));
    }

    static List<String> names(DesiredNamespaceState state) {
        return state.networkPolicies().stream().map(p -> p.getMetadata().getName()).toList();
    }

    /** The JSON fabric8 would send for {@code o}. */
    static JsonNode tree(Object o) {
        try {
            return JSON.readTree(SERIALIZATION.asJson(o));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * What a real API server hands back after storing {@code desired}: the object goes over the wire
     * as JSON (fabric8 drops empty lists), gets Kubernetes' NetworkPolicy defaulting (policyTypes,
     * port protocol, podSelector as a non-pointer struct), server-populated metadata, and is read
     * back by fabric8 (which fills absent lists with empty ones).
     */
    static NetworkPolicy storedByApiServer(NetworkPolicy desired) {
        ObjectNode json = (ObjectNode) tree(desired);
        ObjectNode spec = json.withObjectProperty("spec");
        if (!spec.has("podSelector")) {
            spec.putObject("podSelector");
        }
        if (!spec.has("policyTypes") || spec.get("policyTypes").isEmpty()) {
            ArrayNode types = spec.putArray("policyTypes");
            types.add("Ingress");
            if (spec.has("egress") && !spec.get("egress").isEmpty()) {
                types.add("Egress");
            }
        }
        for (String dir : List.of("ingress", "egress")) {
            for (JsonNode rule : spec.path(dir)) {
                for (JsonNode port : rule.path("ports")) {
                    if (!port.has("protocol")) {
                        ((ObjectNode) port).put("protocol", "TCP");
                    }
                }
            }
        }
        ObjectNode meta = json.withObjectProperty("metadata");
        meta.put("resourceVersion", "12345");
        meta.put("uid", "live-uid-1");
        meta.put("generation", 1);
        meta.put("creationTimestamp", "2026-01-01T00:00:00Z");
        meta.putArray("managedFields").addObject().put("manager", "isolation-operator").put("operation", "Update");
        return SERIALIZATION.unmarshal(json.toString(), NetworkPolicy.class);
    }

    static Map<String, String> map(String... kv) {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
