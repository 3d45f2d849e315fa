package dev.isolation.operator.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the operator process spent its CPU between two instants, from the flight recording the jar
 * wrote (-XX:StartFlightRecording, settings=profile: Java execution samples every 10-20 ms). Only
 * threads running Java code are sampled, so this is CPU, not waiting for the API server.
 */
final class JarProfile {

    private JarProfile() {
    }

    static void summarise(Path jfr, Instant from, Instant to, BenchReport report) {
        if (!Files.isRegularFile(jfr)) {
            report.line("  (no flight recording at %s)", jfr);
            return;
        }
        Map<String, Integer> libraries = new HashMap<>();
        Map<String, Integer> operatorCode = new HashMap<>();
        Map<String, Integer> leaves = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        long gcPauseNanos = 0;
        int gcs = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                String type = e.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gcs++;
                    gcPauseNanos += e.getDuration("sumOfPauses").toNanos();
                } else if (type.equals("jdk.ExecutionSample") && e.getStackTrace() != null) {
                    samples++;
                    libraries.merge(CpuProfile.library(e.getStackTrace()), 1, Integer::sum);
                    leaves.merge(CpuProfile.leaf(e.getStackTrace()), 1, Integer::sum);
                    String own = CpuProfile.firstOperatorFrame(e.getStackTrace());
                    if (own != null) {
                        operatorCode.merge(own, 1, Integer::sum);
                    }
                    String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                    threads.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "-N"), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        report.line("  JFR of the operator process over the rollout: %,d CPU samples, %d GCs with %.0f ms of pauses",
                samples, gcs, gcPauseNanos / 1e6);
        print(report, "by library (innermost known frame)", libraries, samples, 8);
        print(report, "by thread", threads, samples, 6);
        print(report, "operator methods (innermost dev.isolation frame)", operatorCode, samples, 8);
        print(report, "hot leaf methods", leaves, samples, 8);
    }

    private static void print(BenchReport report, String title, Map<String, Integer> counts, int samples, int limit) {
        report.line("    %s:", title);
        CpuProfile.top(counts, limit).forEach((k, v) -> report.line("      %5.1f%%  %s",
                samples == 0 ? 0.0 : 100.0 * v / samples, k));
    }
}
