package dev.isolation.operator.playground;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * README command 1 as a user runs it: the packaged jar's {@code playground} command in its own
 * process, then the real kubectl 1.35 (KUBECTL, or .tools/kubectl installed by scripts/kubectl.sh)
 * against the kubeconfig it wrote.
 */
class PlaygroundIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static Path kubectl;

    @TempDir
    Path tmp;
    private Process playground;
    private Path kubeconfig;
    private int port;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void kubectl() throws Exception {
        String env = System.getenv("KUBECTL");
        kubectl = env != null && !env.isBlank() ? Path.of(env) : Path.of(".tools/kubectl").toAbsolutePath();
        if (!Files.isExecutable(kubectl)) {
            Process p = new ProcessBuilder("bash", "scripts/kubectl.sh").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(kubectl).as("kubectl (KUBECTL or .tools/kubectl via scripts/kubectl.sh)").isExecutable();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (playground != null) {
            playground.destroy(); // SIGTERM, as Ctrl-C
            if (!playground.waitFor(60, TimeUnit.SECONDS)) {
                playground.destroyForcibly();
            }
        }
    }

    @Test
    void kubectlWorksAgainstThePlaygroundWithAnEnforcingCni() throws Exception {
        String banner = start();
        assertThat(banner).contains("CNI: calico, which enforces NetworkPolicies", "kubeconfig   " + kubeconfig,
                "dashboard    http://localhost:" + port + "/", "kubectl get isop");

        // Printer columns: the server answers kubectl's Table request.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl("get", "isop").out())
                .containsPattern("NAME +READY +ENFORCED +CNI +NAMESPACES +AGE")
                .containsPattern("tenant-ingress-only +True +True +calico +2/2 ")
                .containsPattern("db-tier +True +True +calico +1/1 "));
        assertThat(kubectl("get", "isop", "-o", "wide").out()).containsPattern("AGE +REASON").contains("Reconciled");

        assertThat(kubectl("get", "networkpolicies", "-A").out())
                .containsPattern("team-a +tenant-ingress-only-default-deny")
                .containsPattern("shop-db +db-tier-db-ingress")
                .doesNotContain("team-c");

        // kubectl label sends a merge patch; the operator selects the namespace.
        Run label = kubectl("label", "namespace", "team-c", "tenant=team-c");
        assertThat(label.exitCode()).as(label.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl("get", "networkpolicies", "-n", "team-c").out())
                .contains("tenant-ingress-only-default-deny", "tenant-ingress-only-allow-from-namespaces"));
        Run ready = kubectl("wait", "--for=condition=Ready", "isop/tenant-ingress-only", "--timeout=60s");
        assertThat(ready.exitCode()).as(ready.err()).isZero();
        assertThat(ready.out()).contains("condition met");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl("get", "isop", "tenant-ingress-only").out())
                .containsPattern("tenant-ingress-only +True +True +calico +3/3 "));

        // kubectl apply as printed: OpenAPI v3 paths tell it the server validates; a CR gets a merge patch.
        Run apply = kubectl("apply", "-f", "examples/seed-example.yaml");
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).containsPattern("isolationprofile.isolation.dev/db-tier (configured|unchanged)");
        Run changed = kubectlWithInput(Files.readString(Path.of("examples/seed-example.yaml"))
                .replace("name: db-tier", "name: web-tier").replace("tier: db", "tier: web"), "apply", "-f", "-");
        assertThat(changed.out()).contains("isolationprofile.isolation.dev/web-tier created");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl("get", "networkpolicies", "-n", "shop-frontend").out())
                .contains("web-tier-db-ingress"));

        Run describe = kubectl("describe", "isop", "db-tier");
        assertThat(describe.exitCode()).as(describe.err()).isZero();
        assertThat(describe.out()).contains("Name:         db-tier", "Kind:         IsolationProfile", "Type:                  Ready");

        // kubectl wait on a condition that becomes true later: a streamed watch, not a failing one.
        Process waiting = new ProcessBuilder(kubectl.toString(), "--kubeconfig", kubeconfig.toString(), "wait",
                "--for=jsonpath={.metadata.labels.demo}=yes", "isop/db-tier", "--timeout=60s", "-v=6")
                .redirectOutput(tmp.resolve("wait.out").toFile()).redirectError(tmp.resolve("wait.err").toFile()).start();
        // Label only once kubectl is watching (-v=6 logs the watch request's response).
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(tmp.resolve("wait.err")).lines()
                .anyMatch(l -> l.contains("watch=true") && l.contains("200 OK")));
        assertThat(kubectl("label", "isop", "db-tier", "demo=yes").exitCode()).isZero();
        assertThat(waiting.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting.exitValue()).as(Files.readString(tmp.resolve("wait.err"))).isZero();
        assertThat(Files.readString(tmp.resolve("wait.err"))).doesNotContain("Failed to watch");

        // kubectl get -w: watch events arrive as Tables too, so later rows keep the printer columns.
        Process watching = new ProcessBuilder(kubectl.toString(), "--kubeconfig", kubeconfig.toString(), "get", "isop", "-w")
                .redirectOutput(tmp.resolve("watch.out").toFile()).redirectError(tmp.resolve("watch.err").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(tmp.resolve("watch.out")).contains("db-tier"));
            assertThat(kubectl("label", "isop", "db-tier", "demo=again", "--overwrite").exitCode()).isZero();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(tmp.resolve("watch.out")).lines()
                    .filter(l -> l.matches("db-tier +True +True +calico +1/1 .*"))).hasSizeGreaterThanOrEqualTo(2));
            assertThat(Files.readString(tmp.resolve("watch.out"))).doesNotContainPattern("(?m)^db-tier +\\d+[smhd]\\s*$");
        } finally {
            watching.destroy();
        }

        HttpResponse<String> dashboard = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("tenant-ingress-only");
    }

    @Test
    void withFlannelTheProfilesSayTheyAreNotEnforced() throws Exception {
        String banner = start("--cni", "flannel");
        assertThat(banner).contains("CNI: flannel, which does NOT enforce NetworkPolicies");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl("get", "isop").out())
                .containsPattern("tenant-ingress-only +True +False +flannel "));
    }

    /** Starts the jar's playground; returns its banner once the kubeconfig is written. */
    private String start(String... extra) throws IOException {
        port = freePort();
        kubeconfig = tmp.resolve("playground.kubeconfig");
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-jar", JAR.toString(), "playground", "--port", Integer.toString(port),
                "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        pb.environment().remove("KUBECONFIG");
        pb.environment().put("HOME", home.toString());
        playground = pb.start();
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(playground.isAlive()).as("playground exited: %s", Files.readString(tmp.resolve("err"))).isTrue();
            return Files.readString(tmp.resolve("out")).contains("kubectl apply -f examples/");
        });
        return Files.readString(tmp.resolve("out"));
    }

    private Run kubectl(String... args) throws IOException, InterruptedException {
        return kubectlWithInput(null, args);
    }

    private Run kubectlWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "kubectl", ".out");
        Path err = Files.createTempFile(tmp, "kubectl", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("kubectl %s finished", args).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
