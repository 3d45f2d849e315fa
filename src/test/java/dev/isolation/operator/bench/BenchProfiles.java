package dev.isolation.operator.bench;

import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.DefaultDeny;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.reconcile.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The profiles both benchmarks use. */
final class BenchProfiles {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Label every benchmark namespace carries; the end-to-end profile selects on it. */
    static final String BENCH_LABEL = "bench";
    static final String BENCH_VALUE = "yes";

    private BenchProfiles() {
    }

    /** examples/seed-example.yaml as shipped: "db-tier", selecting tier=db, one verbatim policy, presets off. */
    static IsolationProfile seedExample() {
        try {
            String yaml = Files.readString(Path.of("examples", "seed-example.yaml"));
            return SERIALIZATION.unmarshal(yaml, IsolationProfile.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every preset on: default deny both ways, same-namespace, DNS, API server, nodes, from-namespaces. */
    static IsolationProfile allPresets(String name) {
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(BENCH_LABEL, BENCH_VALUE)).build());
        spec.setDefaultDeny(new DefaultDeny(true, true));
        Allow allow = new Allow();
        allow.setSameNamespace(true);
        allow.setDns(true);
        allow.setKubeApiServer(true);
        allow.setNodes(true);
        allow.setFromNamespaces(List.of(new LabelSelectorBuilder()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", "ingress-nginx")).build()));
        spec.setAllow(allow);
        spec.setNamespaceLabels(Map.of("isolation", "baseline"));
        spec.setNamespaceAnnotations(Map.of("owner", "platform-team"));
        return withSpec(name, spec);
    }

    /** Ingress-only tenant isolation selected by a matchExpressions selector (team In ...). */
    static IsolationProfile tenants(String name) {
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setNamespaceSelector(new LabelSelectorBuilder().addNewMatchExpression()
                .withKey("team").withOperator("In").withValues("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9")
                .endMatchExpression().build());
        spec.setDefaultDeny(new DefaultDeny(true, false));
        spec.setNamespaceLabels(Map.of("tenant-isolated", "true"));
        return withSpec(name, spec);
    }

    /**
     * The end-to-end profile: default deny ingress, allow same namespace, and one verbatim policy
     * ("web", ingress from role=frontend on {@code port}) plus one namespace label. Three
     * NetworkPolicies and one namespace patch per selected namespace.
     */
    static IsolationProfile endToEnd(String name, int port) {
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(BENCH_LABEL, BENCH_VALUE)).build());
        spec.setDefaultDeny(new DefaultDeny(true, false));
        Allow allow = new Allow();
        allow.setSameNamespace(true);
        spec.setAllow(allow);
        spec.setNamespaceLabels(Map.of("isolation", "on"));
        spec.setPolicies(List.of(new PolicyTemplate("web", webPolicy(port))));
        IsolationProfile profile = new IsolationProfile();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        profile.setMetadata(meta);
        profile.setSpec(spec);
        return profile;
    }

    static NetworkPolicySpec webPolicy(int port) {
        return new NetworkPolicySpecBuilder()
                .withNewPodSelector().withMatchLabels(Map.of("app", "web")).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewFrom().withNewPodSelector().withMatchLabels(Map.of("role", "frontend")).endPodSelector().endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                .endIngress()
                .build();
    }

    /** A persisted-looking profile: the renderer needs a uid, conflicts need a creation time. */
    static IsolationProfile persisted(IsolationProfile profile, int index) {
        ObjectMeta meta = profile.getMetadata();
        meta.setUid(String.format("00000000-0000-4000-8000-%012d", index));
        meta.setResourceVersion(String.valueOf(100 + index));
        meta.setGeneration(1L);
        meta.setCreationTimestamp(String.format("2026-01-01T00:00:%02dZ", index));
        return profile;
    }

    /** Ready=True for the current (or given) generation with the expected namespace and policy counts. */
    static boolean ready(KubernetesClient admin, String name, int namespaces, long policies, Long generation) {
        IsolationProfile p = admin.resources(IsolationProfile.class).withName(name).get();
        if (p == null || p.getStatus() == null || p.getStatus().getNamespaces() == null || p.getStatus().getPolicies() == null) {
            return false;
        }
        Condition c = StatusBuilder.find(p.getStatus(), StatusBuilder.READY);
        long wanted = generation == null ? p.getMetadata().getGeneration() : generation;
        return c != null && "True".equals(c.getStatus())
                && p.getStatus().getObservedGeneration() != null && p.getStatus().getObservedGeneration() == wanted
                && p.getStatus().getNamespaces().getSelected() == namespaces
                && p.getStatus().getNamespaces().getReady() == namespaces
                && p.getStatus().getPolicies().getApplied() == policies;
    }

    private static IsolationProfile withSpec(String name, IsolationProfileSpec spec) {
        IsolationProfile profile = new IsolationProfile();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        profile.setMetadata(meta);
        profile.setSpec(spec);
        return profile;
    }
}
