package dev.isolation.operator.playground;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.Optional;

/**
 * Runs in {@code main} before Quarkus boots, for the {@code playground} command only: starts the
 * embedded API and points Quarkus's KubernetesClient at it, so the operator and the dashboard run
 * exactly as in production (same beans, same client, same code path) against an in-memory API.
 */
public final class Playground {

    private static volatile EmbeddedApiServer running;

    private Playground() {
    }

    /** The embedded API started by {@link #prepare}, if it was. */
    static Optional<EmbeddedApiServer> running() {
        return Optional.ofNullable(running);
    }

    /** @param args the arguments after "playground"; explicit -D settings still win */
    public static void prepare(String... args) {
        PlaygroundOptions options = new PlaygroundOptions();
        try {
            new CommandLine(options).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return; // the command reports the usage error; nothing is started
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            return;
        }
        EmbeddedApiServer api = EmbeddedApiServer.start();
        running = api;
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "playground-api-shutdown"));
        // fabric8's own setting (read by Quarkus's client producer): the API URL is not a build-time setting.
        set("kubernetes.master", api.url());
        set("quarkus.http.port", Integer.toString(options.port));
        // The CRD is installed by the operator's own installer, as `-Disolation.install-crd=true` does.
        set("isolation.install-crd", "true");
        // Never send the user's own kubeconfig credentials (or a pod's token) to the playground.
        set("kubernetes.auth.tryKubeConfig", "false");
        set("kubernetes.auth.tryServiceAccount", "false");
        set("quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN");
    }

    private static void set(String key, String value) {
        System.getProperties().putIfAbsent(key, value);
    }
}
