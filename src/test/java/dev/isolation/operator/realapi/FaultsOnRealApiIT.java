package dev.isolation.operator.realapi;

import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.faults.FaultProxy;
import dev.isolation.operator.faults.FaultProxy.Exchange;
import dev.isolation.operator.faults.FaultProxy.Faults;
import dev.isolation.operator.reconcile.OperatorRuntime;
import dev.isolation.operator.reconcile.OperatorTestSupport;
import dev.isolation.operator.reconcile.TestOperatorConfig;
import dev.isolation.operator.render.ManagedLabels;
import dev.isolation.operator.render.OwnedKeys;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator on a real kube-apiserver behind {@link FaultProxy}: 10% of its requests answered
 * 500/503/429 (Retry-After), 5% of its writes 409, every watch dropped after a few seconds. It
 * must converge fully, never delete what should exist (no delete follows a failed read), name a
 * persistent failure in status while it lasts and recover when it stops. The operator's client
 * does not retry by itself, exactly as configured in production
 * ({@code quarkus.kubernetes-client.request-retry-backoff-limit=0}): every fault reaches the operator.
 *
 * <p>{@code -Dfaults.seed=N} replays another fault sequence (the seed is printed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsOnRealApiIT {

    static final int NAMESPACES = 200;
    static final Duration LONG = Duration.ofMinutes(4);
    static final long SEED = Long.getLong("faults.seed", 12);

    private static RealApiServer server;
    private static KubernetesClient admin;
    private static FaultProxy proxy;
    private static OperatorRuntime runtime;
    private static KubernetesClient operatorClient;
    private static final String ID = UUID.randomUUID().toString().substring(0, 6);
    private static final String PROFILE = "faults-" + ID;
    private static final Map<String, String> SELECTOR = Map.of("faults", ID);
    private static List<String> namespaces;

    @BeforeAll
    static void setUp() {
        server = RealApiServer.get();
        admin = server.adminClient();
        ShippedInstall.apply(admin);
        namespaces = IntStream.range(0, NAMESPACES).mapToObj(i -> String.format("flt-%s-%03d", ID, i)).toList();
        namespaces.parallelStream().forEach(ns -> admin.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName(ns).withLabels(SELECTOR).endMetadata().build()).create());
        proxy = new FaultProxy(URI.create(server.adminConfig().getMasterUrl()), SEED, Faults.goal());
        System.out.println("FaultsOnRealApiIT: fault seed " + SEED + " (-Dfaults.seed to replay)");
        runtime = startOperator();
        // Synced, not healthy(): with watches dropped every few seconds some informer is nearly
        // always reconnecting, and healthy() wants every one of them watching at the same moment.
        await().atMost(LONG).until(() -> runtime.view().synced());
    }

    /** An operator instance whose client goes through the proxy, configured like production's. */
    private static OperatorRuntime startOperator() {
        Config config = ShippedInstall.operatorConfig(server, admin);
        config.setMasterUrl(proxy.url());
        config.setRequestRetryBackoffLimit(0);
        operatorClient = new KubernetesClientBuilder().withConfig(config).build();
        OperatorRuntime started = new OperatorRuntime(operatorClient, TestOperatorConfig.defaults().withThreads(4),
                Metrics.NOOP);
        started.start();
        return started;
    }

    private static void stopOperator() {
        runtime.stop();
        operatorClient.close();
    }

    @AfterAll
    static void tearDown() {
        if (runtime != null) {
            stopOperator();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (admin != null) {
            admin.resources(IsolationProfile.class).withName(PROFILE).delete();
            admin.close();
        }
    }

    private static IsolationProfile desired(int port) {
        IsolationProfile p = profile(PROFILE, SELECTOR);
        p.getSpec().setNamespaceLabels(Map.of("isolated", "yes"));
        p.getSpec().setNamespaceAnnotations(Map.of("owner", "team-faults"));
        p.getSpec().setPolicies(List.of(webPolicy(port)));
        return p;
    }

    private static PolicyTemplate webPolicy(int port) {
        return new PolicyTemplate("web", new NetworkPolicySpecBuilder()
                .withNewPodSelector().addToMatchLabels("app", "web").endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress().addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort().endIngress()
                .build());
    }

    /** Every selected namespace's policies as the admin lists them: namespace → policy name → port of "web". */
    private static Map<String, Map<String, Integer>> livePolicies() {
        Map<String, Map<String, Integer>> result = new HashMap<>();
        for (NetworkPolicy np : admin.network().v1().networkPolicies().inAnyNamespace()
                .withLabel(ManagedLabels.PROFILE, PROFILE).list().getItems()) {
            Integer port = np.getMetadata().getName().endsWith("-web")
                    ? np.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal() : null;
            result.computeIfAbsent(np.getMetadata().getNamespace(), k -> new HashMap<>())
                    .put(np.getMetadata().getName(), port == null ? 0 : port);
        }
        return result;
    }

    /** Every namespace has exactly the profile's three policies (web on {@code port}) and its metadata. */
    private static void assertConverged(int port) {
        Map<String, Map<String, Integer>> live = livePolicies();
        Map<String, Integer> expected = Map.of(PROFILE + "-default-deny", 0, PROFILE + "-allow-same-namespace", 0,
                PROFILE + "-web", port);
        assertThat(live.keySet()).containsExactlyInAnyOrderElementsOf(namespaces);
        live.forEach((ns, policies) -> assertThat(policies).as(ns).isEqualTo(expected));
        Map<String, io.fabric8.kubernetes.api.model.Namespace> byName = admin.namespaces().withLabels(SELECTOR).list()
                .getItems().stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
        for (String ns : namespaces) {
            var meta = byName.get(ns).getMetadata();
            assertThat(meta.getLabels()).as(ns).containsEntry("isolated", "yes");
            assertThat(meta.getAnnotations()).as(ns).containsEntry("owner", "team-faults")
                    .containsKey(OwnedKeys.ANNOTATION);
        }
        IsolationProfile current = get(admin, PROFILE);
        assertThat(current.getStatus().getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
        assertThat(conditionIs(admin, PROFILE, "Ready", "True", "Reconciled")).isTrue();
        assertThat(current.getStatus().getNamespaces().getReady()).isEqualTo(NAMESPACES);
    }

    private static void awaitConverged(int port) {
        await().atMost(LONG).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertConverged(port));
    }

    /** Deletes the operator sent for its own policies or namespaces: none may ever happen in these tests. */
    private static List<Exchange> deletes(List<Exchange> log) {
        return log.stream().filter(e -> e.verb().startsWith("delete")
                && (e.resource().equals("networkpolicies") || e.resource().equals("namespaces"))).toList();
    }

    private static long writes(List<Exchange> log, String resource) {
        return log.stream().filter(e -> e.isWrite() && e.resource().equals(resource)).count();
    }

    private static void print(String phase, List<Exchange> log) {
        System.out.printf("FaultsOnRealApiIT %s: %d requests, %d injected (%s), writes %s, watches dropped %d%n",
                phase, log.size(), log.stream().filter(Exchange::injected).count(),
                log.stream().filter(Exchange::injected).collect(Collectors.groupingBy(Exchange::code, Collectors.counting())),
                FaultProxy.count(log, Exchange::isWrite), proxy.droppedWatches());
    }

    @Test
    @Order(1)
    void convergesUnderRandomFaultsAndNeverDeletes() {
        create(admin, desired(8080));
        awaitConverged(8080);
        // CNI detection's informers, whose first lists failed too, recovered and ran detection.
        await().atMost(LONG).until(() -> runtime.cni().current() != null);
        List<Exchange> log = proxy.log();
        print("rollout", log);
        // The faults really happened, on writes and reads alike, and watches were dropped.
        assertThat(log.stream().filter(e -> e.injected() && e.code() == 409)).isNotEmpty();
        assertThat(log.stream().filter(e -> e.injected() && e.isWrite() && e.code() >= 429)).isNotEmpty();
        assertThat(log.stream().filter(e -> e.injected() && e.verb().equals("list"))).isNotEmpty();
        assertThat(proxy.droppedWatches()).isPositive();
        assertThat(deletes(log)).as("no delete of an object that should exist").isEmpty();
        // Economy: the fault-free rollout is 3 creates + 1 patch per namespace; every injected
        // failure costs at most one more attempt, and nothing is rewritten.
        long ideal = 4L * NAMESPACES;
        long sent = writes(log, "networkpolicies") + writes(log, "namespaces");
        assertThat(sent).as("policy and namespace writes vs the fault-free %d", ideal).isLessThanOrEqualTo(ideal * 13 / 10);
    }

    @Test
    @Order(2)
    void aPersistentFailureIsNamedInStatusUntilItStops() {
        String broken = namespaces.get(7);
        proxy.fail("unavailable", e -> broken.equals(e.namespace()) && e.resource().equals("networkpolicies")
                && e.isWrite(), 503);
        proxy.clearLog();
        OperatorTestSupport.editProfile(admin, PROFILE, p -> {
            p.getSpec().setPolicies(List.of(webPolicy(8443)));
            return p;
        });
        await().atMost(LONG).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            IsolationProfileStatus status = get(admin, PROFILE).getStatus();
            assertThat(status.getObservedGeneration()).isEqualTo(get(admin, PROFILE).getMetadata().getGeneration());
            assertThat(status.getNamespaces().getReady()).isEqualTo(NAMESPACES - 1);
            assertThat(status.getNamespaces().getFailed()).isEqualTo(1);
            assertThat(status.getFailedNamespaces()).singleElement().satisfies(f -> {
                assertThat(f.getName()).isEqualTo(broken);
                assertThat(f.getReason()).isEqualTo("ApplyFailed");
                assertThat(f.getMessage()).contains("HTTP 503");
            });
            assertThat(conditionIs(admin, PROFILE, "Ready", "False", "ApplyFailed")).isTrue();
            assertThat(OperatorTestSupport.condition(admin, PROFILE, "Ready").getMessage()).contains(broken);
        });
        proxy.heal("unavailable");
        awaitConverged(8443);

        // 403 is not retried hot: the profile is Stalled and says where, until a change (here,
        // the namespace's labels after the admin fixed RBAC) lets the operator try again.
        String forbidden = namespaces.get(11);
        proxy.fail("forbidden", e -> forbidden.equals(e.namespace()) && e.resource().equals("networkpolicies")
                && e.isWrite(), 403);
        OperatorTestSupport.editProfile(admin, PROFILE, p -> {
            p.getSpec().setPolicies(List.of(webPolicy(9090)));
            return p;
        });
        await().atMost(LONG).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(conditionIs(admin, PROFILE, "Stalled", "True", "ApplyFailed")).isTrue();
            List<FailedNamespace> failed = get(admin, PROFILE).getStatus().getFailedNamespaces();
            assertThat(failed).singleElement().satisfies(f -> {
                assertThat(f.getName()).isEqualTo(forbidden);
                assertThat(f.getMessage()).contains("HTTP 403");
            });
        });
        proxy.heal("forbidden");
        OperatorTestSupport.editNamespace(admin, forbidden, n -> {
            n.getMetadata().getLabels().put("rbac", "fixed");
            return n;
        });
        awaitConverged(9090);
        assertThat(conditionIs(admin, PROFILE, "Stalled", "True", null)).isFalse();
        assertThat(deletes(proxy.log())).isEmpty();
    }

    @Test
    @Order(3)
    void aRestartWhoseReadsFailDeletesAndRewritesNothing() {
        stopOperator();
        proxy.clearLog();
        // The new instance cannot read profiles at first: every list and watch of them fails.
        proxy.fail("no-profiles", e -> e.resource().equals("isolationprofiles")
                && Set.of("list", "watch").contains(e.verb()), 500);
        CompletableFuture<OperatorRuntime> starting = CompletableFuture.supplyAsync(FaultsOnRealApiIT::startOperator);
        await().atMost(LONG).until(() -> proxy.log().stream()
                .filter(e -> e.injected() && e.resource().equals("isolationprofiles")).count() >= 3);
        proxy.heal("no-profiles");
        runtime = starting.join();
        await().atMost(LONG).until(() -> runtime.view().synced());
        await().atMost(LONG).until(() -> runtime.ledger().namespacesSelectedBy(PROFILE).size() == NAMESPACES);
        assertConverged(9090);
        List<Exchange> log = proxy.log();
        print("restart", log);
        assertThat(deletes(log)).isEmpty();
        assertThat(log.stream().filter(e -> e.isWrite()
                && Set.of("networkpolicies", "namespaces").contains(e.resource())))
                .as("a restart over a converged cluster rewrites nothing").isEmpty();
    }
}
