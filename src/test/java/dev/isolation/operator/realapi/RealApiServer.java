package dev.isolation.operator.realapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real kube-apiserver + etcd per test JVM (started on first use, stopped at exit), built from
 * Go modules by scripts/kube-apiserver.sh and driven through fabric8's kube-api-test in offline
 * mode. The server runs with RBAC (kube-api-test's default) and an audit log, so tests can assert
 * what a given user was refused.
 *
 * <p>Where Go is absent and no binaries were built, every test of the tier is skipped with one
 * printed line; with {@code -Drealapi.required=true} (CI) it fails instead.
 */
public final class RealApiServer {

    public static final String REQUIRED_PROPERTY = "realapi.required";
    private static final Path WORK = Path.of("target", "realapi");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RealApiServer instance;
    private static String unavailable;

    private final KubeAPIServer server;
    private final String kubeconfig;
    private final Path auditLog;
    private final Path binaries;
    private boolean stopped;

    private RealApiServer(KubeAPIServer server, Path auditLog, Path binaries) {
        this.server = server;
        this.kubeconfig = server.getKubeConfigYaml();
        this.auditLog = auditLog;
        this.binaries = binaries;
    }

    /** The shared server; skips (or, when required, fails) the calling test if it cannot exist here. */
    public static synchronized RealApiServer get() {
        if (instance == null && unavailable == null) {
            try {
                instance = start();
            } catch (Unavailable e) {
                unavailable = e.getMessage();
                if (!Boolean.getBoolean(REQUIRED_PROPERTY)) {
                    // The one line a developer without Go sees; CI sets the property and fails instead.
                    System.out.println("Real API server tests SKIPPED: " + unavailable);
                }
            }
        }
        if (instance == null) {
            if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
                throw new IllegalStateException("the realapi tier is required (-D" + REQUIRED_PROPERTY
                        + "=true) but cannot run: " + unavailable);
            }
            Assumptions.abort("real API server unavailable: " + unavailable);
        }
        return instance;
    }

    /** The Kubernetes version the binaries are built at: the k8s.io/kubernetes pin in test-infra/kube/go.mod. */
    static String kubernetesVersion() {
        try {
            Matcher m = Pattern.compile("(?m)^require k8s\\.io/kubernetes v(\\S+)$")
                    .matcher(Files.readString(Path.of("test-infra", "kube", "go.mod")));
            if (!m.find()) {
                throw new IllegalStateException("test-infra/kube/go.mod pins no k8s.io/kubernetes version");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    /**
     * A server of its own (not the shared one), with its audit log under target/realapi/{@code name}:
     * for benchmarks, which need an empty etcd per scenario. The caller stops it with {@link #stop()}.
     */
    public static RealApiServer dedicated(String name) {
        try {
            return start(WORK.resolve(name));
        } catch (Unavailable e) {
            if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
                throw new IllegalStateException("the realapi tier is required (-D" + REQUIRED_PROPERTY
                        + "=true) but cannot run: " + e.getMessage());
            }
            Assumptions.abort("real API server unavailable: " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }

    /** Stops a {@link #dedicated} server (etcd's data goes with it); the JVM's exit hook then has nothing left to do. */
    public synchronized void stop() {
        if (!stopped) {
            stopped = true;
            server.stop();
        }
    }

    /** The JSON audit log file (Metadata level, written synchronously). */
    public Path auditLogFile() {
        return auditLog;
    }

    private static RealApiServer start() throws Unavailable {
        return start(WORK);
    }

    private static RealApiServer start(Path work) throws Unavailable {
        String version = kubernetesVersion();
        Path binaries = buildBinaries(version);
        try {
            Files.createDirectories(work);
            Path policy = work.resolve("audit-policy.yaml").toAbsolutePath();
            Path audit = work.resolve("audit.log").toAbsolutePath();
            Files.deleteIfExists(audit);
            // Metadata level: who did what and the response code; enough to find any 403.
            Files.writeString(policy, """
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    omitStages: [RequestReceived]
                    rules:
                    - level: Metadata
                    """);
            KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withOfflineMode(true)
                    .withApiServerVersion(version)
                    .withTestDir(binaries.getParent().getParent().toString())
                    .withUpdateKubeConfig(false)
                    .withStartupTimeout(120_000)
                    .withApiServerFlag("--audit-policy-file", policy.toString())
                    .withApiServerFlag("--audit-log-path", audit.toString())
                    .withApiServerFlag("--audit-log-format", "json")
                    .withApiServerFlag("--audit-log-mode", "blocking")
                    .build());
            server.start();
            RealApiServer started = new RealApiServer(server, audit, binaries);
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "realapi-stop"));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs scripts/kube-apiserver.sh when Go is installed (idempotent: a stamp file makes it a
     * no-op when the pinned binaries exist); without Go, binaries built earlier are still used.
     * A failing build is an error, never a skip.
     */
    private static Path buildBinaries(String version) throws Unavailable {
        String dir = Optional.ofNullable(System.getenv("KUBE_API_TEST_DIR"))
                .orElse(new File(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).getPath());
        Path binaries = Path.of(dir, "k8s", version + "-linux-amd64");
        if (!onPath("go")) {
            if (Files.isExecutable(binaries.resolve("kube-apiserver")) && Files.isExecutable(binaries.resolve("etcd"))) {
                return binaries;
            }
            throw new Unavailable("Go is not installed, so kube-apiserver " + version
                    + " and etcd cannot be built (scripts/kube-apiserver.sh)");
        }
        try {
            Files.createDirectories(WORK);
            Path log = WORK.resolve("kube-apiserver-build.log");
            Process build = new ProcessBuilder("scripts/kube-apiserver.sh")
                    .redirectErrorStream(false)
                    .redirectError(log.toFile())
                    .start();
            String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (build.waitFor() != 0) {
                throw new IllegalStateException("scripts/kube-apiserver.sh failed; see " + log + ":\n"
                        + Files.readString(log));
            }
            return Path.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, command))) {
                return true;
            }
        }
        return false;
    }

    public Config adminConfig() {
        return Config.fromKubeconfig(kubeconfig);
    }

    /** A client with cluster-admin rights (kube-api-test's client certificate is in system:masters). */
    public KubernetesClient adminClient() {
        return new KubernetesClientBuilder().withConfig(adminConfig()).build();
    }

    /** An admin client, with the shipped install applied and {@code namespace} present (for dry runs). */
    public KubernetesClient adminClientWith(String namespace) {
        KubernetesClient admin = adminClient();
        ShippedInstall.apply(admin);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(NonDeletingOperation::update);
        return admin;
    }

    public String kubeconfig() {
        return kubeconfig;
    }

    /** Where the binaries live, e.g. for kube-controller-manager. */
    public Path binaries() {
        return binaries;
    }

    /** The audit log in detail (user agent, object, timestamps), readable from a mark on. */
    public AuditLog auditLog() {
        return new AuditLog(auditLog);
    }

    /** One audited request: who, what, and the answer. */
    public record AuditedRequest(String user, String verb, String uri, int code) {
    }

    /** Every request the server answered so far (the audit log is written synchronously). */
    public List<AuditedRequest> audited() {
        List<AuditedRequest> result = new ArrayList<>();
        try {
            if (!Files.exists(auditLog)) {
                return result;
            }
            for (String line : Files.readAllLines(auditLog, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                result.add(new AuditedRequest(event.path("user").path("username").asText(),
                        event.path("verb").asText(), event.path("requestURI").asText(),
                        event.path("responseStatus").path("code").asInt()));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests of {@code user} the server refused with 403 Forbidden. */
    public List<AuditedRequest> forbidden(String user) {
        return audited().stream().filter(r -> r.user().equals(user) && r.code() == 403).toList();
    }
}
