package dev.isolation.operator.bench;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.faults.FaultProxy;
import dev.isolation.operator.faults.FaultProxy.Exchange;
import dev.isolation.operator.faults.FaultProxy.Faults;
import dev.isolation.operator.reconcile.OperatorRuntime;
import dev.isolation.operator.reconcile.StatusBuilder;
import dev.isolation.operator.reconcile.TestOperatorConfig;
import dev.isolation.operator.render.ManagedLabels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Goal 3 of issue 12 as a figure: the operator rolls one profile out over N namespaces once
 * without faults and once behind {@link FaultProxy} with the goal's fault mix (10% of requests
 * 500/503/429 with Retry-After, 5% of writes 409, watch connections dropped every 2-10 s), each
 * against a fresh fabric8 mock API server (CRUD mode). The operator's client does not retry by
 * itself, as in production. Prints convergence time and writes (every write request the operator
 * sent, failed ones included) and their ratio against the goal of 1.3x; appends the table to
 * target/benchmark-results.txt.
 *
 * <p>Fails only if the operator is wrong: a namespace without its policies or metadata, a delete,
 * or more than 1.3x the fault-free writes. Time is printed, never asserted.
 *
 * <p>Run: {@code mvn -B -Pbenchmark test -Dtest=FaultBenchmarkTest [-Dbench.faults.namespaces=1000]
 * [-Dbench.faults.seed=7]}.
 */
@Tag("benchmark")
class FaultBenchmarkTest {

    static final String PROFILE = "bench";
    static final String HARNESS = ApiWrites.HARNESS_USER_AGENT;

    final int n = Integer.getInteger("bench.faults.namespaces", 1_000);
    final long seed = Long.getLong("bench.faults.seed", 7);
    final int threads = Integer.getInteger("bench.threads", 16);
    final long timeoutMillis = Long.getLong("bench.timeoutSeconds", 1_800) * 1000;

    static final List<Logger> QUIET = new ArrayList<>();
    final SoftAssertions soft = new SoftAssertions();

    record Run(String name, long nanos, Map<String, Long> writes, long objectWrites, long totalWrites,
               long injected, Map<Integer, Long> injectedByCode, long droppedWatches, long deletes) {
    }

    @Test
    void faults() throws Exception {
        for (String category : List.of("io.javaoperatorsdk", "io.fabric8", "io.vertx", "io.netty",
                "dev.isolation", "Default ConfigurationService implementation")) {
            Logger logger = Logger.getLogger(category);
            logger.setLevel(Level.OFF);
            QUIET.add(logger);
        }
        Run clean = run("fault-free", Faults.NONE);
        Run faulty = run("with faults", Faults.goal());

        BenchReport report = new BenchReport("FaultBenchmark: rollout with and without API faults (fabric8 mock, CRUD mode)");
        report.line("namespaces: %,d | reconcile threads: %d | one profile: 3 NetworkPolicies + 1 namespace patch per"
                + " namespace | fault seed %d", n, threads, seed);
        report.line("faults: 10%% of requests 500/503/429 (Retry-After 1 s), 5%% of writes 409, watches dropped after"
                + " 2-10 s; the operator's client does not retry by itself (production setting)");
        report.row("", "converge", "object writes", "all writes", "injected", "watch drops", "deletes");
        for (Run r : List.of(clean, faulty)) {
            report.row(r.name(), BenchReport.secs(r.nanos()), BenchReport.count(r.objectWrites()),
                    BenchReport.count(r.totalWrites()), BenchReport.count(r.injected()),
                    BenchReport.count(r.droppedWatches()), BenchReport.count(r.deletes()));
        }
        double objectRatio = (double) faulty.objectWrites() / clean.objectWrites();
        double totalRatio = (double) faulty.totalWrites() / clean.totalWrites();
        report.line("writes with faults / fault-free: policies+namespaces %.3fx, all writes %.3fx (goal <= 1.3x: %s);"
                        + " convergence %.2fx", objectRatio, totalRatio, totalRatio <= 1.3 ? "met" : "NOT met",
                (double) faulty.nanos() / clean.nanos());
        report.line("injected with faults: %s", faulty.injectedByCode());
        report.line("writes by verb, fault-free: %s", clean.writes());
        report.line("writes by verb, with faults: %s", faulty.writes());
        report.flush();
        soft.assertThat(totalRatio).as("writes with faults vs fault-free (goal <= 1.3x)").isLessThanOrEqualTo(1.3);
        soft.assertAll();
    }

