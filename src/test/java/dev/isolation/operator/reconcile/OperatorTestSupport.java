package dev.isolation.operator.reconcile;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.DefaultDeny;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.render.ManagedLabels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/** Shared set-up for tests that run the operator against fabric8's mock API server. */
public final class OperatorTestSupport {

    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private OperatorTestSupport() {
    }

    /** A client for test set-up, marked by its User-Agent so its requests are not blamed on the operator. */
    public static KubernetesClient testClient(KubernetesMockServer server) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url("/"))
                .withTrustCerts(true)
                .withUserAgent(ApiTraffic.TEST_USER_AGENT)
                .withNamespace("default")
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Installs the committed CRD (so the mock treats status as a subresource) and starts the operator once. */
    public static synchronized void boot(KubernetesClient client, OperatorLauncher launcher) {
        if (client.apiextensions().v1().customResourceDefinitions().withName("isolationprofiles.isolation.dev").get() == null) {
            try (InputStream in = new FileInputStream("crds/isolationprofiles.isolation.dev-v1.yml")) {
                client.apiextensions().v1().customResourceDefinitions()
                        .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                        .create();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        launcher.start();
        await().atMost(TIMEOUT).until(() -> launcher.runtime().map(OperatorRuntime::healthy).orElse(false));
    }

    public static Namespace namespace(KubernetesClient client, String name, Map<String, String> labels) {
        return client.namespaces().resource(new NamespaceBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build()).build()).create();
    }

    public static IsolationProfile profile(String name, Map<String, String> selector) {
        IsolationProfile profile = new IsolationProfile();
        profile.setMetadata(new ObjectMetaBuilder().withName(name).build());
        IsolationProfileSpec spec = new IsolationProfileSpec();
        if (selector != null) {
            spec.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());
        }
        profile.setSpec(spec);
        return profile;
    }

    public static DefaultDeny deny(boolean ingress, boolean egress) {
        return new DefaultDeny(ingress, egress);
    }

    public static Allow allow() {
        return new Allow();
    }

    public static IsolationProfile create(KubernetesClient client, IsolationProfile profile) {
        return client.resources(IsolationProfile.class).resource(profile).create();
    }

    public static IsolationProfile get(KubernetesClient client, String name) {
        return client.resources(IsolationProfile.class).withName(name).get();
    }

    public static Set<String> policyNames(KubernetesClient client, String namespace) {
        return client.network().v1().networkPolicies().inNamespace(namespace).list().getItems().stream()
                .map(np -> np.getMetadata().getName()).collect(Collectors.toSet());
    }

    public static List<NetworkPolicy> managedPolicies(KubernetesClient client, String namespace) {
        return client.network().v1().networkPolicies().inNamespace(namespace).list().getItems().stream()
                .filter(np -> np.getMetadata().getLabels() != null
                        && ManagedLabels.MANAGED_BY_VALUE.equals(np.getMetadata().getLabels().get(ManagedLabels.MANAGED_BY)))
                .toList();
    }

    public static Map<String, String> labels(KubernetesClient client, String namespace) {
        Map<String, String> labels = client.namespaces().withName(namespace).get().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    public static Map<String, String> annotations(KubernetesClient client, String namespace) {
        Map<String, String> annotations = client.namespaces().withName(namespace).get().getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    public static Condition condition(KubernetesClient client, String profile, String type) {
        IsolationProfile current = get(client, profile);
        return current == null ? null : StatusBuilder.find(current.getStatus(), type);
    }

    public static boolean conditionIs(KubernetesClient client, String profile, String type, String status, String reason) {
        Condition c = condition(client, profile, type);
        return c != null && status.equals(c.getStatus()) && (reason == null || reason.equals(c.getReason()));
    }

    /**
     * Test edits race with the operator's own writes (status, finalizer); like any controller
     * client, retry on 409 with a fresh read.
     */
    public static <T> T retryOnConflict(Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    public static IsolationProfile editProfile(KubernetesClient client, String name, UnaryOperator<IsolationProfile> edit) {
        return retryOnConflict(() -> client.resources(IsolationProfile.class).withName(name).edit(edit));
    }

    public static Namespace editNamespace(KubernetesClient client, String name, UnaryOperator<Namespace> edit) {
        return retryOnConflict(() -> client.namespaces().withName(name).edit(edit));
    }

    /** Deletes a profile and waits until the finalizer released it. */
    public static void deleteProfile(KubernetesClient client, String name) {
        client.resources(IsolationProfile.class).withName(name).delete();
        await().atMost(TIMEOUT).until(() -> get(client, name) == null);
    }
}
