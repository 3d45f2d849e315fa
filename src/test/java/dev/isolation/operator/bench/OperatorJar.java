package dev.isolation.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}) as a process of its own, started
 * the way the shipped container starts it: the JVM flags of the Dockerfile's ENTRYPOINT (read from the
 * Dockerfile, so they cannot drift), plus what the pod's limits tell a JVM inside a container
 * ({@code -XX:MaxRAM} = the memory limit, {@code -XX:ActiveProcessorCount} = the CPU limit) and the
 * environment the Deployment sets (OPERATOR_NAMESPACE, POD_NAME). It reaches the API server through
 * a kubeconfig holding a token of the shipped ServiceAccount.
 */
final class OperatorJar implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    /** kustomize/base/deployment.yaml: limits.memory 512Mi, limits.cpu "1". */
    static final String MEMORY_LIMIT = System.getProperty("bench.memoryLimit", "512m");
    static final int CPU_LIMIT = Integer.getInteger("bench.cpuLimit", 1);
    /**
     * Extra JVM flags for an experiment (e.g. {@code -XX:NativeMemoryTracking=summary}), after the
     * Dockerfile's; the report prints the command, so a figure always says what it ran with.
     */
    static final List<String> EXTRA_FLAGS = List.of(System.getProperty("bench.jvmArgs", "").trim().split("\\s+"))
            .stream().filter(f -> !f.isEmpty()).toList();

    private static final Pattern ENTRYPOINT = Pattern.compile("(?s)ENTRYPOINT\\s*\\[(.*?)\\]");
    private static final Pattern ENV = Pattern.compile("(?m)^ENV\\s+(\\w+)=(\\S+)\\s*$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path dir;
    private final List<String> command;

    private OperatorJar(Process process, int port, Path dir, List<String> command) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.command = command;
    }

    /**
     * Starts the jar with its output in {@code dir/operator.log}. With {@code jfr}, a flight recording
     * (default settings) is written to {@code dir/operator.jfr} when the process exits.
     */
    static OperatorJar start(Path dir, Path kubeconfig, String podName, boolean jfr, Map<String, String> properties) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the benchmark runs after `package` (mvn -B -Pbenchmark)");
        }
        try {
            int port = freePort();
            List<String> cmd = containerJava(dir);
            if (jfr) {
                cmd.add("-XX:StartFlightRecording=filename=" + dir.resolve("operator.jfr").toAbsolutePath()
                        + ",settings=profile,dumponexit=true");
            }
            cmd.add("-Dquarkus.http.port=" + port);
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(JAR.toAbsolutePath().toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("operator.log").toFile()));
            // The image's ENV (MALLOC_ARENA_MAX shapes the resident set), then the Deployment's.
            pb.environment().putAll(dockerfileEnvironment());
            pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
            pb.environment().put("OPERATOR_NAMESPACE", "isolation-operator");
            pb.environment().put("POD_NAME", podName);
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            Process process = pb.start();
            // An interrupted benchmark must not leave an operator running against the next one's server.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "bench-operator-stop"));
            return new OperatorJar(process, port, dir, List.copyOf(cmd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code java} and the JVM flags of a process in the operator's container: its limits as a JVM
     * reads them from the cgroup, the Dockerfile's ENTRYPOINT flags, and {@code bench.jvmArgs}.
     * The image's /tmp is an emptyDir; here {@code dir/tmp} stands in for it.
     */
    static List<String> containerJava(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:MaxRAM=" + MEMORY_LIMIT);
        cmd.add("-XX:ActiveProcessorCount=" + CPU_LIMIT);
        for (String flag : dockerfileJvmFlags()) {
            cmd.add(flag.startsWith("-Djava.io.tmpdir=") ? "-Djava.io.tmpdir=" + dir.resolve("tmp").toAbsolutePath() : flag);
        }
        cmd.addAll(EXTRA_FLAGS);
        return cmd;
    }

    /** The Dockerfile's {@code ENV KEY=value} lines (quotes removed). */
    static Map<String, String> dockerfileEnvironment() {
        try {
            Map<String, String> env = new java.util.LinkedHashMap<>();
            Matcher m = ENV.matcher(Files.readString(Path.of("Dockerfile")));
            while (m.find()) {
                env.put(m.group(1), m.group(2).replace("\"", ""));
            }
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM flags of the Dockerfile's exec-form ENTRYPOINT, between "java" and "-jar". */
    static List<String> dockerfileJvmFlags() {
        try {
            Matcher m = ENTRYPOINT.matcher(Files.readString(Path.of("Dockerfile")));
            if (!m.find()) {
                throw new IllegalStateException("Dockerfile has no exec-form ENTRYPOINT");
            }
            List<String> args = new ArrayList<>();
            Matcher q = QUOTED.matcher(m.group(1));
            while (q.find()) {
                args.add(q.group(1));
            }
            int jar = args.indexOf("-jar");
            if (args.isEmpty() || !args.get(0).equals("java") || jar < 0) {
                throw new IllegalStateException("unexpected ENTRYPOINT " + args);
            }
            return args.subList(1, jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    List<String> command() {
        return command;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** /q/health/ready answers 200: started, every informer synced and watching. */
    boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the operator process exited with " + process.exitValue() + "; see "
                    + dir.resolve("operator.log"));
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Prometheus text of /q/metrics. */
    String metrics() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One memory figure: resident set now and at its peak, heap and non-heap in use right after a full GC. */
    record Memory(long rssKib, long hwmKib, long heapAfterGc, long nonHeap, long gcMillis) {
        long rssMib() {
            return rssKib >> 10;
        }

        long hwmMib() {
            return hwmKib >> 10;
        }
    }

    /**
     * Forces a full GC ({@code jcmd <pid> GC.run}), then reads heap and non-heap in use from the
     * operator's own metrics (jvm_memory_used_bytes) and RSS from /proc. The GC pauses the operator
     * for its duration (reported as gcMillis).
     */
    Memory memory() {
        long t0 = System.nanoTime();
        jcmd("GC.run");
        long gc = (System.nanoTime() - t0) / 1_000_000;
        long heap = 0;
        long nonHeap = 0;
        for (String line : metrics().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{")) {
                long value = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.contains("area=\"heap\"")) {
                    heap += value;
                } else if (line.contains("area=\"nonheap\"")) {
                    nonHeap += value;
                }
            }
        }
        return new Memory(status("VmRSS"), status("VmHWM"), heap, nonHeap, gc);
    }

    /** A kB field of /proc/<pid>/status (VmRSS, VmHWM). */
    long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no " + field + " in /proc/" + pid() + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern THREAD = Pattern.compile("(?m)^\"(.+)\" .*?cpu=([0-9.]+)ms");

    /**
     * CPU seconds used so far per group of live threads (a thread's name with its numbers replaced
     * by N, so the 16 reconcile threads are one group), from {@code jcmd Thread.print}, largest first.
     */
    Map<String, Double> threadCpu() {
        Map<String, Double> groups = new java.util.HashMap<>();
        Matcher m = THREAD.matcher(jcmd("Thread.print"));
        while (m.find()) {
            groups.merge(m.group(1).replaceAll("[0-9]+", "N"), Double.parseDouble(m.group(2)) / 1000, Double::sum);
        }
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** With native memory tracking on: its summary ({@code jcmd VM.native_memory summary}), else empty. */
    Optional<String> nativeMemory() {
        return command.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking=") && !f.endsWith("=off"))
                ? Optional.of(jcmd("VM.native_memory", "summary"))
                : Optional.empty();
    }

    String jcmd(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(String.valueOf(pid()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL (kill -9): no shutdown hook runs, nothing is released; waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the operator process " + pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as Kubernetes stops a pod; waits for the exit (JFR, if on, is dumped then). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
