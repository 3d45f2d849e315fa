package dev.isolation.operator.bench;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.DefaultDeny;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.realapi.ShippedInstall;
import dev.isolation.operator.render.ManagedLabels;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.smallrye.config.WithDefault;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Black-box benchmark of the packaged operator against a real kube-apiserver + etcd (issue 12,
 * goals 1, 2, 4, 5 and 6; docs/benchmark.md). The jar runs as a separate process in the shipped container's
 * JVM settings ({@link OperatorJar}); every scenario gets an API server of its own ({@link RealCluster});
 * writes are counted from the server's audit log ({@link AuditTail}).
 *
 * <ul>
 *   <li>{@link #oneProfile()}: one profile (3 NetworkPolicies + 1 namespace label per namespace) over N
 *   realistic namespaces: convergence time, writes, peak RSS and RSS/heap after GC per step of
 *   converged namespaces (goal 1); then a bare fabric8 client writing the same objects with the same
 *   parallelism to a fresh server of its own (goal 2).</li>
 *   <li>{@link #manyProfiles()}: 50 profiles with overlapping selectors converge; one profile is edited and
 *   every write that follows must belong to it (goal 6).</li>
 *   <li>{@link #restart()}: the jar is killed (SIGKILL) halfway through a rollout and a fresh one
 *   finishes it, adding exactly what was missing and rewriting nothing (goal 4).</li>
 *   <li>{@link #failover()}: three jars with leader election; a graceful stop and a hard kill of the
 *   leader mid-rollout, timed to the next leader's first write; only the Lease holder writes (goal 5).</li>
 * </ul>
 *
 * Figures are printed against their goals; nothing about time or memory is asserted. The run fails
 * only when the operator is wrong (missing or wrong objects, wrong status, writes that are not its job).
 * Properties: bench.namespaces (1000,10000), bench.threads (the operator's reconcile-threads default),
 * bench.memoryStep (1000, or N/5 below 5,000), bench.memorySamples (true), bench.jfr (false), bench.jvmArgs, bench.bareClient (fresh), bench.histogram (false),
 * bench.profiles (50), bench.quietMillis (3000), bench.timeoutSeconds (3600), bench.restart.namespaces (1000),
 * bench.failover.namespaces (1000).
 */
@Tag("benchmark")
class RealApiBenchmarkIT {

    static final String PROFILE = "bench";
    static final int POLICIES = 3;
    static final long MIB = 1 << 20;

    final List<Integer> sizes = Arrays.stream(System.getProperty("bench.namespaces", "1000,10000").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    final int threads = Integer.getInteger("bench.threads", defaultReconcileThreads());
    final boolean memorySamples = Boolean.parseBoolean(System.getProperty("bench.memorySamples", "true"));
    /** Off by default: the recording's own buffers would be counted in the resident set (goal 1). */
    final boolean jfr = Boolean.getBoolean("bench.jfr");
    final boolean histogram = Boolean.getBoolean("bench.histogram");
    /** Where the baseline runs: "fresh" (a JVM of its own in the operator's settings; judged), "harness", or "both". */
    final String bareClient = System.getProperty("bench.bareClient", "fresh");
    final int profileCount = Integer.getInteger("bench.profiles", 50);
    final long quietMillis = Long.getLong("bench.quietMillis", 3_000);
    final long timeoutMillis = Long.getLong("bench.timeoutSeconds", 3_600) * 1000;

    final SoftAssertions soft = new SoftAssertions();

    /** The operator's own default (OperatorConfig.reconcileThreads), so the bare client's parallelism follows it. */
    static int defaultReconcileThreads() {
        try {
            return Integer.parseInt(OperatorConfig.class.getMethod("reconcileThreads").getAnnotation(WithDefault.class).value());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    int memoryStep(int n) {
        return Integer.getInteger("bench.memoryStep", n >= 5_000 ? 1_000 : Math.max(1, n / 5));
    }

    // ---- goals 1 and 2 ----

    @Test
    void oneProfile() throws Exception {
        BenchReport summary = new BenchReport("RealApiBenchmark: one profile, packaged jar vs real kube-apiserver (goals 1, 2)");
        summary.line("%-8s %12s %12s %12s %8s %10s %14s %12s %12s", "N", "operator", "last write", "bare client",
                "ratio", "writes/ns", "peak RSS", "heap@GC end", "RSS end");
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            OperatorRun run = operatorRun(n);
            long bare = bareClient.equals("harness") ? bareClientRun(n, run, false) : bareClientRun(n, run, true);
            if (bareClient.equals("both")) {
                long warm = bareClientRun(n, run, false);
                rows.add(String.format(Locale.ROOT, "%-8s bare client in the harness JVM (warm, 2 CPUs): %s, ratio %.2fx (not judged)",
                        String.format(Locale.ROOT, "%,d", n), BenchReport.secs(warm), run.convergedNanos / (double) warm));
            }
            double ratio = run.convergedNanos / (double) bare;
            double ratioLast = run.lastWriteNanos / (double) bare;
            rows.add(String.format(Locale.ROOT, "%-8s %12s %12s %12s %8s %10.2f %10d MiB %8d MiB %8d MiB",
                    String.format(Locale.ROOT, "%,d", n), BenchReport.secs(run.convergedNanos),
                    BenchReport.secs(run.lastWriteNanos), BenchReport.secs(bare),
                    String.format(Locale.ROOT, "%.2fx", ratio), run.writes / (double) n,
                    run.end.hwmMib(), run.end.heapAfterGc() / MIB, run.end.rssMib()));
            rows.add(String.format(Locale.ROOT, "         goal 2 (ratio <= 1.5x): %s (%.2fx to Ready, %.2fx to the last write)",
                    ratio <= 1.5 ? "MET" : "NOT MET", ratio, ratioLast));
            rows.add(n >= 10_000
                    ? String.format(Locale.ROOT, "         goal 1 (peak RSS <= 384 MiB at 10,000): %s (%d MiB)",
                            run.end.hwmMib() <= 384 ? "MET" : "NOT MET", run.end.hwmMib())
                    : String.format(Locale.ROOT, "         goal 1 (peak RSS <= 384 MiB) is judged at 10,000 namespaces;"
                            + " here %d MiB", run.end.hwmMib()));
        }
        rows.forEach(r -> summary.line("%s", r));
        summary.flush();
        soft.assertAll();
    }

    record OperatorRun(long convergedNanos, long lastWriteNanos, long writes, OperatorJar.Memory end,
                       Map<String, NetworkPolicy> policyTemplates, Map<String, String> addedLabels,
                       Map<String, String> addedAnnotations) {
    }

    private OperatorRun operatorRun(int n) throws Exception {
        BenchReport report = new BenchReport("RealApiBenchmark: operator jar, one profile, N = " + String.format(Locale.ROOT, "%,d", n));
        try (RealCluster cluster = RealCluster.start("operator-" + n)) {
            long setup = cluster.createNamespaces(n, threads);
            report.line("setup: %,d realistic namespaces created in %s (labels: bench, team, environment, cost-center,"
                    + " part-of; annotations: owner, kubectl last-applied-configuration)", n, BenchReport.secs(setup));
            AuditTail audit = cluster.audit(ShippedInstall.USER);
            Path kubeconfig = cluster.operatorKubeconfig();
            OperatorRun result;
            Instant rolloutStart;
            Instant rolloutEnd;
            try (OperatorJar op = OperatorJar.start(cluster.dir, kubeconfig, "bench-operator-0", jfr, Map.of())) {
                report.line("operator: %s", String.join(" ", op.command().subList(1, op.command().size())));
                long t0 = System.nanoTime();
                await("operator ready (/q/health/ready)", op::ready, 200);
                long ready = System.nanoTime() - t0;
                audit.awaitQuiet(quietMillis, timeoutMillis);
                soft.assertThat(audit.counts()).as("writes before any profile exists").isEmpty();
                OperatorJar.Memory idle = op.memory();
                report.line("start: ready after %s; idle with %,d namespaces and no profile: RSS %d MiB, heap after GC %d MiB,"
                        + " non-heap %d MiB", BenchReport.secs(ready), n, idle.rssMib(), idle.heapAfterGc() / MIB, idle.nonHeap() / MIB);
                audit.reset();

                // Filled by the sampler thread; read after sampler.close() has waited for it.
                List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());
                // Progress is read from the audit log the harness tails anyway: an informer of its own
                // would decode every policy the operator writes, on the same two cores.
                MemorySampler sampler = !memorySamples ? null : new MemorySampler(audit, memoryStep(n), converged -> {
                    OperatorJar.Memory m = op.memory();
                    String sample = String.format(Locale.ROOT, "  %,10d %12d %12d %14d %12d %10d", converged, m.rssMib(),
                            m.hwmMib(), m.heapAfterGc() / MIB, m.nonHeap() / MIB, m.gcMillis());
                    samples.add(sample);
                    op.nativeMemory().ifPresent(nmt -> writeQuietly(cluster.dir.resolve("nmt-" + converged + ".txt"), nmt));
                    // Also at once: a long run that is interrupted still leaves its slope behind.
                    System.out.println("memory sample (converged, RSS, peak RSS, heap@GC, non-heap MiB, jcmd ms):" + sample);
                });
                rolloutStart = Instant.now();
                CpuTime cpu0 = CpuTime.now(op.pid());
                long t1 = System.nanoTime();
                cluster.admin.resource(BenchProfiles.endToEnd(PROFILE, 8080)).create();
                await("profile Ready with " + n + "/" + n, () -> BenchProfiles.ready(cluster.admin, PROFILE, n, n * (long) POLICIES, null), 250);
                long converged = System.nanoTime() - t1;
                CpuTime cpu = CpuTime.now(op.pid()).since(cpu0);
                Map<String, Double> threadCpu = op.threadCpu();
                rolloutEnd = Instant.now();
                audit.awaitQuiet(quietMillis, timeoutMillis);
                if (sampler != null) {
                    sampler.close();
                }
                List<AuditTail.Write> writes = audit.writes();
                Instant lastWrite = audit.lastWriteAt();
                long lastWriteNanos = java.time.Duration.between(rolloutStart, lastWrite).toNanos();

                soft.assertThat(withoutTheirPolicies(cluster.admin, PROFILE, n)).as("namespaces without exactly their 3 policies").isZero();
                soft.assertThat(unlabelled(cluster.admin, "isolation")).as("namespaces without the profile's label").isZero();
                soft.assertThat(audit.count("create", "networkpolicies")).as("policy creates").isEqualTo(n * (long) POLICIES);

                OperatorJar.Memory end = op.memory();
                report.line("rollout: Ready %s after the profile was created; last operator write at %s; %,d writes"
                        + " (%.2f per namespace), %,d answered >= 400, %,d reads (lists/watches/gets)",
                        BenchReport.secs(converged), BenchReport.secs(lastWriteNanos), writes.size(),
                        writes.size() / (double) n, audit.failed(), audit.reads());
                audit.counts().forEach((k, v) -> report.line("    %-40s %,10d", k, v));
                report.line("CPU until Ready: %s", cpu.describe(converged));
                report.line("operator CPU by thread since its start (jcmd Thread.print at Ready; live threads, N = any number):");
                threadCpu.entrySet().stream().limit(10).forEach(e -> report.line("    %-50s %8.1f s", e.getKey(), e.getValue()));
                if (!samples.isEmpty()) {
                    report.line("memory per converged namespaces (heap after a forced full GC, jcmd GC.run, from jvm_memory_used_bytes;"
                            + " jcmd ms = wall time of jcmd, including its own JVM start):");
                    report.line("  %10s %12s %12s %14s %12s %10s", "converged", "RSS MiB", "peak RSS MiB", "heap@GC MiB",
                            "non-heap MiB", "jcmd ms");
                    samples.forEach(s -> report.line("%s", s));
                }
                report.line("end (converged, quiet): RSS %d MiB, peak RSS (VmHWM) %d MiB, heap after GC %d MiB, non-heap %d MiB",
                        end.rssMib(), end.hwmMib(), end.heapAfterGc() / MIB, end.nonHeap() / MIB);
                op.nativeMemory().ifPresent(nmt -> {
                    report.line("native memory tracking at the end (committed KiB per area; per sample: %s/nmt-<converged>.txt):",
                            cluster.dir);
                    nmt.lines().filter(l -> l.matches("^-\\s+.*\\(reserved=.*") || l.startsWith("Total:"))
                            .forEach(l -> report.line("    %s", l.replaceAll("\\s+", " ").trim()));
                });
                if (histogram) {
                    String classes = op.jcmd("GC.class_histogram");
                    writeQuietly(cluster.dir.resolve("class-histogram.txt"), classes);
                    report.line("live classes at the end (top 20 of %s/class-histogram.txt):", cluster.dir);
                    classes.lines().skip(3).limit(20).forEach(l -> report.line("  %s", l.trim()));
                }
                report.line("heap after GC per namespace: %.1f KiB (end minus idle, over %,d namespaces x %d policies)",
                        (end.heapAfterGc() - idle.heapAfterGc()) / 1024.0 / n, n, POLICIES);

                audit.reset();
                audit.awaitQuiet(quietMillis, timeoutMillis);
                report.line("steady state: %,d writes in a %d ms quiet window after convergence", audit.total(), quietMillis);
                soft.assertThat(audit.counts()).as("steady-state writes").isEmpty();

                String sample = RealCluster.namespaceName(0);
                Map<String, NetworkPolicy> templates = new LinkedHashMap<>();
                for (NetworkPolicy np : cluster.admin.network().v1().networkPolicies().inNamespace(sample)
                        .withLabel(ManagedLabels.PROFILE, PROFILE).list().getItems()) {
                    templates.put(np.getMetadata().getName(), template(np));
                }
                Namespace live = cluster.admin.namespaces().withName(sample).get();
                Namespace original = RealCluster.realisticNamespace(0);
                result = new OperatorRun(converged, lastWriteNanos, writes.size(), end, templates,
                        added(original.getMetadata().getLabels(), live.getMetadata().getLabels()),
                        added(original.getMetadata().getAnnotations(), live.getMetadata().getAnnotations()));
            }
            if (jfr) {
                JarProfile.summarise(cluster.dir.resolve("operator.jfr"), rolloutStart, rolloutEnd, report);
            }
            report.flush();
            return result;
        }
    }

    private static void writeQuietly(Path file, String text) {
        try {
            java.nio.file.Files.writeString(file, text);
        } catch (java.io.IOException e) {
            System.out.println("could not write " + file + ": " + e);
        }
    }

    /** The keys the operator added to a namespace (the bare client adds the same). */
    private static Map<String, String> added(Map<String, String> before, Map<String, String> after) {
        Map<String, String> added = new LinkedHashMap<>(after);
        before.keySet().forEach(added::remove);
        added.remove("kubernetes.io/metadata.name");
        return added;
    }

    /** What a client sends to create the same policy: name, labels, annotations, owner references, spec. */
    private static NetworkPolicy template(NetworkPolicy live) {
        ObjectMeta meta = live.getMetadata();
        return new NetworkPolicyBuilder().withMetadata(new ObjectMetaBuilder().withName(meta.getName())
                        .withLabels(meta.getLabels()).withAnnotations(meta.getAnnotations())
                        .withOwnerReferences(meta.getOwnerReferences()).build())
                .withSpec(live.getSpec()).build();
    }

    /**
     * The baseline: a bare fabric8 client ({@link BareClient}), authenticated as the same
     * ServiceAccount, writes what the operator wrote (3 NetworkPolicies and one guarded JSON patch
     * of the namespace's labels and annotations per namespace) with the operator's parallelism, to a
     * fresh server of its own holding the same namespaces. {@code fresh}: in a JVM of its own with
     * the operator's container settings (cold, one CPU's ergonomics, like the operator); otherwise
     * in this JVM, whose code the setup has already warmed up. Returns the wall time of all writes.
     */
    private long bareClientRun(int n, OperatorRun run, boolean fresh) throws Exception {
        String mode = fresh ? "fresh JVM in the operator's container settings" : "in the harness JVM (warm, 2 CPUs)";
        BenchReport report = new BenchReport("RealApiBenchmark: bare fabric8 client, same objects, N = "
                + String.format(Locale.ROOT, "%,d", n) + ", " + threads + " threads, " + mode);
        try (RealCluster cluster = RealCluster.start((fresh ? "bare-client-" : "bare-client-warm-") + n)) {
            Namespace[] namespaces = new Namespace[n];
            long setup = cluster.createNamespaces(n, threads);
            for (Namespace ns : cluster.admin.namespaces().withLabel(BenchProfiles.BENCH_LABEL).list().getItems()) {
                int i = Integer.parseInt(ns.getMetadata().getName().substring("tenant-".length()));
                namespaces[i] = ns;
            }
            report.line("setup: %,d namespaces in %s", n, BenchReport.secs(setup));
            BareClient.Plan plan = new BareClient.Plan(List.of(namespaces), run.addedLabels(), run.addedAnnotations(),
                    List.copyOf(run.policyTemplates().values()));
            AuditTail audit = cluster.audit(ShippedInstall.USER);
            audit.reset();
            long elapsed;
            CpuTime cpu;
            if (fresh) {
                Path planFile = cluster.dir.resolve("plan.json");
                java.nio.file.Files.writeString(planFile, BenchProfiles.SERIALIZATION.asJson(plan));
                List<String> cmd = OperatorJar.containerJava(cluster.dir);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BareClient.class.getName(),
                        cluster.operatorKubeconfig().toString(), planFile.toString(), String.valueOf(threads)));
                report.line("bare client: %s", String.join(" ", cmd.subList(1, cmd.size() - 6)));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(cluster.dir.resolve("bare-client.log").toFile());
                pb.environment().putAll(OperatorJar.dockerfileEnvironment());
                pb.environment().remove("JAVA_TOOL_OPTIONS");
                CpuTime cpu0 = CpuTime.now(-1);
                Process process = pb.start();
                String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
                soft.assertThat(process.waitFor()).as("bare client exit code (see %s)", cluster.dir.resolve("bare-client.log")).isZero();
                CpuTime servers = CpuTime.now(-1).since(cpu0);
                String[] last = out.substring(out.lastIndexOf('\n') + 1).split(" ");
                elapsed = Long.parseLong(last[0]);
                Map<String, java.time.Duration> used = new LinkedHashMap<>(servers.byProcess());
                used.remove(CpuTime.HARNESS);
                used.put(CpuTime.BARE_CLIENT, java.time.Duration.ofNanos(Long.parseLong(last[1])));
                cpu = new CpuTime(used);
            } else {
                try (KubernetesClient client = BareClient.client(Config.fromKubeconfig(java.nio.file.Files.readString(cluster.operatorKubeconfig())))) {
                    CpuTime cpu0 = CpuTime.now(-1);
                    elapsed = BareClient.write(client, plan, threads);
                    cpu = CpuTime.now(-1).since(cpu0);
                }
            }
            audit.poll();
            report.line("wrote %,d objects in %s (%,d writes: %s)", n * (long) (POLICIES + 1), BenchReport.secs(elapsed),
                    audit.total(), audit.counts());
            report.line("CPU while writing%s: %s", fresh ? " (the bare client's process: from its start)" : " (the harness is the bare client)",
                    cpu.describe(elapsed));
            report.flush();
            return elapsed;
        }
    }

    // ---- goal 6 ----

    @Test
    void manyProfiles() throws Exception {
        for (int n : sizes) {
            manyProfiles(n);
        }
        soft.assertAll();
    }

    /**
     * Profile i selects the namespaces of teams t(i) and t(i+1): every namespace is selected by two
     * profiles, each giving it 3 policies (default-deny ingress, allow-same-namespace, which is on by
     * default, and a verbatim policy "web" on the profile's own port) and a label of its own.
     */
    static IsolationProfile overlapping(int i, int port) {
        IsolationProfileSpec spec = new IsolationProfileSpec();
        spec.setNamespaceSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("team").withOperator("In")
                .withValues("t" + i % RealCluster.TEAMS, "t" + (i + 1) % RealCluster.TEAMS).endMatchExpression().build());
        spec.setDefaultDeny(new DefaultDeny(true, false));
        spec.setNamespaceLabels(Map.of("isolation-" + profileName(i), "on"));
        spec.setPolicies(List.of(new PolicyTemplate("web", BenchProfiles.webPolicy(port))));
        IsolationProfile profile = new IsolationProfile();
        profile.setMetadata(new ObjectMetaBuilder().withName(profileName(i)).build());
        profile.setSpec(spec);
        return profile;
    }

    static String profileName(int i) {
        return String.format(Locale.ROOT, "p%02d", i);
    }

    private void manyProfiles(int n) throws Exception {
        BenchReport report = new BenchReport("RealApiBenchmark: " + profileCount + " overlapping profiles, N = "
                + String.format(Locale.ROOT, "%,d", n) + " (goal 6)");
        try (RealCluster cluster = RealCluster.start("many-profiles-" + n)) {
            cluster.createNamespaces(n, threads);
            AuditTail audit = cluster.audit(ShippedInstall.USER);
            try (OperatorJar op = OperatorJar.start(cluster.dir, cluster.operatorKubeconfig(), "bench-operator-0", false, Map.of())) {
                await("operator ready", op::ready, 200);
                audit.awaitQuiet(quietMillis, timeoutMillis);
                audit.reset();
                int[] selected = new int[profileCount];
                for (int i = 0; i < n; i++) {
                    int team = i % RealCluster.TEAMS;
                    for (int p = 0; p < profileCount; p++) {
                        if (p % RealCluster.TEAMS == team || (p + 1) % RealCluster.TEAMS == team) {
                            selected[p]++;
                        }
                    }
                }
                long t0 = System.nanoTime();
                for (int p = 0; p < profileCount; p++) {
                    cluster.admin.resource(overlapping(p, 8000 + p)).create();
                }
                await("all " + profileCount + " profiles Ready", () -> {
                    for (int p = 0; p < profileCount; p++) {
                        if (!BenchProfiles.ready(cluster.admin, profileName(p), selected[p], selected[p] * (long) POLICIES, null)) {
                            return false;
                        }
                    }
                    return true;
                }, 500);
                long converged = System.nanoTime() - t0;
                audit.awaitQuiet(quietMillis, timeoutMillis);
                long policies = Arrays.stream(selected).asLongStream().sum() * POLICIES;
                report.line("converge: %d profiles (each selecting 2 of %d teams), %,d policies: all Ready after %s;"
                        + " %,d writes (%.2f per namespace), %,d answered >= 400", profileCount, RealCluster.TEAMS, policies,
                        BenchReport.secs(converged), audit.total(), audit.total() / (double) n, audit.failed());
                audit.counts().forEach((k, v) -> report.line("    %-40s %,10d", k, v));
                OperatorJar.Memory memory = op.memory();
                report.line("operator after converging: peak RSS %d MiB, heap after GC %d MiB, non-heap %d MiB (limit %s)",
                        memory.hwmMib(), memory.heapAfterGc() / MIB, memory.nonHeap() / MIB, OperatorJar.MEMORY_LIMIT);
                soft.assertThat(audit.count("create", "networkpolicies")).as("policy creates, " + profileCount + " profiles")
                        .isEqualTo(policies);
                long total = cluster.admin.network().v1().networkPolicies().inAnyNamespace()
                        .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list().getItems().size();
                soft.assertThat(total).as("managed policies in the cluster").isEqualTo(policies);

                // Edit one profile: only its objects may be written.
                int edited = 7 % profileCount;
                String name = profileName(edited);
                audit.reset();
                IsolationProfile current = cluster.admin.resources(IsolationProfile.class).withName(name).get();
                long t1 = System.nanoTime();
                current.getSpec().setPolicies(List.of(new PolicyTemplate("web", BenchProfiles.webPolicy(9000 + edited))));
                IsolationProfile updated = cluster.admin.resource(current).update();
                long generation = updated.getMetadata().getGeneration();
                await(name + " Ready for generation " + generation,
                        () -> BenchProfiles.ready(cluster.admin, name, selected[edited], selected[edited] * (long) POLICIES, generation), 250);
                long editConverged = System.nanoTime() - t1;
                audit.awaitQuiet(quietMillis, timeoutMillis);
                List<AuditTail.Write> foreign = audit.writes(w -> !belongsTo(w, name));
                long webUpdates = audit.writes(w -> w.resource().equals("networkpolicies") && w.name().equals(name + "-web")
                        && !w.verb().equals("delete")).size();
                report.line("edit %s (web port 8%03d -> 9%03d): Ready for generation %d after %s; %,d writes,"
                        + " %,d of them to %s's %,d web policies, %,d to anything else", name, edited, edited, generation,
                        BenchReport.secs(editConverged), audit.total(), webUpdates, name, selected[edited], foreign.size());
                audit.counts().forEach((k, v) -> report.line("    %-40s %,10d", k, v));
                foreign.stream().limit(10).forEach(w -> report.line("    not %s's: %s", name, w));
                report.line("goal 6 (converge; an edit touches only that profile's objects): %s",
                        foreign.isEmpty() && webUpdates == selected[edited] ? "MET" : "NOT MET");
                soft.assertThat(foreign).as("writes after editing " + name + " to objects not its own").isEmpty();
                soft.assertThat(webUpdates).as(name + "-web updates").isEqualTo(selected[edited]);
                long moved = cluster.admin.network().v1().networkPolicies().inAnyNamespace()
                        .withLabel(ManagedLabels.PROFILE, name).list().getItems().stream()
                        .filter(np -> np.getMetadata().getName().equals(name + "-web"))
                        .filter(np -> np.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal() == 9000 + edited)
                        .count();
                soft.assertThat(moved).as(name + "-web policies on the new port").isEqualTo(selected[edited]);
            }
        } finally {
            report.flush();
        }
    }

    /**
     * A write that is the edited profile's own: the profile, its status, its policies, and an Event
     * about it (named {@code <profile>.<suffix>} by the Kubernetes convention for the involved object).
     */
    private static boolean belongsTo(AuditTail.Write w, String profile) {
        if (w.resource().startsWith("isolationprofiles")) {
            return w.name().equals(profile);
        }
        if (w.resource().equals("events")) {
            return w.name().startsWith(profile + ".");
        }
        return w.resource().equals("networkpolicies") && w.name().startsWith(profile + "-");
    }

    // ---- goal 4 ----

    /**
     * Goal 4: the jar is killed with SIGKILL once half of the rollout's policies exist, then a fresh
     * jar (another pod name, another directory) takes over. What the first one left behind is read
     * once its last accepted requests are through (the audit log is quiet); the second one must add
     * exactly what was missing and write nothing that was already there.
     */
    @Test
    void restart() throws Exception {
        int n = Integer.getInteger("bench.restart.namespaces", 1000);
        long total = n * (long) POLICIES;
        String first = "bench-operator-a";
        String second = "bench-operator-b";
        BenchReport report = new BenchReport("RealApiBenchmark: restart mid-rollout (kill -9), N = "
                + String.format(Locale.ROOT, "%,d", n) + " (goal 4)");
        try (RealCluster cluster = RealCluster.start("restart-" + n)) {
            cluster.createNamespaces(n, threads);
            AuditTail audit = cluster.audit(ShippedInstall.USER);
            Path kubeconfig = cluster.operatorKubeconfig();
            long rolloutStart;
            long killedAfter;
            try (OperatorJar a = OperatorJar.start(cluster.dir.resolve(first), kubeconfig, first, false, userAgent(first))) {
                await("operator ready", a::ready, 200);
                audit.awaitQuiet(quietMillis, timeoutMillis);
                audit.reset();
                rolloutStart = System.nanoTime();
                cluster.admin.resource(BenchProfiles.endToEnd(PROFILE, 8080)).create();
                await("half of the " + total + " policies created", () -> {
                    audit.poll();
                    return audit.count("create", "networkpolicies") >= total / 2;
                }, 50);
                a.kill();
                killedAfter = System.nanoTime() - rolloutStart;
            }
            // Requests the server had accepted before the kill may still complete: wait until they have.
            audit.awaitQuiet(quietMillis, timeoutMillis);
            long createdByA = audit.count("create", "networkpolicies");
            Map<String, String> uidsAtKill = policyUids(cluster.admin, PROFILE);
            Set<String> labelledAtKill = cluster.admin.namespaces().withLabel("isolation", "on").list().getItems().stream()
                    .map(ns -> ns.getMetadata().getName()).collect(Collectors.toSet());
            soft.assertThat((long) uidsAtKill.size()).as("policies at the kill (the kill came mid-rollout)").isBetween(1L, total - 1);
            soft.assertThat((long) uidsAtKill.size()).as("policies at the kill = A's creates").isEqualTo(createdByA);
            audit.reset();

            long readyAfter;
            long convergedAfter;
            try (OperatorJar b = OperatorJar.start(cluster.dir.resolve(second), kubeconfig, second, false, userAgent(second))) {
                long t0 = System.nanoTime();
                await("restarted operator ready", b::ready, 100);
                readyAfter = System.nanoTime() - t0;
                await("profile Ready with " + n + "/" + n, () -> BenchProfiles.ready(cluster.admin, PROFILE, n, total, null), 250);
                convergedAfter = System.nanoTime() - t0;
                audit.awaitQuiet(quietMillis, timeoutMillis);
                List<AuditTail.Write> writes = audit.writes();
                audit.reset();
                audit.awaitQuiet(quietMillis, timeoutMillis);
                long steady = audit.total();

                Map<String, String> uids = policyUids(cluster.admin, PROFILE);
                soft.assertThat(withoutTheirPolicies(cluster.admin, PROFILE, n)).as("namespaces without exactly their 3 policies").isZero();
                soft.assertThat(unlabelled(cluster.admin, "isolation")).as("namespaces without the profile's label").isZero();
                long lost = uidsAtKill.entrySet().stream().filter(e -> !e.getValue().equals(uids.get(e.getKey()))).count();
                soft.assertThat(lost).as("policies present at the kill that were replaced or lost (uid changed)").isZero();
                Set<String> missingAtKill = new java.util.HashSet<>(uids.keySet());
                missingAtKill.removeAll(uidsAtKill.keySet());
                List<String> creates = writes.stream().filter(w -> w.verb().equals("create") && w.resource().equals("networkpolicies"))
                        .map(AuditTail.Write::object).toList();
                soft.assertThat(creates).as("B's policy creates: exactly what was missing at the kill, each once")
                        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(missingAtKill);
                List<AuditTail.Write> failed = writes.stream().filter(w -> w.code() >= 400).toList();
                soft.assertThat(failed).as("B's writes answered >= 400 (409: a create of what existed)").isEmpty();
                List<AuditTail.Write> rewrites = writes.stream().filter(w -> !w.verb().equals("create")
                        && (w.resource().equals("networkpolicies") && uidsAtKill.containsKey(w.object())
                        || w.resource().equals("namespaces") && labelledAtKill.contains(w.name()))).toList();
                soft.assertThat(rewrites).as("B's writes to objects already correct at the kill").isEmpty();
                soft.assertThat(writes).as("writes by anything but B").filteredOn(w -> !w.userAgent().equals(second)).isEmpty();
                soft.assertThat(writes.stream().filter(w -> w.verb().startsWith("delete")).toList()).as("B's deletes").isEmpty();
                soft.assertThat(steady).as("steady-state writes").isZero();

                report.line("killed (SIGKILL) %s after the profile was created, after %,d of %,d policy creates; %,d policies and"
                        + " %,d of %,d namespace labels in place once its accepted requests were through",
                        BenchReport.secs(killedAfter), createdByA, total, uidsAtKill.size(), labelledAtKill.size(), n);
                report.line("restarted: ready after %s; Ready %,d/%,d after %s; %,d writes, %,d answered >= 400:",
                        BenchReport.secs(readyAfter), n, n, BenchReport.secs(convergedAfter), writes.size(), failed.size());
                byKey(writes).forEach((k, v) -> report.line("    %-40s %,10d", k, v));
                report.line("policy creates: %,d, policies missing at the kill: %,d; policies present at the kill kept their uid: %,d of %,d",
                        creates.size(), missingAtKill.size(), uidsAtKill.size() - lost, uidsAtKill.size());
                report.line("steady state: %,d writes in a %d ms quiet window", steady, quietMillis);
                boolean met = lost == 0 && rewrites.isEmpty() && failed.isEmpty() && steady == 0
                        && creates.size() == missingAtKill.size() && Set.copyOf(creates).equals(missingAtKill)
                        && withoutTheirPolicies(cluster.admin, PROFILE, n) == 0;
                report.line("goal 4 (converges, no duplicate or lost object, no rewrite of what was correct):"
                        + " rewrites of correct objects: %d -> %s", rewrites.size(), met ? "MET" : "NOT MET");
                rewrites.stream().limit(10).forEach(w -> report.line("    rewrite: %s", w));
            }
        } finally {
            report.flush();
        }
        soft.assertAll();
    }

    /** The jar's requests carry its pod name as User-Agent: the audit log tells two jars of one ServiceAccount apart. */
    private static Map<String, String> userAgent(String podName) {
        return Map.of(Config.KUBERNETES_USER_AGENT, podName);
    }

    /** namespace/name → uid of {@code profile}'s policies. */
    private static Map<String, String> policyUids(KubernetesClient admin, String profile) {
        return admin.network().v1().networkPolicies().inAnyNamespace().withLabel(ManagedLabels.PROFILE, profile)
                .list().getItems().stream().collect(Collectors.toMap(
                        np -> np.getMetadata().getNamespace() + "/" + np.getMetadata().getName(), np -> np.getMetadata().getUid()));
    }

    /** "verb resource" → count, sorted. */
    private static Map<String, Long> byKey(List<AuditTail.Write> writes) {
        return writes.stream().collect(Collectors.groupingBy(AuditTail.Write::key, java.util.TreeMap::new, Collectors.counting()));
    }

    // ---- goal 5 ----

    static final String LEASE = "isolation-operator-leader";

    /**
     * Goal 5: three jars with leader election, each with its pod name as identity and User-Agent.
     * A leads and B stands by; profile "first" rolls out and A is stopped (SIGTERM) at half of it:
     * the graceful hand-over is timed from the stop to B's first write. C joins as standby; profile
     * "second" (its own policies and label over the same namespaces) rolls out and B is killed
     * (SIGKILL) at half of it: the hard hand-over is timed from the kill to C's first write. The
     * audit log (Lease renewals left out) must show writes only by the Lease holder of the time.
     */
    @Test
    void failover() throws Exception {
        int n = Integer.getInteger("bench.failover.namespaces", 1000);
        long total = n * (long) POLICIES;
        Duration leaseDuration = LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE;
        String a = "bench-operator-a";
        String b = "bench-operator-b";
        String c = "bench-operator-c";
        BenchReport report = new BenchReport("RealApiBenchmark: failover with leader election, N = "
                + String.format(Locale.ROOT, "%,d", n) + " per rollout (goal 5)");
        try (RealCluster cluster = RealCluster.start("failover-" + n)) {
            cluster.createNamespaces(n, threads);
            // Lease renewals are the election itself; a *review "create" (a replica's RBAC self-check
            // at start, standbys included) stores nothing: neither is a write of cluster state.
            AuditTail audit = cluster.audit(ShippedInstall.USER)
                    .ignoring(w -> w.resource().equals("leases") || w.resource().endsWith("reviews"));
            Path kubeconfig = cluster.operatorKubeconfig();
            List<OperatorJar> jars = new ArrayList<>();
            Instant stopAsked;
            Instant stopped;
            Instant bLeads;
            Instant killed;
            Instant cLeads;
            long firstConverged;
            long secondConverged;
            try {
                OperatorJar jarA = replica(cluster, kubeconfig, a, jars);
                await(a + " holds the Lease", () -> a.equals(leaseHolder(cluster.admin)), 100);
                OperatorJar jarB = replica(cluster, kubeconfig, b, jars);
                audit.awaitQuiet(quietMillis, timeoutMillis);
                audit.reset();

                // Graceful hand-over in the middle of a rollout.
                long t0 = System.nanoTime();
                cluster.admin.resource(BenchProfiles.endToEnd("first", 8080)).create();
                await("half of first's policies created", () -> createdPolicies(audit, "first") >= total / 2, 50);
                stopAsked = Instant.now();
                jarA.close();
                stopped = Instant.now();
                await(b + " holds the Lease", () -> b.equals(leaseHolder(cluster.admin)), 50);
                bLeads = Instant.now();
                await("first Ready with " + n + "/" + n, () -> BenchProfiles.ready(cluster.admin, "first", n, total, null), 250);
                firstConverged = System.nanoTime() - t0;

                // Hard kill of the new leader in the middle of the next rollout.
                replica(cluster, kubeconfig, c, jars);
                audit.awaitQuiet(quietMillis, timeoutMillis);
                IsolationProfile second = BenchProfiles.endToEnd("second", 8081);
                second.getSpec().setNamespaceLabels(Map.of("isolation-second", "on"));
                long t1 = System.nanoTime();
                cluster.admin.resource(second).create();
                await("half of second's policies created", () -> createdPolicies(audit, "second") >= total / 2, 50);
                killed = Instant.now();
                jarB.kill();
                await(c + " holds the Lease", () -> c.equals(leaseHolder(cluster.admin)), 50);
                cLeads = Instant.now();
                await("second Ready with " + n + "/" + n, () -> BenchProfiles.ready(cluster.admin, "second", n, total, null), 250);
                secondConverged = System.nanoTime() - t1;
                audit.awaitQuiet(quietMillis, timeoutMillis);
            } finally {
                jars.forEach(OperatorJar::close);
            }

            List<AuditTail.Write> writes = audit.writes();
            Map<String, List<AuditTail.Write>> byReplica = writes.stream().collect(Collectors.groupingBy(AuditTail.Write::userAgent));
            List<AuditTail.Write> aWrites = byReplica.getOrDefault(a, List.of());
            List<AuditTail.Write> bWrites = byReplica.getOrDefault(b, List.of());
            List<AuditTail.Write> cWrites = byReplica.getOrDefault(c, List.of());
            soft.assertThat(byReplica.keySet()).as("User-Agents of the writes (each jar's pod name)").containsOnly(a, b, c);
            soft.assertThat(List.of(aWrites.size(), bWrites.size(), cWrites.size())).as("writes by A, B, C").doesNotContain(0);
            if (aWrites.isEmpty() || bWrites.isEmpty() || cWrites.isEmpty()) {
                report.line("writes by replica: A %d, B %d, C %d; by User-Agent: %s", aWrites.size(), bWrites.size(), cWrites.size(),
                        byReplica.keySet());
                report.flush();
                soft.assertAll();
                return;
            }
            // Only the Lease holder of the time writes: each leader's writes lie between taking the
            // Lease and its end, and the old leader's last write is answered before the new one's first arrives.
            soft.assertThat(aWrites).as("A's writes received after it stopped").filteredOn(w -> !w.received().isBefore(stopped)).isEmpty();
            soft.assertThat(bWrites).as("B's writes received before A was asked to stop").filteredOn(w -> !w.received().isAfter(stopAsked)).isEmpty();
            soft.assertThat(cWrites).as("C's writes received before B was killed").filteredOn(w -> !w.received().isAfter(killed)).isEmpty();
            Instant aLast = lastAnswered(aWrites);
            Instant bFirst = firstReceived(bWrites);
            Instant bLast = lastAnswered(bWrites);
            Instant cFirst = firstReceived(cWrites);
            soft.assertThat(aLast).as("graceful hand-over: A's last write answered before B's first was received").isBefore(bFirst);
            soft.assertThat(bLast).as("hard kill: B's last write answered before C's first was received").isBefore(cFirst);
            List<String> created = writes.stream().filter(w -> w.verb().equals("create") && w.resource().equals("networkpolicies")
                    && w.code() < 400).map(AuditTail.Write::object).toList();
            long twice = created.size() - created.stream().distinct().count();
            soft.assertThat(twice).as("policies created twice").isZero();
            long failed = writes.stream().filter(w -> w.code() >= 400).count();
            for (String profile : List.of("first", "second")) {
                soft.assertThat(withoutTheirPolicies(cluster.admin, profile, n)).as("namespaces without exactly %s's 3 policies", profile).isZero();
            }
            soft.assertThat(unlabelled(cluster.admin, "isolation")).as("namespaces without first's label").isZero();
            soft.assertThat(unlabelled(cluster.admin, "isolation-second")).as("namespaces without second's label").isZero();
            soft.assertThat(created).as("policy creates").hasSize((int) (2 * total));

            Duration graceful = Duration.between(stopAsked, bFirst);
            Duration hard = Duration.between(killed, cFirst);
            Duration hardGoal = leaseDuration.plusSeconds(5);
            report.line("graceful: A stopped (SIGTERM) after %,d of %,d of first's policy creates; it exited after %s;"
                    + " B held the Lease after %s, B's first write after %s", aWrites.stream()
                    .filter(w -> w.verb().equals("create") && w.resource().equals("networkpolicies")).count(), total, secs(Duration.between(stopAsked, stopped)), secs(Duration.between(stopAsked, bLeads)), secs(graceful));
            report.line("    goal 5 (graceful hand-over <= 5 s): %s (%s from the stop to B's first write)",
                    graceful.compareTo(Duration.ofSeconds(5)) <= 0 ? "MET" : "NOT MET", secs(graceful));
            report.line("hard kill: B killed (SIGKILL) mid-rollout of second; C held the Lease after %s, C's first write after %s",
                    secs(Duration.between(killed, cLeads)), secs(hard));
            report.line("    goal 5 (hard kill <= lease duration %s + 5 s = %s): %s (%s from the kill to C's first write)",
                    secs(leaseDuration), secs(hardGoal), hard.compareTo(hardGoal) <= 0 ? "MET" : "NOT MET", secs(hard));
            report.line("rollouts: first Ready %,d/%,d after %s, second after %s (each from its profile's creation)",
                    n, n, BenchReport.secs(firstConverged), BenchReport.secs(secondConverged));
            report.line("writes (Lease renewals aside): A %,d, B %,d, C %,d; %,d answered >= 400; policies created twice: %d",
                    aWrites.size(), bWrites.size(), cWrites.size(), failed, twice);
            byKey(writes).forEach((k, v) -> report.line("    %-40s %,10d", k, v));
            report.line("overlap: A's last write answered %s before B's first was received; B's last answered %s before C's first",
                    secs(Duration.between(aLast, bFirst)), secs(Duration.between(bLast, cFirst)));
            report.line("    goal 5 (only the leader writes, no double writes during hand-over): %s",
                    aLast.isBefore(bFirst) && bLast.isBefore(cFirst) && twice == 0 ? "MET" : "NOT MET");
        } finally {
            report.flush();
        }
        soft.assertAll();
    }

    /** A jar with leader election on; returns once it is ready (informers synced, leader or standby). */
    private OperatorJar replica(RealCluster cluster, Path kubeconfig, String podName, List<OperatorJar> jars)
            throws InterruptedException {
        Map<String, String> properties = new HashMap<>(userAgent(podName));
        properties.put("isolation.leader-election.enabled", "true");
        OperatorJar jar = OperatorJar.start(cluster.dir.resolve(podName), kubeconfig, podName, false, properties);
        jars.add(jar);
        await(podName + " ready", jar::ready, 200);
        return jar;
    }

    private static String leaseHolder(KubernetesClient admin) {
        Lease lease = admin.leases().inNamespace(ShippedInstall.NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** Policies of {@code profile} created so far, by any replica (read from the audit log). */
    private static long createdPolicies(AuditTail audit, String profile) {
        audit.poll();
        return audit.writes(w -> w.verb().equals("create") && w.resource().equals("networkpolicies") && w.code() < 400
                && w.name().startsWith(profile + "-")).size();
    }

    private static Instant lastAnswered(List<AuditTail.Write> writes) {
        return writes.stream().map(AuditTail.Write::at).max(Instant::compareTo).orElseThrow();
    }

    private static Instant firstReceived(List<AuditTail.Write> writes) {
        return writes.stream().map(AuditTail.Write::received).min(Instant::compareTo).orElseThrow();
    }

    private static String secs(Duration d) {
        return BenchReport.secs(d.toNanos());
    }

    // ---- helpers ----

    /** How many of the namespaces 0..n-1 do not hold exactly {@code profile}'s 3 policies. */
    private static long withoutTheirPolicies(KubernetesClient admin, String profile, int n) {
        Map<String, Set<String>> byNamespace = managedPolicies(admin, profile);
        Set<String> expected = Set.of(profile + "-default-deny", profile + "-allow-same-namespace", profile + "-web");
        return java.util.stream.IntStream.range(0, n).mapToObj(RealCluster::namespaceName)
                .filter(ns -> !expected.equals(byNamespace.getOrDefault(ns, Set.of()))).count();
    }

    /** Benchmark namespaces without the label {@code key}=on (what the end-to-end profiles set). */
    private static long unlabelled(KubernetesClient admin, String key) {
        return admin.namespaces().withLabel(BenchProfiles.BENCH_LABEL).list().getItems().stream()
                .filter(ns -> !"on".equals(ns.getMetadata().getLabels().get(key))).count();
    }

    /** Counts namespaces whose managed policies are all there, calling {@code onStep} every {@code step} of them. */
    /**
     * Calls {@code onStep} with the number of namespaces converged so far (their policies created,
     * counted from the audit log) each time another {@code step} of them is done.
     */
    private static final class MemorySampler implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private int next;

        MemorySampler(AuditTail audit, int step, java.util.function.IntConsumer onStep) {
            next = step;
            timer.scheduleWithFixedDelay(() -> {
                try {
                    audit.poll();
                    int converged = (int) (audit.count("create", "networkpolicies") / POLICIES);
                    if (converged >= next) {
                        onStep.accept(converged);
                        next = (converged / step + 1) * step;
                    }
                } catch (RuntimeException e) {
                    // A failed sample must not end the sampling (a scheduled task that throws is never run again).
                    System.out.println("memory sample failed: " + e);
                }
            }, 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    private static Map<String, Set<String>> managedPolicies(KubernetesClient admin, String profile) {
        return admin.network().v1().networkPolicies().inAnyNamespace().withLabel(ManagedLabels.PROFILE, profile)
                .list().getItems().stream()
                .collect(Collectors.groupingBy(np -> np.getMetadata().getNamespace(),
                        Collectors.mapping(np -> np.getMetadata().getName(), Collectors.toSet())));
    }

    /** Polls {@code condition} every {@code pollMillis} until true; fails after bench.timeoutSeconds. */
    private void await(String what, BooleanSupplier condition, long pollMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what);
            }
            Thread.sleep(pollMillis); // the polling interval of a condition re-read from the API server
        }
    }
}
