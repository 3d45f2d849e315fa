package dev.isolation.operator.bench;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.realapi.RealApiServer;
import dev.isolation.operator.realapi.ShippedInstall;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.awaitility.Awaitility.await;

/**
 * One benchmark scenario's cluster: a real kube-apiserver + etcd of its own (empty), the shipped
 * install (CRD, RBAC), namespaces as they look in a real cluster, and a kubeconfig for the
 * operator's ServiceAccount.
 */
final class RealCluster implements AutoCloseable {

    /** Namespaces carry about this much besides their name, as in clusters managed with kubectl apply. */
    static final int TEAMS = 50;

    final RealApiServer server;
    final KubernetesClient admin;
    final Path dir;

    private RealCluster(RealApiServer server, Path dir) {
        this.server = server;
        this.admin = server.adminClient();
        this.dir = dir;
        ShippedInstall.applyTo(admin);
        // An Established CRD can still answer 429 "storage is (re)initializing" for a moment; the
        // operator treats a failed informer start as fatal (a pod would be restarted), so the
        // benchmark starts it only once the API serves the custom resource, as an installed cluster does.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> admin.resources(IsolationProfile.class).list().getItems() != null);
    }

    static RealCluster start(String name) {
        Path dir = Path.of("target", "bench", name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RealCluster(RealApiServer.dedicated("bench-" + name), dir);
    }

    static String namespaceName(int i) {
        return String.format("tenant-%05d", i);
    }

    /**
     * A namespace as {@code kubectl apply} leaves it: typical labels (team, environment, cost
     * centre, part-of), an owner annotation and kubectl's last-applied-configuration annotation (a
     * JSON copy of the manifest), created with kubectl's field manager so managedFields look alike.
     */
    static Namespace realisticNamespace(int i) {
        String name = namespaceName(i);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(BenchProfiles.BENCH_LABEL, BenchProfiles.BENCH_VALUE);
        labels.put("team", "t" + (i % TEAMS));
        labels.put("environment", i % 3 == 0 ? "production" : i % 3 == 1 ? "staging" : "development");
        labels.put("cost-center", "cc-" + (1000 + i % 97));
        labels.put("app.kubernetes.io/part-of", "tenant-platform");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("owner", "team-t" + (i % TEAMS) + "@example.com");
        Namespace manifest = new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .withAnnotations(annotations).endMetadata().build();
        String lastApplied = BenchProfiles.SERIALIZATION.asJson(manifest);
        annotations.put("kubectl.kubernetes.io/last-applied-configuration", lastApplied + "\n");
        return new NamespaceBuilder(manifest).editMetadata().withAnnotations(annotations).endMetadata().build();
    }

    /** Creates namespaces 0..n-1 with {@code threads} parallel writers; returns the nanoseconds it took. */
    long createNamespaces(int n, int threads) throws Exception {
        // The API server names a create's field manager after the User-Agent, as kubectl's creates show.
        Config kubectl = new ConfigBuilder(server.adminConfig()).withUserAgent("kubectl-client-side-apply").build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(kubectl).build()) {
            long t0 = System.nanoTime();
            parallel(n, threads, i -> () -> client.namespaces().resource(realisticNamespace(i)).create());
            return System.nanoTime() - t0;
        }
    }

    /** Runs task(i) for i in 0..n-1 on {@code threads} threads, failing on the first failure. */
    static void parallel(int n, int threads, IntFunction<Runnable> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(task.apply(i)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A token of the shipped ServiceAccount (TokenRequest API), for the operator and for the bare client. */
    String operatorToken() {
        return admin.serviceAccounts().inNamespace(ShippedInstall.NAMESPACE).withName(ShippedInstall.SERVICE_ACCOUNT)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24 * 3600L).endSpec().build())
                .getStatus().getToken();
    }

    /** A kubeconfig file that authenticates as the operator's ServiceAccount (what the pod's mounted token does). */
    Path operatorKubeconfig() {
        Config config = server.adminConfig();
        try {
            String ca = config.getCaCertData() != null ? config.getCaCertData()
                    : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
            String yaml = """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: bench
                      cluster:
                        server: %s
                        certificate-authority-data: %s
                    users:
                    - name: isolation-operator
                      user:
                        token: %s
                    contexts:
                    - name: bench
                      context:
                        cluster: bench
                        user: isolation-operator
                        namespace: %s
                    current-context: bench
                    """.formatted(config.getMasterUrl(), ca, operatorToken(), ShippedInstall.NAMESPACE);
            Path file = dir.resolve("operator.kubeconfig");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AuditTail audit(String user) {
        return new AuditTail(server.auditLogFile(), user);
    }

    @Override
    public void close() {
        admin.close();
        server.stop();
    }
}