    private Run run(String name, Faults faults) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient harness = client(server.url("/"), HARNESS);
        FaultProxy proxy = new FaultProxy(URI.create(server.url("/")), seed, faults);
        OperatorRuntime runtime = null;
        KubernetesClient operatorClient = client(proxy.url(), "isolation-operator-faults");
        try {
            try (InputStream in = new FileInputStream("crds/isolationprofiles.isolation.dev-v1.yml")) {
                harness.apiextensions().v1().customResourceDefinitions()
                        .resource(harness.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                        .create();
            }
            IntStream.range(0, n).parallel().forEach(i -> harness.namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName(String.format("bench-%05d", i))
                    .addToLabels(BenchProfiles.BENCH_LABEL, BenchProfiles.BENCH_VALUE).endMetadata().build()).create());
            runtime = new OperatorRuntime(operatorClient, TestOperatorConfig.defaults().withThreads(threads),
                    Metrics.NOOP);
            runtime.start();
            OperatorRuntime started = runtime;
            // Synced, not healthy(): with watches dropped every few seconds, some informer is
            // nearly always reconnecting, and healthy() wants every one watching at once.
            await("operator caches synced", () -> started.view().synced());
            proxy.clearLog();
            long t0 = System.nanoTime();
            harness.resources(IsolationProfile.class).resource(BenchProfiles.endToEnd(PROFILE, 8080)).create();
            await("status Ready with every namespace", () -> ready(harness));
            await("every namespace has its policies and label", () -> converged(harness));
            long nanos = System.nanoTime() - t0;
            awaitQuiet(proxy);
            List<Exchange> log = proxy.log();
            Map<String, Long> writes = FaultProxy.count(log, Exchange::isWrite);
            long objectWrites = log.stream().filter(e -> e.isWrite()
                    && Set.of("networkpolicies", "namespaces").contains(e.resource())).count();
            long deletes = log.stream().filter(e -> e.verb().startsWith("delete")).count();
            soft.assertThat(deletes).as(name + ": deletes").isZero();
            return new Run(name, nanos, writes, objectWrites, writes.values().stream().mapToLong(Long::longValue).sum(),
                    log.stream().filter(Exchange::injected).count(),
                    log.stream().filter(Exchange::injected).collect(Collectors.groupingBy(Exchange::code,
                            java.util.TreeMap::new, Collectors.counting())),
                    proxy.droppedWatches(), deletes);
        } finally {
            if (runtime != null) {
                runtime.stop();
            }
            operatorClient.close();
            proxy.close();
            harness.close();
            server.destroy();
        }
    }

    private boolean ready(KubernetesClient harness) {
        IsolationProfile p = harness.resources(IsolationProfile.class).withName(PROFILE).get();
        if (p == null || p.getStatus() == null || p.getStatus().getNamespaces() == null) {
            return false;
        }
        Condition c = StatusBuilder.find(p.getStatus(), StatusBuilder.READY);
        return c != null && "True".equals(c.getStatus())
                && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration())
                && p.getStatus().getNamespaces().getReady() == n;
    }

    private boolean converged(KubernetesClient harness) {
        Map<String, Long> policies = harness.network().v1().networkPolicies().inAnyNamespace()
                .withLabel(ManagedLabels.PROFILE, PROFILE).list().getItems().stream()
                .collect(Collectors.groupingBy((NetworkPolicy np) -> np.getMetadata().getNamespace(), Collectors.counting()));
        List<Namespace> namespaces = harness.namespaces().withLabel(BenchProfiles.BENCH_LABEL).list().getItems();
        return namespaces.size() == n && namespaces.stream().allMatch(ns ->
                policies.getOrDefault(ns.getMetadata().getName(), 0L) == 3
                        && ns.getMetadata().getLabels().containsKey("isolation"));
    }

    /** No operator write for two seconds: the rollout's writes are all counted. */
    private void awaitQuiet(FaultProxy proxy) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long writes = -1;
        long since = System.currentTimeMillis();
        while (System.currentTimeMillis() - since < 2_000) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the operator kept writing");
            }
            // Quiet means the absence of writes over time: there is no condition to wait on.
            Thread.sleep(200); // quiet is an absence over time: nothing to await
            long now = proxy.log().stream().filter(Exchange::isWrite).count();
            if (now != writes) {
                writes = now;
                since = System.currentTimeMillis();
            }
        }
    }

    private void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            // A benchmark poll at a fixed, stated interval (its figures are timed; 250 ms resolution).
            Thread.sleep(250); // the benchmark's stated poll interval
        }
    }

    private static KubernetesClient client(String url, String userAgent) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withTrustCerts(true)
                .withUserAgent(userAgent)
                .withNamespace("default")
                .withRequestTimeout(120_000)
                // As in production (application.properties): every failure reaches the operator.
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
