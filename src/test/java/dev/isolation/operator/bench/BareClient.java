package dev.isolation.operator.bench;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's baseline: what the operator writes for a rollout, written by a bare fabric8
 * client with the operator's parallelism and nothing else (no informers, no planning). Per
 * namespace, in the operator's order: one guarded JSON patch of its labels and annotations, then
 * the policies, one create after the other.
 *
 * <p>{@link #write} is what the harness calls in its own JVM; {@link #main} runs the same in a
 * fresh JVM of its own, started with the operator's JVM settings, so both sides of the ratio start
 * cold with one CPU's ergonomics and neither inherits the harness's warmed-up code.
 */
final class BareClient {

    /** One rollout's writes: the namespaces as listed (with resourceVersion), what is added to each, the policies. */
    record Plan(List<Namespace> namespaces, Map<String, String> addedLabels, Map<String, String> addedAnnotations,
                List<NetworkPolicy> policies) {
    }

    private BareClient() {
    }

    /** Writes the plan with {@code threads} parallel writers; returns the wall time in nanoseconds. */
    static long write(KubernetesClient client, Plan plan, int threads) throws Exception {
        KubernetesSerialization json = client.getKubernetesSerialization();
        long t0 = System.nanoTime();
        RealCluster.parallel(plan.namespaces().size(), threads, i -> () -> {
            Namespace ns = plan.namespaces().get(i);
            String name = ns.getMetadata().getName();
            Map<String, String> labels = new LinkedHashMap<>(ns.getMetadata().getLabels());
            labels.putAll(plan.addedLabels());
            Map<String, String> annotations = new LinkedHashMap<>(ns.getMetadata().getAnnotations());
            annotations.putAll(plan.addedAnnotations());
            String patch = "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                    + ns.getMetadata().getResourceVersion() + "\"},"
                    + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":" + json.asJson(labels) + "},"
                    + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":" + json.asJson(annotations) + "}]";
            client.namespaces().resource(ns).patch(PatchContext.of(PatchType.JSON), patch);
            for (NetworkPolicy template : plan.policies()) {
                NetworkPolicy np = json.clone(template);
                np.getMetadata().setNamespace(name);
                client.network().v1().networkPolicies().inNamespace(name).resource(np).create();
            }
        });
        return System.nanoTime() - t0;
    }

    /** A client as the harness's baseline uses it: no retries, so every write is one request. */
    static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build()).build();
    }

    /**
     * {@code BareClient <kubeconfig> <plan.json> <threads>}: writes the plan and prints, as its last
     * line, the wall time of the writes and the CPU time of the whole process, in nanoseconds.
     */
    public static void main(String[] args) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        Plan plan = new KubernetesSerialization().unmarshal(Files.readString(Path.of(args[1])), Plan.class);
        try (KubernetesClient client = client(config)) {
            long elapsed = write(client, plan, Integer.parseInt(args[2]));
            long cpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
            System.out.println(elapsed + " " + cpu);
        }
        // Vert.x and informer threads must not keep the process alive.
        System.exit(0);
    }
}
