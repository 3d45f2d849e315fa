package dev.isolation.operator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar as a user runs it (mvn verify, after package): the real main, real stdout and
 * stderr, a real process exit, no test framework in between.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void withoutAClusterTheOperatorExitsWithOneLineAndNoStackTrace() throws Exception {
        // No kubeconfig anywhere and not in a pod: fabric8 falls back to https://kubernetes.default.svc.
        Run run = java(null);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().toList()).hasSize(1);
        assertThat(run.err()).startsWith("isolation-operator: cannot reach the Kubernetes API at https://kubernetes.default.svc")
                .contains("Set KUBECONFIG");
        assertThat(run.out() + run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void validateReadsStdinAndBindsNoPortSoItRunsBesideAnOperator() throws Exception {
        try (ServerSocket operatorPort = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            String profile = Files.readString(Path.of("examples/seed-example.yaml"));
            Run run = java(profile, "-Dquarkus.http.port=" + operatorPort.getLocalPort(), "validate", "-f", "-");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("1 of 1 profiles valid");
        }
    }

    @Test
    void renderPrintsOnlyYamlOnStdout() throws Exception {
        Run run = java(null, "render", "-f", "examples/", "--namespace", "team-a", "--labels", "tenant=team-a");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("---\napiVersion: v1\nkind: Namespace\n")
                .contains("name: tenant-ingress-only-default-deny")
                .endsWith("#       reason: UnknownCNI\n#       status: Unknown\n#       unsupportedFeatures: []\n");
    }

    /** Runs the jar with an empty HOME and no KUBECONFIG; {@code -D} arguments go to the JVM. */
    private Run java(String stdin, String... args) throws IOException, InterruptedException {
        Path emptyHome = Files.createDirectories(tmp.resolve("home"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        List<String> jvm = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            (a.startsWith("-D") ? jvm : rest).add(a);
        }
        command.add("-Duser.home=" + emptyHome);
        command.addAll(jvm);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(rest);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        pb.environment().remove("KUBECONFIG");
        pb.environment().remove("KUBERNETES_SERVICE_HOST");
        pb.environment().put("HOME", emptyHome.toString());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process process = pb.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("process ended").isTrue();
        return new Run(process.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }
}
