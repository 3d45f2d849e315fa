package dev.isolation.operator;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Kubernetes API server the operator talks to, described the way an admin recognises it
 * (server URL plus kubeconfig context or in-cluster), and a reachability check that turns "no
 * cluster" into one readable sentence instead of the stack traces of failing informers.
 */
public final class ApiServerTarget {

    static final String HINT = "Set KUBECONFIG (or the current kubeconfig context) to a reachable cluster, "
            + "or validate and render profiles offline: java -jar target/quarkus-app/quarkus-run.jar validate|render --help";

    private final Config config;

    public ApiServerTarget(Config config) {
        this.config = config;
    }

    /** e.g. {@code https://127.0.0.1:6443 (kubeconfig context "kind-dev" from /home/me/.kube/config)}. */
    public String describe() {
        return config.getMasterUrl() + " (" + source() + ")";
    }

    private String source() {
        NamedContext context = config.getCurrentContext();
        if (context != null) {
            File file = config.getFile();
            return "kubeconfig context \"" + context.getName() + "\"" + (file == null ? "" : " from " + file);
        }
        if (Files.exists(Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH))) {
            return "in-cluster service account";
        }
        return "no kubeconfig found (KUBECONFIG unset, ~/.kube/config missing) and not running in a cluster";
    }

    /**
     * Asks the API server for its version (every authenticated or anonymous client may read it).
     *
     * @return empty when reachable, else one line: what was tried, why it failed, what to do
     */
    public Optional<String> unreachable(KubernetesClient client) {
        try {
            client.getKubernetesVersion();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.of("isolation-operator: cannot reach the Kubernetes API at " + describe() + ": "
                    + cause(e) + ". " + HINT);
        }
    }

    /** The innermost message: "kubernetes.default.svc: Name or service not known", "Connection refused". */
    static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (e instanceof KubernetesClientException kce && kce.getCode() > 0) {
            message = "HTTP " + kce.getCode() + " " + message;
        }
        return message.replaceAll("\\s+", " ").trim();
    }
}
