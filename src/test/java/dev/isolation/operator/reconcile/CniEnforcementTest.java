package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.LegacyIsolationAnnotation;
import dev.isolation.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static dev.isolation.operator.reconcile.OperatorTestSupport.annotations;
import static dev.isolation.operator.reconcile.OperatorTestSupport.condition;
import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.deleteProfile;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * CNI detection wired into the operator: status.cni, Enforced and unsupportedFeatures follow CNI
 * workloads as they come, change and go. The mock API server is shared with the other operator
 * tests, which expect no CNI, so every CNI workload created here is removed after each test.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CniEnforcementTest extends OperatorMockTest {

    /** %test.isolation.operator-namespace in application.properties. */
    private static final String OPERATOR_NS = "isolation-operator";
    private static final String CATALOG = "isolation-operator-cni-catalog";

    final List<String[]> daemonSets = new ArrayList<>();

    @AfterEach
    void removeCni() {
        daemonSets.forEach(ds -> client.apps().daemonSets().inNamespace(ds[0]).withName(ds[1]).delete());
        client.configMaps().inNamespace(OPERATOR_NS).withName(CATALOG).delete();
        await().atMost(TIMEOUT).until(() -> launcher.runtime().map(r -> r.cni().current())
                .map(v -> v.isUnknown()).orElse(false));
    }

    @Test
    void installingAndRemovingACniFlipsEnforced() {
        String name = "p-" + id;
        namespace(client, "fl-" + id, Map.of("suite", id));
        create(client, profile(name, Map.of("suite", id)));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "Unknown", "UnknownCNI"));
        assertThat(get(client, name).getStatus().getCni().getName()).isEqualTo("unknown");

        daemonSet("kube-flannel", "kube-flannel-ds", container("kube-flannel", "ghcr.io/flannel-io/flannel:v0.25.1"));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "False", "CNIDoesNotEnforce"));
        IsolationProfileStatus status = get(client, name).getStatus();
        assertThat(status.getCni().getName()).isEqualTo("flannel");
        assertThat(status.getCni().getVersion()).isEqualTo("v0.25.1");
        assertThat(status.getCni().getDetectedFrom()).contains("DaemonSet kube-flannel/kube-flannel-ds");
        assertThat(status.getCni().getEnforcesNetworkPolicy()).isEqualTo("False");
        assertThat(condition(client, name, "Enforced").getMessage()).contains("flannel v0.25.1");

        client.apps().daemonSets().inNamespace("kube-flannel").withName("kube-flannel-ds").delete();
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "Unknown", "UnknownCNI"));
        assertThat(get(client, name).getStatus().getCni().getName()).isEqualTo("unknown");
        deleteProfile(client, name);
    }

    @Test
    void upgradingCiliumTo116AddsEndPortSupport() {
        String name = "p-" + id;
        namespace(client, "ci-" + id, Map.of("suite", id));
        IsolationProfile p = profile(name, Map.of("suite", id));
        p.getSpec().setPolicies(List.of(new PolicyTemplate("port-range", new NetworkPolicySpecBuilder()
                .withNewPodSelector().endPodSelector()
                .addNewIngress().addNewPort().withProtocol("TCP").withPort(new IntOrString(8000)).withEndPort(8100)
                .endPort().endIngress()
                .build())));
        daemonSet("kube-system", "cilium", container("cilium-agent", "quay.io/cilium/cilium:v1.15.6"));
        create(client, p);
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "False", "FeatureUnsupported"));
        assertThat(get(client, name).getStatus().getUnsupportedFeatures()).containsExactly("EndPort");
        assertThat(condition(client, name, "Enforced").getMessage()).contains("cilium v1.15.6").contains("EndPort");

        client.apps().daemonSets().inNamespace("kube-system").withName("cilium").edit(ds -> {
            ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("quay.io/cilium/cilium:v1.16.1");
            return ds;
        });
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "True", "CNIEnforces"));
        IsolationProfileStatus status = get(client, name).getStatus();
        assertThat(status.getUnsupportedFeatures()).isEmpty();
        assertThat(status.getCni().getVersion()).isEqualTo("v1.16.1");
        assertThat(status.getCni().getEnforcesNetworkPolicy()).isEqualTo("True");
        deleteProfile(client, name);
    }

    @Test
    void catalogOverrideTakesEffectAndAnInvalidOneIsIgnoredWithAWarningEvent() {
        String name = "p-" + id;
        namespace(client, "ov-" + id, Map.of("suite", id));
        daemonSet("kube-flannel", "kube-flannel-ds", container("kube-flannel", "ghcr.io/flannel-io/flannel:v0.25.1"));
        create(client, profile(name, Map.of("suite", id)));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "False", "CNIDoesNotEnforce"));

        catalogOverride("""
                flannel:
                  - ingress: true
                    egress: true
                    ipBlockExcept: true
                    endPort: true
                    sctp: true
                    namedPorts: true
                    note: "netpol sidecar installed by hand"
                """);
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "True", "CNIEnforces"));
        assertThat(get(client, name).getStatus().getCni().getEnforcesNetworkPolicy()).isEqualTo("True");

        catalogOverride("""
                flannel:
                  - ingress: maybe
                """);
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "False", "CNIDoesNotEnforce"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(warnings()).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
            assertThat(e.getInvolvedObject().getName()).isEqualTo(CATALOG);
            assertThat(e.getMessage()).contains("flannel[0].ingress");
        }));
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("isolation_cni_catalog_override_valid 0.0"));
        assertThat(launcher.runtime().orElseThrow().healthy()).isTrue();
        deleteProfile(client, name);
    }

    @Test
    void oldWeaveGetsTheLegacyIsolationAnnotationAndLosesItOnUpgrade() {
        String name = "p-" + id;
        String ns = "lg-" + id;
        namespace(client, ns, Map.of("suite", id));
        IsolationProfile p = profile(name, Map.of("suite", id));
        p.getSpec().setDefaultDeny(OperatorTestSupport.deny(true, false));
        p.getSpec().setLegacyIsolationAnnotation(LegacyIsolationAnnotation.Auto);
        create(client, p);
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Ready", "True", null));
        assertThat(annotations(client, ns)).doesNotContainKey(LegacyIsolationAnnotation.KEY);

        daemonSet("kube-system", "weave-net", container("weave", "docker.io/weaveworks/weave-kube:1.9.4"),
                container("weave-npc", "docker.io/weaveworks/weave-npc:1.9.4"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(annotations(client, ns))
                .containsEntry(LegacyIsolationAnnotation.KEY, LegacyIsolationAnnotation.VALUE));

        client.apps().daemonSets().inNamespace("kube-system").withName("weave-net").edit(ds -> {
            ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("docker.io/weaveworks/weave-kube:2.8.1");
            ds.getSpec().getTemplate().getSpec().getContainers().get(1).setImage("docker.io/weaveworks/weave-npc:2.8.1");
            return ds;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(annotations(client, ns))
                .doesNotContainKey(LegacyIsolationAnnotation.KEY));
        assertThat(get(client, name).getStatus().getCni().getVersion()).isEqualTo("2.8.1");
        deleteProfile(client, name);
    }

    @Test
    void lookAlikeTigeraOperatorInATenantNamespaceLeavesAFlannelClusterUnenforced() {
        String name = "p-" + id;
        String tenant = "tenant-" + id;
        namespace(client, tenant, Map.of("suite", id));
        daemonSet("kube-flannel", "kube-flannel-ds", container("kube-flannel", "ghcr.io/flannel-io/flannel:v0.25.1"));
        create(client, profile(name, Map.of("suite", id)));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "False", "CNIDoesNotEnforce"));

        // What any tenant can create: the old detector took this for Calico and turned Enforced True.
        client.apps().deployments().inNamespace(tenant).resource(new DeploymentBuilder().withNewMetadata()
                .withName("tigera-operator").withNamespace(tenant).addToLabels("k8s-app", "tigera-operator")
                .endMetadata().withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "x")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "x").endMetadata()
                .withNewSpec().withContainers(container("tigera-operator", "quay.io/tigera/operator:v1.34.0"))
                .endSpec().endTemplate().endSpec().build()).create();
        client.apps().daemonSets().inNamespace(tenant).resource(new DaemonSetBuilder().withNewMetadata()
                .withName("calico-node").withNamespace(tenant).endMetadata().withNewSpec().withNewSelector()
                .addToMatchLabels("app", "y").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "y").endMetadata().withNewSpec()
                .withContainers(container("calico-node", "quay.io/calico/node:v3.28.0")).endSpec().endTemplate()
                .endSpec().build()).create();
        daemonSets.add(new String[] {tenant, "calico-node"});
        // A change the operator does see, made after the look-alikes: once it shows, they were there too.
        client.apps().daemonSets().inNamespace("kube-flannel").withName("kube-flannel-ds").edit(ds -> {
            ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("ghcr.io/flannel-io/flannel:v0.25.2");
            return ds;
        });
        await().atMost(TIMEOUT).until(() -> "v0.25.2".equals(get(client, name).getStatus().getCni().getVersion()));
        assertThat(condition(client, name, "Enforced").getStatus()).isEqualTo("False");
        assertThat(get(client, name).getStatus().getCni().getName()).isEqualTo("flannel");
        assertThat(get(client, name).getStatus().getCni().getDetectedFrom()).doesNotContain(tenant);
        client.apps().deployments().inNamespace(tenant).withName("tigera-operator").delete();
        deleteProfile(client, name);
    }

    @Test
    void aDaemonSetBecomesEvidenceWhenItsPodsAreReady() {
        String name = "p-" + id;
        namespace(client, "rd-" + id, Map.of("suite", id));
        create(client, profile(name, Map.of("suite", id)));
        unreadyDaemonSet("kube-system", "calico-node", container("calico-node", "quay.io/calico/node:v3.28.0"));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "Unknown", "CNIEnforcementUnknown"));
        assertThat(condition(client, name, "Enforced").getMessage()).contains("no ready pods");

        markReady("kube-system", "calico-node");
        await().atMost(TIMEOUT).until(() -> conditionIs(client, name, "Enforced", "True", "CNIEnforces"));
        deleteProfile(client, name);
    }

    @Test
    void metricsNameTheDetectedCni() {
        daemonSet("kube-flannel", "kube-flannel-ds", container("kube-flannel", "ghcr.io/flannel-io/flannel:v0.25.1"));
        await().atMost(TIMEOUT).untilAsserted(() -> RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("isolation_cni_info{"))
                .body(containsString("name=\"flannel\""))
                .body(containsString("version=\"v0.25.1\""))
                .body(containsString("isolation_cni_catalog_override_valid 1.0")));
    }

    private static Container container(String name, String image) {
        return new ContainerBuilder().withName(name).withImage(image).build();
    }

    /** A DaemonSet whose pods are ready: no kubelet runs here, so the test writes the status itself. */
    private void daemonSet(String namespace, String name, Container... containers) {
        unreadyDaemonSet(namespace, name, containers);
        markReady(namespace, name);
    }

    private void unreadyDaemonSet(String namespace, String name, Container... containers) {
        DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(containers).endSpec().endTemplate().endSpec().build();
        client.apps().daemonSets().inNamespace(namespace).resource(ds).create();
        daemonSets.add(new String[] {namespace, name});
    }

    private void markReady(String namespace, String name) {
        DaemonSet ds = client.apps().daemonSets().inNamespace(namespace).withName(name).get();
        ds.setStatus(new DaemonSetStatusBuilder().withNumberReady(1).withDesiredNumberScheduled(1).build());
        client.apps().daemonSets().inNamespace(namespace).resource(ds).updateStatus();
    }

    private void catalogOverride(String yaml) {
        client.configMaps().inNamespace(OPERATOR_NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(CATALOG).withNamespace(OPERATOR_NS).endMetadata()
                .addToData("catalog.yaml", yaml).build()).createOr(NonDeletingOperation::update);
    }

    private List<Event> warnings() {
        return client.v1().events().inNamespace(OPERATOR_NS).list().getItems().stream()
                .filter(e -> "InvalidCatalogOverride".equals(e.getReason())).toList();
    }
}
