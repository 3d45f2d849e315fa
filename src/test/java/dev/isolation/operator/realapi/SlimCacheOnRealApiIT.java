package dev.isolation.operator.realapi;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.isolation.operator.reconcile.OperatorTestSupport.annotations;
import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.deleteProfile;
import static dev.isolation.operator.reconcile.OperatorTestSupport.editProfile;
import static dev.isolation.operator.reconcile.OperatorTestSupport.labels;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static dev.isolation.operator.realapi.RealApiOperator.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The informer caches drop managedFields (dev.isolation.operator.cache.Slim). The operator writes
 * from those copies — a JSON patch of a namespace's label and annotation maps, a PUT of a cached
 * NetworkPolicy — so this proves on a real API server that nothing users wrote is lost by it:
 * kubectl's last-applied annotation, other labels and annotations, and the other managers'
 * managedFields entries all survive the operator's writes.
 */
class SlimCacheOnRealApiIT {

    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private static RealApiServer server;
    private static KubernetesClient admin;
    private static KubernetesClient kubectl;
    private static RealApiOperator operator;

    @BeforeAll
    static void startOperator() {
        server = RealApiServer.get();
        admin = server.adminClient();
        ShippedInstall.apply(admin);
        // The API server names an Update's manager after the user agent, as it does for kubectl.
        Config kubectlLike = new ConfigBuilder(server.adminConfig())
                .withUserAgent("kubectl-client-side-apply/v1.35.4 (linux/amd64) kubernetes/0000000").build();
        kubectl = new KubernetesClientBuilder().withConfig(kubectlLike).build();
        operator = RealApiOperator.start(ShippedInstall.operatorClient(server, admin), Optional.empty());
    }

    @AfterAll
    static void stopOperator() {
        if (operator != null) {
            operator.close();
        }
        if (kubectl != null) {
            kubectl.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void userDataSurvivesWritesFromSlimmedCaches() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String ns = "slim-" + id;
        String lastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":{},"
                + "\"labels\":{\"suite\":\"" + id + "\",\"team\":\"blue\"},\"name\":\"" + ns + "\"}}\n";
        kubectl.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                .withLabels(Map.of("suite", id, "team", "blue"))
                .withAnnotations(Map.of(LAST_APPLIED, lastApplied, "contact", "blue@example.com"))
                .endMetadata().build()).create();

        String name = "slim-" + id;
        IsolationProfile p = profile(name, Map.of("suite", id));
        p.getSpec().setNamespaceLabels(Map.of("isolation", "on"));
        p.getSpec().setNamespaceAnnotations(Map.of("owner", "platform"));
        p.getSpec().setPolicies(List.of(new PolicyTemplate("web", web(8080))));
        create(admin, p);
        String web = name + "-web";
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(labels(admin, ns)).containsEntry("isolation", "on").containsEntry("team", "blue")
                    .containsEntry("suite", id);
            assertThat(annotations(admin, ns)).containsEntry("owner", "platform")
                    .containsEntry(LAST_APPLIED, lastApplied).containsEntry("contact", "blue@example.com");
            assertThat(policy(ns, web)).isNotNull();
        });
        // The namespace patch went out from a cached copy without managedFields; kubectl's entry stays.
        assertThat(managers(admin.namespaces().withName(ns).get().getMetadata().getManagedFields()))
                .contains("kubectl-client-side-apply");

        // A user annotates the operator's policy (kubectl annotate); then the profile changes that
        // policy, which the operator writes as a PUT of its cached, slimmed copy.
        KubernetesClient annotate = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.adminConfig())
                .withUserAgent("kubectl-annotate/v1.35.4 (linux/amd64) kubernetes/0000000").build()).build();
        try (annotate) {
            annotate.network().v1().networkPolicies().inNamespace(ns).withName(web)
                    .edit(np -> {
                        Map<String, String> annotations = new HashMap<>(np.getMetadata().getAnnotations() == null
                                ? Map.of() : np.getMetadata().getAnnotations());
                        annotations.put("audit.example.com/ticket", "SEC-1");
                        np.getMetadata().setAnnotations(annotations);
                        return np;
                    });
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(operator.runtime().view().policySource()
                .get(new ResourceID(web, ns)).map(np -> np.getMetadata().getAnnotations()).orElse(Map.of()))
                .containsKey("audit.example.com/ticket"));
        editProfile(admin, name, current -> {
            current.getSpec().setPolicies(List.of(new PolicyTemplate("web", web(8443))));
            return current;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            NetworkPolicy live = policy(ns, web);
            assertThat(live.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(8443);
            assertThat(live.getMetadata().getAnnotations()).containsEntry("audit.example.com/ticket", "SEC-1");
            assertThat(managers(live.getMetadata().getManagedFields())).contains("kubectl-annotate");
            assertThat(conditionIs(admin, name, "Ready", "True", "Reconciled")).isTrue();
        });

        // And the caches really are slim: what the operator holds has no managedFields.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(operator.runtime().view().namespace(ns).orElseThrow().getMetadata().getManagedFields())
                    .isNullOrEmpty();
            assertThat(operator.runtime().view().policySource().get(new ResourceID(web, ns)).orElseThrow()
                    .getMetadata().getManagedFields()).isNullOrEmpty();
        });
        assertThat(annotations(admin, ns)).containsEntry(LAST_APPLIED, lastApplied);

        deleteProfile(admin, name);
        // Leaving, the operator removes only its own keys.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(labels(admin, ns)).doesNotContainKey("isolation").containsEntry("team", "blue");
            assertThat(annotations(admin, ns)).doesNotContainKey("owner").containsEntry(LAST_APPLIED, lastApplied)
                    .containsEntry("contact", "blue@example.com");
        });
    }

    private static NetworkPolicy policy(String ns, String name) {
        return admin.network().v1().networkPolicies().inNamespace(ns).withName(name).get();
    }

    private static List<String> managers(List<ManagedFieldsEntry> entries) {
        return entries == null ? List.of() : entries.stream().map(ManagedFieldsEntry::getManager).toList();
    }

    private static NetworkPolicySpec web(int port) {
        return new NetworkPolicySpecBuilder()
                .withNewPodSelector().withMatchLabels(Map.of("app", "web")).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewPodSelector().withMatchLabels(Map.of("role", "frontend"))
                .endPodSelector().endFrom().addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                .endIngress().build();
    }
}
