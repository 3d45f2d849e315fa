package dev.isolation.operator.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time used by each process of a benchmark run: the API server, etcd, the operator jar and this
 * JVM (the harness, and in the baseline the bare client). Two cores are shared by all of them, so a
 * run's wall time is set as much by what the others burn as by the operator's own work; the
 * difference of two snapshots says where a run's CPU went.
 */
record CpuTime(Map<String, Duration> byProcess) {

    static final String API_SERVER = "kube-apiserver";
    static final String ETCD = "etcd";
    static final String OPERATOR = "operator";
    static final String HARNESS = "harness";
    static final String BARE_CLIENT = "bare client";

    /** Now; {@code operatorPid} is the operator jar's process, or -1 when none runs. */
    static CpuTime now(long operatorPid) {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        ProcessHandle.current().descendants().forEach(p -> {
            String role = p.pid() == operatorPid ? OPERATOR
                    : p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
            if (role.equals(OPERATOR) || role.equals(API_SERVER) || role.equals(ETCD)) {
                cpu.merge(role, p.info().totalCpuDuration().orElse(Duration.ZERO), Duration::plus);
            }
        });
        cpu.put(HARNESS, ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
        return new CpuTime(cpu);
    }

    /** What each process used since {@code before}. */
    CpuTime since(CpuTime before) {
        Map<String, Duration> used = new LinkedHashMap<>();
        byProcess.forEach((role, d) -> used.put(role, d.minus(before.byProcess.getOrDefault(role, Duration.ZERO))));
        return new CpuTime(used);
    }

    /** "kube-apiserver 41.2 s, etcd 9.8 s, operator 30.1 s, harness 2.0 s; 1.62 cores busy over 50.3 s". */
    String describe(long wallNanos) {
        StringBuilder sb = new StringBuilder();
        long total = 0;
        for (String role : new String[] {API_SERVER, ETCD, OPERATOR, BARE_CLIENT, HARNESS}) {
            Duration d = byProcess.get(role);
            if (d != null) {
                sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f s", role, d.toMillis() / 1000.0));
                total += d.toNanos();
            }
        }
        return sb.append(String.format(Locale.ROOT, "; %.2f cores busy on average over %.1f s", total / (double) wallNanos,
                wallNanos / 1e9)).toString();
    }
}
