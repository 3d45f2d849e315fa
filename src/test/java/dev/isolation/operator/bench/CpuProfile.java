package dev.isolation.operator.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the CPU went during one benchmark phase: a JFR execution-sample recording taken in
 * process, each sample attributed to the mock API server, the operator side (operator code,
 * JOSDK, fabric8 client/informers, Jackson, vert.x), or the benchmark harness. Only threads
 * running Java code are sampled, so the counts are CPU, not waiting.
 */
final class CpuProfile {

    static final String MOCK = "mock API server";
    static final String HARNESS = "benchmark harness (setup client, polling)";
    static final String OPERATOR = "operator process";

    private final Recording recording;
    private final long cpuStart = processCpu();
    private final long gcStart = gcMillis();
    private final long wallStart = System.nanoTime();

    private CpuProfile(boolean jfr) {
        if (jfr) {
            recording = new Recording();
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.setToDisk(true);
            recording.start();
        } else {
            recording = null;
        }
    }

    static CpuProfile start(boolean jfr) {
        return new CpuProfile(jfr);
    }

    record Summary(long wallNanos, long cpuNanos, long gcMillis, int samples, Map<String, Integer> sides,
                   Map<String, Integer> operatorLibraries, Map<String, Integer> operatorLeaves,
                   Map<String, Integer> operatorCode, Map<String, Integer> mockLeaves,
                   Map<String, Integer> harnessLeaves) {

        double coresBusy() {
            return wallNanos == 0 ? 0 : cpuNanos / (double) wallNanos;
        }

        String share(Map<String, Integer> map, String key) {
            return samples == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.0f%%", 100.0 * map.getOrDefault(key, 0) / samples);
        }
    }

    Summary stop() {
        long wall = System.nanoTime() - wallStart;
        long cpu = processCpu() - cpuStart;
        long gc = gcMillis() - gcStart;
        if (recording == null) {
            return new Summary(wall, cpu, gc, 0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
        }
        recording.stop();
        try {
            Path file = Files.createTempFile("isolation-bench", ".jfr");
            try {
                recording.dump(file);
                return summarise(wall, cpu, gc, RecordingFile.readAllEvents(file));
            } finally {
                Files.deleteIfExists(file);
                recording.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Summary summarise(long wall, long cpu, long gc, List<RecordedEvent> events) {
        List<RecordedEvent> samples = events.stream().filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample"))
                .filter(e -> e.getStackTrace() != null).toList();
        // Threads that ever ran the mock's dispatcher are the mock's (its own vert.x instance).
        Set<Long> serverThreads = new HashSet<>();
        for (RecordedEvent e : samples) {
            if (has(e.getStackTrace(), "io.fabric8.mockwebserver.", "io.fabric8.kubernetes.client.server.mock.")) {
                serverThreads.add(threadId(e));
            }
        }
        Map<String, Integer> sides = new LinkedHashMap<>();
        Map<String, Integer> libraries = new HashMap<>();
        Map<String, Integer> leaves = new HashMap<>();
        Map<String, Integer> code = new HashMap<>();
        Map<String, Integer> mockLeaves = new HashMap<>();
        Map<String, Integer> harnessLeaves = new HashMap<>();
        for (RecordedEvent e : samples) {
            RecordedStackTrace st = e.getStackTrace();
            String side;
            if (serverThreads.contains(threadId(e))
                    || has(st, "io.fabric8.mockwebserver.", "io.fabric8.kubernetes.client.server.mock.")) {
                side = MOCK;
                mockLeaves.merge(leaf(st), 1, Integer::sum);
            } else if (harness(st)) {
                side = HARNESS;
                harnessLeaves.merge(leaf(st) + " <- " + firstFrame(st, "dev.isolation.operator.bench."), 1, Integer::sum);
            } else {
                side = OPERATOR;
                libraries.merge(library(st), 1, Integer::sum);
                leaves.merge(leaf(st), 1, Integer::sum);
                String own = firstOperatorFrame(st);
                if (own != null) {
                    code.merge(own, 1, Integer::sum);
                }
            }
            sides.merge(side, 1, Integer::sum);
        }
        return new Summary(wall, cpu, gc, samples.size(), sides, top(libraries, 8), top(leaves, 10), top(code, 10),
                top(mockLeaves, 5), top(harnessLeaves, 3));
    }

    private static long threadId(RecordedEvent e) {
        RecordedThread t = e.getThread("sampledThread");
        return t == null ? -1 : t.getJavaThreadId();
    }

    private static boolean has(RecordedStackTrace st, String... prefixes) {
        for (RecordedFrame f : st.getFrames()) {
            String type = type(f);
            for (String p : prefixes) {
                if (type.startsWith(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Harness code on the stack, other than the metrics hook every reconcile runs inside (that
     * work is the operator's).
     */
    private static boolean harness(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String type = type(f);
            if (type.startsWith(ReconcileMetrics.class.getName())) {
                return false;
            }
            if (type.startsWith("dev.isolation.operator.bench.")) {
                return true;
            }
        }
        return false;
    }

    static String firstOperatorFrame(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String type = type(f);
            if (type.startsWith("dev.isolation.operator.") && !type.startsWith("dev.isolation.operator.bench.")) {
                return method(f);
            }
        }
        return null;
    }

    private static String firstFrame(RecordedStackTrace st, String prefix) {
        for (RecordedFrame f : st.getFrames()) {
            if (type(f).startsWith(prefix)) {
                return method(f);
            }
        }
        return null;
    }

    /** The library of the innermost frame that belongs to a known one. */
    static String library(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String t = type(f);
            if (t.startsWith("dev.isolation.operator.") && !t.startsWith("dev.isolation.operator.bench.")) {
                return "operator code (dev.isolation.operator)";
            } else if (t.startsWith("io.javaoperatorsdk.")) {
                return "JOSDK";
            } else if (t.startsWith("io.fabric8.kubernetes.client.informers.")) {
                return "fabric8 informers";
            } else if (t.startsWith("io.fabric8.")) {
                return "fabric8 client / model";
            } else if (t.startsWith("com.fasterxml.")) {
                return "Jackson (JSON)";
            } else if (t.startsWith("io.vertx.") || t.startsWith("io.netty.")) {
                return "vert.x / netty (HTTP)";
            }
        }
        return "JDK / other";
    }

    static String leaf(RecordedStackTrace st) {
        return st.getFrames().isEmpty() ? "?" : method(st.getFrames().get(0));
    }

    private static String type(RecordedFrame f) {
        return f.getMethod() == null || f.getMethod().getType() == null ? "" : f.getMethod().getType().getName();
    }

    private static String method(RecordedFrame f) {
        String type = type(f);
        return type.substring(type.lastIndexOf('.') + 1) + "." + (f.getMethod() == null ? "?" : f.getMethod().getName());
    }

    static Map<String, Integer> top(Map<String, Integer> counts, int limit) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        Map<String, Integer> result = new LinkedHashMap<>();
        entries.stream().limit(limit).forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }
}
