package dev.isolation.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects a benchmark's figures as lines, prints them to stdout and appends them to
 * {@code target/benchmark-results.txt}, so a run leaves its numbers behind.
 */
final class BenchReport {

    static final Path RESULTS = Path.of("target", "benchmark-results.txt");

    private final List<String> lines = new ArrayList<>();

    BenchReport(String title) {
        Runtime rt = Runtime.getRuntime();
        lines.add("");
        lines.add("=== " + title + " ===");
        lines.add(String.format(Locale.ROOT, "at %s | java %s | %d cpus | max heap %d MiB", Instant.now(),
                System.getProperty("java.version"), rt.availableProcessors(), rt.maxMemory() >> 20));
    }

    BenchReport line(String format, Object... args) {
        lines.add(String.format(Locale.ROOT, format, args));
        return this;
    }

    /** A row of a fixed-width table. */
    BenchReport row(String label, String... cells) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-52s", label));
        for (String cell : cells) {
            sb.append(String.format(Locale.ROOT, " %14s", cell));
        }
        lines.add(sb.toString());
        return this;
    }

    /** Prints everything collected and appends it to the results file. */
    void flush() {
        String text = String.join(System.lineSeparator(), lines) + System.lineSeparator();
        System.out.print(text);
        System.out.flush();
        try {
            Files.createDirectories(RESULTS.getParent());
            Files.writeString(RESULTS, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lines.clear();
    }

    static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static String us(double nanos) {
        return String.format(Locale.ROOT, "%.2f us", nanos / 1e3);
    }

    static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
