package dev.isolation.operator.playground;

import dev.isolation.operator.OperatorLauncher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code playground}: the whole product on an embedded, in-memory API ({@link Playground} started
 * it before Quarkus booted and pointed the KubernetesClient at it). Seeds the demo cluster, starts
 * the operator exactly as the default command does, applies the examples, writes a kubeconfig,
 * prints the next steps and runs until Ctrl-C.
 */
@Command(name = "playground", mixinStandardHelpOptions = true,
        description = "Run the operator and its dashboard against an embedded, in-memory Kubernetes API "
                + "seeded with demo namespaces, a real CNI manifest and the example profiles. Nothing is saved.")
public class PlaygroundCommand implements Callable<Integer> {

    @Mixin
    PlaygroundOptions options;
    @Spec
    CommandSpec spec;

    @Inject
    KubernetesClient client;
    @Inject
    OperatorLauncher launcher;

    @Override
    public Integer call() throws IOException {
        EmbeddedApiServer embedded = Playground.running()
                .orElseThrow(() -> new IllegalStateException("the embedded API was not started before Quarkus"));
        URI api = URI.create(embedded.url());
        PlaygroundSeed seed = new PlaygroundSeed(client);
        seed.cluster(options.cni, api.getHost(), api.getPort());
        launcher.start();
        seed.examples();
        Path kubeconfig = options.kubeconfig.toAbsolutePath();
        Files.writeString(kubeconfig, Kubeconfig.of(embedded.kubectlUrl()));
        print(spec.commandLine().getOut(), embedded.kubectlUrl(), kubeconfig);
        Quarkus.waitForExit();
        return 0;
    }

    private void print(PrintWriter out, String api, Path kubeconfig) {
        out.printf("""

                isolation-operator playground: an embedded, in-memory Kubernetes API (nothing is saved; Ctrl-C ends it)
                  API server   %s  (CNI: %s, which %s)
                  kubeconfig   %s
                  dashboard    http://localhost:%d/

                Try:
                  export KUBECONFIG=%s
                  kubectl get isop
                  kubectl get networkpolicies -A
                  kubectl label namespace team-c tenant=team-c
                  kubectl wait --for=condition=Ready isop/tenant-ingress-only --timeout=60s
                  kubectl describe isop tenant-ingress-only
                  kubectl apply -f examples/seed-example.yaml

                """, api, options.cni, options.cni.enforcement(), kubeconfig, options.port, kubeconfig);
        out.flush();
    }
}
