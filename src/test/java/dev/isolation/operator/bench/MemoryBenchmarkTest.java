package dev.isolation.operator.bench;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.realapi.RealApiServer;
import dev.isolation.operator.realapi.ShippedInstall;
import dev.isolation.operator.reconcile.OperatorRuntime;
import dev.isolation.operator.reconcile.TestOperatorConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's retained heap per namespace, on the real API server tier (which adds
 * managedFields exactly as a cluster does). Namespaces look like real ones: typical labels,
 * kubectl's last-applied annotation and the managedFields entry of kubectl's client-side apply.
 * The operator converges one profile writing 3 NetworkPolicies and a label per namespace; after
 * each step the heap is measured after full GCs, minus what the harness held before the operator
 * started. The API server runs in its own process, so nothing of it is counted.
 *
 * <p>The packaged jar's resident set in the container's JVM settings is {@link RealApiBenchmarkIT}'s
 * figure; this one isolates the caches' share of the heap.
 *
 * <p>Prints figures; asserts only that the operator converged. Sizes: {@code bench.memory.steps}
 * (default 1000,2000,4000). {@code bench.memory.histogram=true} adds the top of a live class histogram.
 */
@Tag("benchmark")
class MemoryBenchmarkTest {

    private static final String PROFILE = "mem-bench";
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    @Test
    void retainedHeapPerThousandNamespaces() throws Exception {
        int[] steps = Arrays.stream(System.getProperty("bench.memory.steps", "1000,2000,4000").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        RealApiServer server = RealApiServer.get();
        KubernetesClient admin = server.adminClient();
        ShippedInstall.apply(admin);
        // kubectl's own user agent makes the API server record the manager as kubectl does.
        Config kubectlLike = new ConfigBuilder(server.adminConfig())
                .withUserAgent("kubectl-client-side-apply/v1.35.4 (linux/amd64) kubernetes/abcdef0").build();
        List<String> lines = new ArrayList<>();
        lines.add("-- operator heap after GC, real API server, 1 profile x 3 NetworkPolicies + 1 label per namespace");
        lines.add(String.format("  %-12s %16s %16s %22s", "namespaces", "heap used", "operator share",
                "per 1,000 namespaces"));
        try (KubernetesClient kubectl = new KubernetesClientBuilder().withConfig(kubectlLike).build();
             KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
            long baseline = heapAfterGc();
            OperatorRuntime runtime = new OperatorRuntime(operatorClient, TestOperatorConfig.defaults(), Metrics.NOOP);
            runtime.start();
            admin.resources(IsolationProfile.class).resource(BenchProfiles.endToEnd(PROFILE, 8080)).create();
            int created = 0;
            try {
                for (int n : steps) {
                    createNamespaces(kubectl, created, n);
                    created = n;
                    int expected = n;
                    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> ready(admin) == expected);
                    long used = heapAfterGc();
                    long share = used - baseline;
                    lines.add(String.format("  %,12d %13.1f MiB %13.1f MiB %19.1f MiB", n, mib(used), mib(share),
                            mib(share) * 1000.0 / n));
                    if (Boolean.getBoolean("bench.memory.histogram")) {
                        lines.addAll(histogramTop(25));
                    }
                }
            } finally {
                runtime.stop();
                admin.resources(IsolationProfile.class).withName(PROFILE).delete();
            }
        }
        lines.forEach(System.out::println);
        Path results = Path.of("target", "benchmark-results.txt");
        Files.createDirectories(results.getParent());
        Files.write(results, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertThat(lines).hasSizeGreaterThan(2);
    }

    private static int ready(KubernetesClient admin) {
        IsolationProfile p = admin.resources(IsolationProfile.class).withName(PROFILE).get();
        IsolationProfileStatus status = p == null ? null : p.getStatus();
        return status == null || status.getNamespaces() == null ? -1 : status.getNamespaces().getReady();
    }

    /** Namespaces as kubectl apply creates them: typical labels and the last-applied annotation. */
    private static void createNamespaces(KubernetesClient kubectl, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            IntStream.range(from, to).forEach(i -> done.add(pool.submit(() -> kubectl.namespaces()
                    .resource(namespace(i)).create())));
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static Namespace namespace(int i) {
        String name = String.format("team-%05d", i);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(BenchProfiles.BENCH_LABEL, BenchProfiles.BENCH_VALUE);
        labels.put("team", "t" + (i % 10));
        labels.put("environment", i % 3 == 0 ? "production" : "staging");
        labels.put("app.kubernetes.io/part-of", "platform-" + (i % 50));
        labels.put("cost-center", "cc-" + (1000 + i % 200));
        String lastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":{},"
                + "\"labels\":{\"app.kubernetes.io/part-of\":\"" + labels.get("app.kubernetes.io/part-of")
                + "\",\"bench\":\"yes\",\"cost-center\":\"" + labels.get("cost-center") + "\",\"environment\":\""
                + labels.get("environment") + "\",\"team\":\"" + labels.get("team") + "\"},\"name\":\"" + name + "\"}}\n";
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", lastApplied)
                .endMetadata().build();
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // lets reference processing and the G1 cleanup finish between collections
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static List<String> histogramTop(int rows) {
        return jcmd(ProcessHandle.current().pid(), "GC.class_histogram").stream().skip(1).limit(rows + 2L)
                .map(l -> "    " + l).toList();
    }

    private static List<String> jcmd(long pid, String... command) {
        try {
            List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid)));
            argv.addAll(List.of(command));
            Process jcmd = new ProcessBuilder(argv).redirectErrorStream(true).start();
            List<String> out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            jcmd.waitFor();
            return out.stream().map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
