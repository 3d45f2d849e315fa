package dev.isolation.operator.bench;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.reconcile.ProfileDirectory;
import dev.isolation.operator.reconcile.ProfileView;
import dev.isolation.operator.render.ClusterFacts;
import dev.isolation.operator.render.DesiredNamespaceState;
import dev.isolation.operator.render.MetadataCandidate;
import dev.isolation.operator.render.MetadataPlan;
import dev.isolation.operator.render.MetadataPlanner;
import dev.isolation.operator.render.NamespaceMetadata;
import dev.isolation.operator.render.PolicyComparison;
import dev.isolation.operator.render.ProfileRenderer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * In-process micro benchmark of a "nothing changed" full re-plan: what the namespace controller
 * computes in memory for every namespace when a profile event maps to all of them, without any
 * I/O. Figures are printed (and appended to target/benchmark-results.txt); nothing is asserted
 * about time, but the run fails if the steady state is not recognised as steady (any write would
 * be planned).
 *
 * <p>Run: {@code mvn -B -Pbenchmark test -Dtest=PlanningBenchmarkTest} (see docs/benchmark.md).
 * Properties: bench.namespaces (10000), bench.warmup (5 rounds), bench.rounds (10),
 * bench.scanSample (1000 namespaces for the full-cache-scan lookup figure).
 */
public final class PlanningBenchmark {

    private static final Set<String> PROTECTED = Set.of("kube-system", "kube-public", "kube-node-lease");

    private final int n;
    private final List<IsolationProfile> profiles;
    private final ProfileDirectory directory = new ProfileDirectory("isolation-operator");
    private final List<EndpointSlice> slices;
    private final List<Node> nodes;
    private final ClusterFacts facts;
    private final String[] names;
    private final Map<String, String>[] liveLabels;
    private final Map<String, String>[] liveAnnotations;
    private final Map<String, NetworkPolicy>[] livePolicies;
    private long sink;

