package dev.isolation.operator.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.isolation.operator.cni.Fixtures.container;
import static dev.isolation.operator.cni.Fixtures.daemonSet;
import static dev.isolation.operator.cni.Fixtures.deployment;
import static dev.isolation.operator.cni.Fixtures.unreadyDaemonSet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API contract, "Trust rules": evidence only from ready workloads of the system namespaces. Whatever a tenant
 * creates in its own namespace - by name, image or labels - never changes the verdict.
 */
class CniTrustTest {

    private static final CapabilityCatalog CATALOG = CapabilityCatalog.builtIn();
    private static final String TENANT = "team-a";

    private static CniVerdict detect(ClusterInventory inv) {
        return CniDetector.detect(inv, CATALOG, SystemNamespaces.DEFAULT);
    }

    private static ClusterInventory with(ClusterInventory base, List<DaemonSet> ds, List<Deployment> deps,
                                         List<ConfigMap> cms) {
        List<DaemonSet> allDs = new ArrayList<>(base.daemonSets());
        allDs.addAll(ds);
        List<Deployment> allDeps = new ArrayList<>(base.deployments());
        allDeps.addAll(deps);
        List<ConfigMap> allCms = new ArrayList<>(base.configMaps());
        allCms.addAll(cms);
        return new ClusterInventory(allDs, allDeps, allCms, base.crdNames(), base.nodes());
    }

