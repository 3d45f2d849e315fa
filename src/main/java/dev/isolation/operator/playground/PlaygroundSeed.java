package dev.isolation.operator.playground;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the playground's cluster holds at start: demo namespaces (labelled for the example
 * profiles), one Node, the API server's EndpointSlice, a real CNI install manifest with its
 * workloads marked ready (a real cluster runs them), and the example profiles.
 */
final class PlaygroundSeed {

    /** The example profiles, as in examples/ (packaged at playground/examples/; a test keeps the lists equal). */
    static final List<String> EXAMPLES = List.of("default-deny-except-dns.yaml", "egress-to-apiserver.yaml",
            "seed-example.yaml", "tenant-ingress-only.yaml");

    /** Namespace → labels. Some match the examples' selectors, team-c is left for the user to label. */
    static final Map<String, Map<String, String>> NAMESPACES = namespaces();

    static final String NODE_IP = "10.0.0.10";

    private final KubernetesClient client;

    PlaygroundSeed(KubernetesClient client) {
        this.client = client;
    }

    /** The cluster before the operator starts: namespaces, node, API endpoints, the CNI. */
    void cluster(CniFixture cni, String apiHost, int apiPort) {
        NAMESPACES.forEach((name, labels) -> {
            Map<String, String> all = new LinkedHashMap<>(labels);
            all.put("kubernetes.io/metadata.name", name); // the API server adds it; the mock does not
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(all)
                    .endMetadata().build()).create();
        });
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("playground-node")
                .addToLabels("kubernetes.io/hostname", "playground-node").endMetadata()
                .withNewSpec().withPodCIDR("10.244.0.0/24").endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(NODE_IP).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.35.0").endNodeInfo().endStatus().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "kubernetes").endMetadata()
                .withAddressType("IPv4").addNewEndpoint().withAddresses(apiHost).endEndpoint()
                .addNewPort().withName("https").withProtocol("TCP").withPort(apiPort).endPort().build()).create();
        installCni(cni);
    }

    private void installCni(CniFixture cni) {
        List<HasMetadata> objects;
        try (InputStream in = resource(cni.resource())) {
            objects = client.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (HasMetadata o : objects) {
            if (o instanceof DaemonSet ds) {
                ds.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(1).withNumberReady(1)
                        .withNumberAvailable(1).build());
            } else if (o instanceof Deployment d) {
                d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build());
            }
            client.resource(o).create();
        }
    }

    /** The example profiles, created once the operator (and with it the CRD) is up. */
    void examples() {
        for (String name : EXAMPLES) {
            try (InputStream in = resource("/playground/examples/" + name)) {
                client.load(in).items().forEach(o -> client.resource(o).create());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static InputStream resource(String path) {
        InputStream in = PlaygroundSeed.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is missing from the application");
        }
        return in;
    }

    private static Map<String, Map<String, String>> namespaces() {
        Map<String, Map<String, String>> ns = new LinkedHashMap<>();
        ns.put("default", Map.of());
        ns.put("kube-system", Map.of());
        ns.put("ingress-nginx", Map.of());
        ns.put("shop-frontend", Map.of("tier", "web"));
        ns.put("shop-db", Map.of("tier", "db"));
        ns.put("payments", Map.of("isolation", "default-deny"));
        ns.put("controllers", Map.of("isolation", "apiserver-only"));
        ns.put("team-a", Map.of("tenant", "team-a"));
        ns.put("team-b", Map.of("tenant", "team-b"));
        ns.put("team-c", Map.of());
        return ns;
    }
}