    @SuppressWarnings("unchecked")
    PlanningBenchmark(int n) {
        this.n = n;
        this.profiles = List.of(
                BenchProfiles.persisted(BenchProfiles.seedExample(), 1),
                BenchProfiles.persisted(BenchProfiles.allPresets("baseline"), 2),
                BenchProfiles.persisted(BenchProfiles.tenants("tenants"), 3));
        this.slices = List.of(new EndpointSliceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "kubernetes").endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.96.0.1", "10.96.0.2", "10.96.0.3").endEndpoint()
                .addNewPort().withName("https").withPort(6443).withProtocol("TCP").endPort()
                .build());
        List<Node> nodeList = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nodeList.add(new NodeBuilder().withNewMetadata().withName("node-" + i).endMetadata()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.168.0." + (10 + i)).endAddress()
                    .endStatus().build());
        }
        this.nodes = List.copyOf(nodeList);
        this.facts = ClusterFacts.from(slices, nodes);
        this.names = new String[n];
        this.liveLabels = new Map[n];
        this.liveAnnotations = new Map[n];
        this.livePolicies = new Map[n];
        prepareSteadyState();
    }

    /** Every namespace as the operator left it: converged metadata and an API-server copy of each policy. */
    private void prepareSteadyState() {
        List<ProfileView> views = views();
        for (int i = 0; i < n; i++) {
            String name = String.format("ns-%05d", i);
            names[i] = name;
            Map<String, String> labels = new HashMap<>();
            labels.put("kubernetes.io/metadata.name", name);
            labels.put(BenchProfiles.BENCH_LABEL, BenchProfiles.BENCH_VALUE);
            labels.put("tier", "db");
            labels.put("team", "t" + (i % 20));
            Map<String, DesiredNamespaceState> desired = render(views, name);
            MetadataPlan plan = MetadataPlanner.plan(name, labels, Map.of(), candidates(views, name, desired), true);
            liveLabels[i] = new HashMap<>(plan.labels());
            liveAnnotations[i] = new HashMap<>(plan.annotations());
            Map<String, NetworkPolicy> live = new HashMap<>();
            for (String profile : plan.selectedBy()) {
                for (NetworkPolicy np : desired.get(profile).networkPolicies()) {
                    live.put(np.getMetadata().getName(), storedCopy(np, i));
                }
            }
            livePolicies[i] = live;
        }
    }

    /** What a List/Watch hands back: the JSON the server stored, with server-populated metadata. */
    private static NetworkPolicy storedCopy(NetworkPolicy desired, int i) {
        NetworkPolicy copy = BenchProfiles.SERIALIZATION.unmarshal(BenchProfiles.SERIALIZATION.asJson(desired),
                NetworkPolicy.class);
        copy.getMetadata().setResourceVersion(String.valueOf(1000 + i));
        copy.getMetadata().setUid("live-" + i + "-" + desired.getMetadata().getName());
        copy.getMetadata().setGeneration(1L);
        copy.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
        return copy;
    }

    private List<ProfileView> views() {
        return profiles.stream().map(directory::view).toList();
    }

    private Map<String, DesiredNamespaceState> render(List<ProfileView> views, String name) {
        Map<String, DesiredNamespaceState> desired = new HashMap<>();
        for (ProfileView p : views) {
            if (p.valid() && !p.deleting()) {
                desired.put(p.name(), ProfileRenderer.render(p.profile(), name, facts));
            }
        }
        return desired;
    }

    private static List<MetadataCandidate> candidates(List<ProfileView> views, String name,
                                                      Map<String, DesiredNamespaceState> desired) {
        List<MetadataCandidate> candidates = new ArrayList<>(views.size());
        for (ProfileView p : views) {
            boolean renders = desired.containsKey(p.name());
            candidates.add(p.candidate(name, PROTECTED, renders ? NamespaceMetadata.labels(p.spec()) : Map.of(),
                    renders ? NamespaceMetadata.annotations(p.spec(), false) : Map.of()));
        }
        return candidates;
    }

    // ---- phases, each over all namespaces ----

    @SuppressWarnings("unchecked")
    private Map<String, DesiredNamespaceState>[] renderAll() {
        List<ProfileView> views = views();
        Map<String, DesiredNamespaceState>[] out = new Map[n];
        for (int i = 0; i < n; i++) {
            out[i] = render(views, names[i]);
        }
        return out;
    }

    private MetadataPlan[] planAll(Map<String, DesiredNamespaceState>[] desired) {
        List<ProfileView> views = views();
        MetadataPlan[] plans = new MetadataPlan[n];
        for (int i = 0; i < n; i++) {
            plans[i] = MetadataPlanner.plan(names[i], liveLabels[i], liveAnnotations[i],
                    candidates(views, names[i], desired[i]), true);
        }
        return plans;
    }

    /** Returns the number of policies that matched; every one must. */
    private long compareAll(Map<String, DesiredNamespaceState>[] desired, MetadataPlan[] plans) {
        long matched = 0;
        for (int i = 0; i < n; i++) {
            if (plans[i].changes(liveLabels[i], liveAnnotations[i])) {
                throw new AssertionError("steady state not recognised: namespace " + names[i] + " metadata would be written");
            }
            for (String profile : plans[i].selectedBy()) {
                for (NetworkPolicy np : desired[i].get(profile).networkPolicies()) {
                    if (!PolicyComparison.matches(np, livePolicies[i].get(np.getMetadata().getName()))) {
                        throw new AssertionError("steady state not recognised: " + names[i] + "/" + np.getMetadata().getName()
                                + " would be rewritten");
                    }
                    matched++;
                }
            }
        }
        return matched;
    }

    /**
     * The whole in-memory part of NamespaceReconciler.reconcile, namespace by namespace: profile
     * views, the "seen" fingerprints, cluster facts from the cached Nodes/EndpointSlice, render,
     * plan, the live-policy lookup (indexed) and the comparison.
     */
    private long reconcileAllInMemory() {
        long work = 0;
        for (int i = 0; i < n; i++) {
            String name = names[i];
            List<ProfileView> views = views();
            Map<String, String> seen = views.stream()
                    .collect(Collectors.toMap(ProfileView::name, ProfileView::fingerprint, (a, b) -> a));
            ClusterFacts f = ClusterFacts.from(slices, nodes);
            Map<String, DesiredNamespaceState> desired = new HashMap<>();
            for (ProfileView p : views) {
                if (p.valid() && !p.deleting()) {
                    desired.put(p.name(), ProfileRenderer.render(p.profile(), name, f));
                }
            }
            MetadataPlan plan = MetadataPlanner.plan(name, liveLabels[i], liveAnnotations[i], candidates(views, name, desired), true);
            Map<String, NetworkPolicy> live = new HashMap<>(livePolicies[i]);
            if (plan.changes(liveLabels[i], liveAnnotations[i])) {
                throw new AssertionError("steady state not recognised: " + name);
            }
            for (String profile : plan.selectedBy()) {
                for (NetworkPolicy np : desired.get(profile).networkPolicies()) {
                    if (!PolicyComparison.matches(np, live.get(np.getMetadata().getName()))) {
                        throw new AssertionError("steady state not recognised: " + name + "/" + np.getMetadata().getName());
                    }
                    work++;
                }
            }
            work += seen.size();
        }
        return work;
    }

    /**
     * What ClusterView.managedPoliciesIn costs today per namespace: JOSDK 5.3's
     * InformerWrapper.list(namespace, predicate) copies the whole informer cache (fabric8
     * CacheImpl.list()) and filters it by namespace, so one lookup is O(all managed policies).
     * Measured on a sample of namespaces against a cache holding every policy of all n.
     */
    private double[] lookupCosts(int sample) {
        Map<String, NetworkPolicy> cache = new ConcurrentHashMap<>();
        Map<String, List<NetworkPolicy>> byNamespace = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (NetworkPolicy np : livePolicies[i].values()) {
                cache.put(names[i] + "/" + np.getMetadata().getName(), np);
                byNamespace.computeIfAbsent(names[i], k -> new ArrayList<>()).add(np);
            }
        }
        int step = Math.max(1, n / sample);
        long scanCount = 0;
        long scanStart = System.nanoTime();
        for (int i = 0; i < n; i += step) {
            String ns = names[i];
            scanCount++;
            sink += new ArrayList<>(cache.values()).stream().filter(np -> ns.equals(np.getMetadata().getNamespace()))
                    .collect(Collectors.toMap(np -> np.getMetadata().getName(), np -> np, (a, b) -> a, HashMap::new)).size();
        }
        double scanPerNs = (System.nanoTime() - scanStart) / (double) scanCount;
        long indexStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += byNamespace.getOrDefault(names[i], List.of()).stream()
                    .collect(Collectors.toMap(np -> np.getMetadata().getName(), np -> np, (a, b) -> a, HashMap::new)).size();
        }
        double indexPerNs = (System.nanoTime() - indexStart) / (double) n;
        return new double[] {scanPerNs, indexPerNs, cache.size()};
    }

    /** ClusterFacts.from over the cached Nodes, which NamespaceReconciler computes on every reconcile. */
    private double factsCost(int nodeCount, int calls) {
        List<Node> many = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            many.add(new NodeBuilder().withNewMetadata().withName("node-" + i).endMetadata()
                    .withNewStatus().addNewAddress().withType("InternalIP")
                    .withAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)).endAddress()
                    .endStatus().build());
        }
        for (int i = 0; i < calls / 10; i++) {
            sink += ClusterFacts.from(slices, many).nodeIps().orElseThrow().size();
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sink += ClusterFacts.from(slices, many).nodeIps().orElseThrow().size();
        }
        return (System.nanoTime() - start) / (double) calls;
    }

    private record Round(long render, long plan, long compare, long full, long renderBytes, long planBytes,
                         long compareBytes, long fullBytes) {
    }

    private Round round() {
        long b0 = allocated();
        long t0 = System.nanoTime();
        Map<String, DesiredNamespaceState>[] desired = renderAll();
        long t1 = System.nanoTime();
        long b1 = allocated();
        MetadataPlan[] plans = planAll(desired);
        long t2 = System.nanoTime();
        long b2 = allocated();
        sink += compareAll(desired, plans);
        long t3 = System.nanoTime();
        long b3 = allocated();
        sink += reconcileAllInMemory();
        long t4 = System.nanoTime();
        long b4 = allocated();
        return new Round(t1 - t0, t2 - t1, t3 - t2, t4 - t3, b1 - b0, b2 - b1, b3 - b2, b4 - b3);
    }

    private static long allocated() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
                && mx.isThreadAllocatedMemorySupported()) {
            return mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }

    public static void main(String[] args) {
        run(Integer.getInteger("bench.namespaces", 10_000), Integer.getInteger("bench.warmup", 5),
                Integer.getInteger("bench.rounds", 10), Integer.getInteger("bench.scanSample", 1_000));
    }

    static void run(int n, int warmup, int rounds, int scanSample) {
        long setupStart = System.nanoTime();
        PlanningBenchmark bench = new PlanningBenchmark(n);
        long setup = System.nanoTime() - setupStart;
        long policies = Arrays.stream(bench.livePolicies).mapToLong(Map::size).sum();

        for (int i = 0; i < warmup; i++) {
            bench.round();
        }
        List<Round> measured = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            measured.add(bench.round());
        }
        double[] lookup = bench.lookupCosts(scanSample);
        double facts10 = bench.factsCost(10, 20_000);
        double facts1000 = bench.factsCost(1_000, 500);

        BenchReport report = new BenchReport("PlanningBenchmark: in-memory \"nothing changed\" re-plan");
        report.line("namespaces: %,d | profiles: %d (db-tier = examples/seed-example.yaml; baseline = every preset on;"
                + " tenants = matchExpressions, half the namespaces) | live NetworkPolicies: %,d", n,
                bench.profiles.size(), policies);
        report.line("setup %s | warm-up rounds: %d | measured rounds: %d (median, [min .. max]); single thread",
                BenchReport.secs(setup), warmup, rounds);
        report.row("phase", "total (median)", "per namespace", "min total", "max total", "alloc/ns");
        row(report, "render   (ProfileRenderer.render x3 profiles)", measured, Round::render, Round::renderBytes, n);
        row(report, "plan     (MetadataPlanner.plan)", measured, Round::plan, Round::planBytes, n);
        row(report, "compare  (PolicyComparison.matches, all policies)", measured, Round::compare, Round::compareBytes, n);
        row(report, "sum of the three phases", measured, r -> r.render() + r.plan() + r.compare(),
                r -> r.renderBytes() + r.planBytes() + r.compareBytes(), n);
        row(report, "full in-memory reconcile (as NamespaceReconciler)", measured, Round::full, Round::fullBytes, n);
        report.line("live-policy lookup per namespace, cache of %,.0f policies:", lookup[2]);
        report.row("  full-cache scan (JOSDK list(ns), before the fix)", "", BenchReport.us(lookup[0]),
                "x" + BenchReport.count(n) + " ns =", BenchReport.ms(lookup[0] * n));
        report.row("  namespace index (Cache.NAMESPACE_INDEX, used)", "", BenchReport.us(lookup[1]),
                "x" + BenchReport.count(n) + " ns =", BenchReport.ms(lookup[1] * n));
        report.line("cluster facts per reconcile (ClusterFacts.from over cached Nodes + EndpointSlice):");
        report.row("  10 nodes", "", BenchReport.us(facts10), "x" + BenchReport.count(n) + " ns =",
                BenchReport.ms(facts10 * n));
        report.row("  1,000 nodes", "", BenchReport.us(facts1000), "x" + BenchReport.count(n) + " ns =",
                BenchReport.ms(facts1000 * n));
        report.line("(checksum %d)", bench.sink);
        report.flush();
    }

    private static void row(BenchReport report, String label, List<Round> rounds,
                            java.util.function.ToLongFunction<Round> time, java.util.function.ToLongFunction<Round> bytes,
                            int n) {
        long[] t = rounds.stream().mapToLong(time).sorted().toArray();
        long[] b = rounds.stream().mapToLong(bytes).sorted().toArray();
        double median = t[t.length / 2];
        report.row(label, BenchReport.ms(median), BenchReport.us(median / n), BenchReport.ms(t[0]),
                BenchReport.ms(t[t.length - 1]), String.format(java.util.Locale.ROOT, "%.1f KiB", b[b.length / 2] / 1024.0 / n));
    }
}