    private static DaemonSet labelled(DaemonSet ds, Map<String, String> labels) {
        ds.getMetadata().setLabels(labels);
        ds.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withLabels(labels).build());
        return ds;
    }

    static Stream<Arguments> lookAlikes() {
        return Stream.of(
                Arguments.of("tigera-operator Deployment, 0 replicas", List.of(),
                        List.of(deployment(TENANT, "tigera-operator", 0,
                                container("tigera-operator", "quay.io/tigera/operator:v1.34.0")))),
                Arguments.of("tigera-operator Deployment, ready", List.of(),
                        List.of(deployment(TENANT, "tigera-operator", 1,
                                container("tigera-operator", "quay.io/tigera/operator:v1.34.0")))),
                Arguments.of("calico-node DaemonSet by name, ready", List.of(daemonSet(TENANT, "calico-node",
                        container("x", "busybox:1.36"))), List.of()),
                Arguments.of("DaemonSet with the cilium image, ready", List.of(daemonSet(TENANT, "agent",
                        container("cilium-agent", "quay.io/cilium/cilium:v1.16.1"))), List.of()),
                Arguments.of("DaemonSet with calico labels, ready", List.of(labelled(daemonSet(TENANT, "net",
                        container("c", "busybox:1.36")), Map.of("k8s-app", "calico-node"))), List.of()),
                Arguments.of("kube-network-policies DaemonSet, ready", List.of(daemonSet(TENANT,
                        "kube-network-policies", container("kube-network-policies",
                                "registry.k8s.io/networking/kube-network-policies:v0.6.1"))), List.of()),
                Arguments.of("kube-ovn-controller Deployment, ready", List.of(),
                        List.of(deployment(TENANT, "kube-ovn-controller", 1,
                                container("kube-ovn-controller", "docker.io/kubeovn/kube-ovn:v1.13.0")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookAlikes")
    void lookAlikeInATenantNamespaceChangesNothingOnFlannel(String what, List<DaemonSet> ds, List<Deployment> deps) {
        CniVerdict before = detect(Manifests.real("flannel"));
        CniVerdict after = detect(with(Manifests.real("flannel"), ds, deps, List.of()));
        assertThat(before.enforcesNetworkPolicy()).isEqualTo("False");
        assertThat(after).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookAlikes")
    void lookAlikeInATenantNamespaceAloneIsNothing(String what, List<DaemonSet> ds, List<Deployment> deps) {
        assertThat(detect(with(ClusterInventory.empty(), ds, deps, List.of()))).isSameAs(CniVerdict.UNKNOWN);
    }

    @Test
    void tenantConfigMapCannotFlipASwitch() {
        ClusterInventory inv = with(Manifests.minimal("aws-vpc-cni-agent-on"), List.of(), List.of(),
                List.of(Fixtures.configMap(TENANT, "amazon-vpc-cni", Map.of("enable-network-policy-controller",
                        "false")), Fixtures.configMap(TENANT, "cilium-config", Map.of("enable-policy", "never"))));
        assertThat(detect(inv).enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void aWorkloadWithoutNamespaceIsNotEvidence() {
        DaemonSet ds = daemonSet(null, "cilium", container("cilium-agent", "quay.io/cilium/cilium:v1.16.1"));
        assertThat(detect(Fixtures.daemonSets(ds))).isSameAs(CniVerdict.UNKNOWN);
    }

    @Test
    void anUnreadyDaemonSetIsOnlyAHint() {
        CniVerdict v = detect(Fixtures.daemonSets(unreadyDaemonSet("kube-system", "calico-node",
                container("calico-node", "quay.io/calico/node:v3.28.0"))));
        assertThat(v.name()).isEqualTo("calico");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("Unknown");
        assertThat(v.detectedFrom()).isEqualTo("DaemonSet kube-system/calico-node");
        assertThat(v.capabilities().note()).contains("no ready pods");
    }

    @Test
    void zeroReadyIsNotReady() {
        DaemonSet ds = daemonSet("kube-system", "cilium", container("cilium-agent", "quay.io/cilium/cilium:v1.16.1"));
        ds.getStatus().setNumberReady(0);
        assertThat(detect(Fixtures.daemonSets(ds)).enforcesNetworkPolicy()).isEqualTo("Unknown");
        ds.getStatus().setNumberReady(3);
        assertThat(detect(Fixtures.daemonSets(ds)).enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void anUnreadyEnforcingCniBesideAReadyFlannelIsMentionedButNotEvidence() {
        ClusterInventory inv = Fixtures.plus(Manifests.real("flannel"), unreadyDaemonSet("kube-system",
                "calico-node", container("calico-node", "quay.io/calico/node:v3.28.0")));
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("flannel");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("False");
        assertThat(v.detectedFrom()).isEqualTo("DaemonSet kube-flannel/kube-flannel-ds");
        assertThat(v.capabilities().note()).contains("not evidence: DaemonSet kube-system/calico-node");
    }

    @Test
    void theOperatorDeploymentInASystemNamespaceWithoutCalicoNodeIsUnknownNotTrue() {
        CniVerdict v = detect(new ClusterInventory(null, List.of(deployment("tigera-operator", "tigera-operator", 1,
                container("tigera-operator", "quay.io/tigera/operator:v1.34.0"))), null, null, null));
        assertThat(v.name()).isEqualTo("calico");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("Unknown");
        assertThat(v.capabilities().note()).contains("Tigera operator");
    }

    @Test
    void theOperatorDeploymentBesideFlannelLeavesItFalse() {
        ClusterInventory inv = with(Manifests.real("flannel"), List.of(), List.of(deployment("tigera-operator",
                "tigera-operator", 0, container("tigera-operator", "quay.io/tigera/operator:v1.34.0"))), List.of());
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("flannel");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("False");
    }

    @Test
    void configuredNamespacesAreAddedToTheDefaults() {
        SystemNamespaces sys = SystemNamespaces.withExtra(List.of(" my-cni ", "", "kube-system"));
        assertThat(sys.names()).containsAll(SystemNamespaces.DEFAULTS).contains("my-cni");
        assertThat(SystemNamespaces.withExtra(null).names()).containsExactlyInAnyOrderElementsOf(
                SystemNamespaces.DEFAULTS);
        ClusterInventory inv = Fixtures.daemonSets(daemonSet("my-cni", "cilium",
                container("cilium-agent", "quay.io/cilium/cilium:v1.16.1")));
        assertThat(CniDetector.detect(inv, CATALOG, SystemNamespaces.DEFAULT)).isSameAs(CniVerdict.UNKNOWN);
        assertThat(CniDetector.detect(inv, CATALOG, sys).name()).isEqualTo("cilium");
        assertThat(CniDetector.detect(inv, CATALOG, null)).isSameAs(CniVerdict.UNKNOWN);
    }
}
