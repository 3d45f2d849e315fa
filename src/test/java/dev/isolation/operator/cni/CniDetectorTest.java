package dev.isolation.operator.cni;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.isolation.operator.cni.Fixtures.container;
import static dev.isolation.operator.cni.Fixtures.daemonSet;
import static org.assertj.core.api.Assertions.assertThat;

/** Detection on hand-written minimal fixtures (fixtures/cni-minimal) and variants built in code. */
class CniDetectorTest {

    private static final CapabilityCatalog CATALOG = CapabilityCatalog.builtIn();

    private static CniVerdict detect(ClusterInventory inv) {
        return CniDetector.detect(inv, CATALOG, SystemNamespaces.DEFAULT);
    }

    static Stream<Arguments> minimalFixtures() {
        return Stream.of(
                // fixture, name, version, enforces, detectedFrom
                Arguments.of("tigera-operator", "calico", "v3.28.0", "True",
                        "DaemonSet calico-system/calico-node, Deployment tigera-operator/tigera-operator"),
                // the operator Deployment alone is a hint, never evidence
                Arguments.of("tigera-operator-only", "calico", null, "Unknown",
                        "Deployment tigera-operator/tigera-operator"),
                Arguments.of("canal", "canal", "v3.26.1", "True", "DaemonSet kube-system/canal"),
                Arguments.of("canal-split", "canal", "v3.27.3", "True",
                        "DaemonSet kube-system/calico-node, DaemonSet kube-flannel/kube-flannel-ds"),
                Arguments.of("antrea", "antrea", "v2.1.0", "True", "DaemonSet kube-system/antrea-agent"),
                Arguments.of("kube-router", "kube-router", "v2.1.3", "True",
                        "DaemonSet kube-system/kube-router (--run-firewall=true)"),
                Arguments.of("kube-router-no-firewall", "kube-router", "v2.1.3", "False",
                        "DaemonSet kube-system/kube-router (--run-firewall=false)"),
                Arguments.of("aws-vpc-cni-agent-on", "aws-vpc-cni", "v1.18.3-eksbuild.1", "True",
                        "DaemonSet kube-system/aws-node (container aws-eks-nodeagent --enable-network-policy=true), "
                                + "ConfigMap kube-system/amazon-vpc-cni enable-network-policy-controller=true"),
                Arguments.of("aws-vpc-cni-agent-off", "aws-vpc-cni", "v1.18.3-eksbuild.1", "False",
                        "DaemonSet kube-system/aws-node (container aws-eks-nodeagent --enable-network-policy=false), "
                                + "ConfigMap kube-system/amazon-vpc-cni enable-network-policy-controller=false"),
                Arguments.of("azure-npm", "azure-npm", "v1.5.34", "True", "DaemonSet kube-system/azure-npm"),
                Arguments.of("kindnet-old", "kindnet", "v20240513-cd2ac642", "False", "DaemonSet kube-system/kindnet"),
                Arguments.of("kindnet-new", "kindnet", "v20240813-c6f155d6", "True", "DaemonSet kube-system/kindnet"),
                Arguments.of("k3s", "k3s", "v1.30.4+k3s1", "True", "Node agent-0 (kubelet v1.30.4+k3s1)"),
                Arguments.of("k3s-no-netpol", "k3s", "v1.30.4+k3s1", "False",
                        "Node agent-0 (kubelet v1.30.4+k3s1), "
                                + "Node server-0 annotation k3s.io/node-args --disable-network-policy"),
                Arguments.of("ovn-kubernetes", "ovn-kubernetes", null, "True",
                        "DaemonSet openshift-ovn-kubernetes/ovnkube-node"),
                Arguments.of("kube-ovn", "kube-ovn", "v1.13.0", "True",
                        "DaemonSet kube-system/kube-ovn-cni, Deployment kube-system/kube-ovn-controller"),
                Arguments.of("gke-dataplane-v2", "gke-dataplane-v2", "v1.14.5-gke.1", "True",
                        "DaemonSet kube-system/anetd"),
                Arguments.of("flannel-knp-sidecar", "flannel", "v0.26.1", "True",
                        "DaemonSet kube-flannel/kube-flannel-ds (container kube-network-policies)"),
                Arguments.of("flannel-knp-standalone", "flannel", "v0.24.2", "True",
                        "DaemonSet kube-system/kube-flannel-ds, DaemonSet kube-system/kube-network-policies"),
                Arguments.of("unrelated", "unknown", null, "Unknown", null));
    }

    @ParameterizedTest(name = "{0} -> {1} {2} enforces={3}")
    @MethodSource("minimalFixtures")
    void detectsMinimalFixture(String fixture, String name, String version, String enforces, String detectedFrom) {
        CniVerdict v = detect(Manifests.minimal(fixture));
        assertThat(v.name()).isEqualTo(name);
        assertThat(v.version()).isEqualTo(version);
        assertThat(v.enforcesNetworkPolicy()).isEqualTo(enforces);
        assertThat(v.detectedFrom()).isEqualTo(detectedFrom);
    }

    @Test
    void emptyClusterIsTheUnknownVerdict() {
        assertThat(detect(ClusterInventory.empty())).isSameAs(CniVerdict.UNKNOWN);
        assertThat(CniDetector.detect(null, null, SystemNamespaces.DEFAULT)).isSameAs(CniVerdict.UNKNOWN);
        assertThat(CniVerdict.UNKNOWN.enforcesNetworkPolicy()).isEqualTo("Unknown");
        assertThat(CniVerdict.UNKNOWN.version()).isNull();
    }

    @Test
    void unrelatedWorkloadsAreUnknownNotAGuess() {
        assertThat(detect(Manifests.minimal("unrelated"))).isSameAs(CniVerdict.UNKNOWN);
    }

    @Test
    void leftoverCrdsAloneAreOnlyAHint() {
        ClusterInventory inv = new ClusterInventory(null, null, null,
                Set.of("ippools.crd.projectcalico.org", "felixconfigurations.crd.projectcalico.org",
                        "gateways.gateway.networking.k8s.io"), null);
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("unknown");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("Unknown");
        assertThat(v.detectedFrom()).isEqualTo("CRDs of crd.projectcalico.org without a running CNI workload");
    }

    @Test
    void kubeNetworkPoliciesWithoutKnownCniIsUnknown() {
        ClusterInventory inv = Fixtures.daemonSets(daemonSet("kube-system", "kube-network-policies",
                container("kube-network-policies", "registry.k8s.io/networking/kube-network-policies:v0.6.1")));
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("unknown");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("Unknown");
        assertThat(v.detectedFrom()).isEqualTo("DaemonSet kube-system/kube-network-policies");
    }

    @Test
    void flannelSidecarUsesKubeNetworkPoliciesCapabilities() {
        CniVerdict v = detect(Manifests.minimal("flannel-knp-sidecar"));
        assertThat(v.capabilities().egress()).isEqualTo(Support.YES);
        assertThat(v.capabilities().endPort()).isEqualTo(Support.YES);
        assertThat(v.capabilities().note()).contains("kube-network-policies").contains("v1.0.0");
    }

    @Test
    void standaloneKubeNetworkPoliciesBesideFlannelNotesTheEngine() {
        CniVerdict v = detect(Manifests.minimal("flannel-knp-standalone"));
        assertThat(v.capabilities().note()).isEqualTo("NetworkPolicy enforced by kube-network-policies v0.6.1 beside flannel");
    }

    @Test
    void standaloneKubeNetworkPoliciesBesideOldKindnet() {
        ClusterInventory inv = Fixtures.plus(Manifests.minimal("kindnet-old"), daemonSet("kube-system",
                "kube-network-policies", container("kube-network-policies",
                        "registry.k8s.io/networking/kube-network-policies:v0.6.1")));
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("kindnet");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void weaveWithoutNpcDoesNotEnforce() {
        ClusterInventory inv = Manifests.real("weave");
        inv.daemonSets().get(0).getSpec().getTemplate().getSpec().getContainers()
                .removeIf(c -> c.getName().equals("weave-npc"));
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("weave");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("False");
        assertThat(v.capabilities().note()).contains("weave-npc");
    }

    @Test
    void oldWeaveReadsLegacyAnnotation() {
        DaemonSet ds = daemonSet("kube-system", "weave-net", container("weave", "weaveworks/weave-kube:1.9.4"),
                container("weave-npc", "weaveworks/weave-npc:1.9.4"));
        CniVerdict v = detect(Fixtures.daemonSets(ds));
        assertThat(v.version()).isEqualTo("1.9.4");
        assertThat(v.readsLegacyAnnotation()).isTrue();
        assertThat(v.capabilities().egress()).isEqualTo(Support.NO);
        CniVerdict released = detect(Fixtures.daemonSets(daemonSet("kube-system", "weave-net",
                container("weave", "weaveworks/weave-kube:2.8.1"), container("weave-npc", "weaveworks/weave-npc:2.8.1"))));
        assertThat(released.readsLegacyAnnotation()).isFalse();
    }

    static Stream<Arguments> ciliumImages() {
        return Stream.of(
                Arguments.of("quay.io/cilium/cilium:v1.16.1@sha256:0b4a3ab41a4760d86b7fc945b8783747ba27f29dac30dd434d94f2c9e3679f39",
                        "v1.16.1", Support.YES),
                Arguments.of("quay.io/cilium/cilium:v1.15.6", "v1.15.6", Support.NO),
                Arguments.of("cilium/cilium:v1.16.0", "v1.16.0", Support.YES),
                Arguments.of("docker.io/cilium/cilium:latest", "latest", Support.YES),
                Arguments.of("quay.io/cilium/cilium@sha256:0b4a3ab41a4760d86b7fc945b8783747ba27f29dac30dd434d94f2c9e3679f39",
                        null, Support.UNKNOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciliumImages")
    void ciliumVersionFromImageTag(String image, String version, Support endPort) {
        CniVerdict v = detect(Fixtures.daemonSets(daemonSet("kube-system", "cilium", container("cilium-agent", image))));
        assertThat(v.name()).isEqualTo("cilium");
        assertThat(v.version()).isEqualTo(version);
        assertThat(v.capabilities().endPort()).isEqualTo(endPort);
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void ciliumFoundByImageUnderAnotherName() {
        CniVerdict v = detect(Fixtures.daemonSets(daemonSet("cilium", "cilium-agent-custom",
                container("agent", "quay.io/cilium/cilium:v1.14.2"))));
        assertThat(v.name()).isEqualTo("cilium");
        assertThat(v.detectedFrom()).isEqualTo("DaemonSet cilium/cilium-agent-custom");
    }

    @Test
    void ciliumEnvoyAloneIsNotCilium() {
        assertThat(detect(Fixtures.daemonSets(daemonSet("kube-system", "cilium-envoy",
                container("cilium-envoy", "quay.io/cilium/cilium-envoy:v1.29.7"))))).isSameAs(CniVerdict.UNKNOWN);
    }

    @Test
    void calicoPolicyEngineBesideAwsVpcCniWins() {
        ClusterInventory inv = Fixtures.plus(Manifests.minimal("aws-vpc-cni-agent-off"),
                daemonSet("kube-system", "calico-node", container("calico-node", "quay.io/calico/node:v3.28.1")));
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("calico");
        assertThat(v.version()).isEqualTo("v3.28.1");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
        assertThat(v.detectedFrom()).startsWith("DaemonSet kube-system/calico-node, DaemonSet kube-system/aws-node");
    }

    @Test
    void unifiedCalicoImageIsAccepted() {
        CniVerdict v = detect(Fixtures.daemonSets(daemonSet("kube-system", "calico-node",
                container("calico-node", "quay.io/calico/calico:v3.33.0"))));
        assertThat(v.name()).isEqualTo("calico");
        assertThat(v.version()).isEqualTo("v3.33.0");
    }

    @Test
    void calicoOnK3sWinsOverEmbeddedController() {
        ClusterInventory inv = Fixtures.plus(Manifests.minimal("k3s-no-netpol"),
                daemonSet("kube-system", "calico-node", container("calico-node", "docker.io/calico/node:v3.28.0")));
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("calico");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void awsAgentContainerMissingDoesNotEnforce() {
        ClusterInventory inv = Manifests.minimal("aws-vpc-cni-agent-on");
        inv.daemonSets().get(0).getSpec().getTemplate().getSpec().getContainers()
                .removeIf(c -> c.getName().equals("aws-eks-nodeagent"));
        CniVerdict v = detect(inv);
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("False");
        assertThat(v.capabilities().note()).contains("not installed");
    }

    @Test
    void awsAgentOnButControllerDisabledIsUnknown() {
        ClusterInventory on = Manifests.minimal("aws-vpc-cni-agent-on");
        on.configMaps().get(0).getData().put("enable-network-policy-controller", "false");
        CniVerdict v = detect(on);
        assertThat(v.name()).isEqualTo("aws-vpc-cni");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("Unknown");
    }

    @Test
    void awsAgentFlagWithoutValueMeansTrue() {
        DaemonSet ds = daemonSet("kube-system", "aws-node",
                container("aws-node", "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.0"),
                container("aws-eks-nodeagent", "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.2.0",
                        "--enable-network-policy"));
        assertThat(detect(Fixtures.daemonSets(ds)).enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void kubeRouterFirewallDefaultsToOn() {
        CniVerdict v = detect(Fixtures.daemonSets(daemonSet("kube-system", "kube-router",
                container("kube-router", "docker.io/cloudnativelabs/kube-router:v2.1.3", "--run-router=true"))));
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void canalSplitNeedsBackendNone() {
        ClusterInventory inv = Manifests.minimal("canal-split");
        inv.configMaps().get(0).getData().put("calico_backend", "bird");
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("calico");
    }

    @Test
    void rke2CanalByName() {
        CniVerdict v = detect(Fixtures.daemonSets(daemonSet("kube-system", "rke2-canal",
                container("calico-node", "rancher/hardened-calico:v3.28.1-build20240806"),
                container("kube-flannel", "rancher/hardened-flannel:v0.25.5-build20240801"))));
        assertThat(v.name()).isEqualTo("canal");
        assertThat(v.version()).isEqualTo("v3.28.1-build20240806");
    }

    @Test
    void oldPerArchFlannelDaemonSets() {
        CniVerdict v = detect(Fixtures.daemonSets(
                daemonSet("kube-system", "kube-flannel-ds-arm64", container("kube-flannel", "quay.io/coreos/flannel:v0.11.0-arm64")),
                daemonSet("kube-system", "kube-flannel-ds-amd64", container("kube-flannel", "quay.io/coreos/flannel:v0.11.0-amd64"))));
        assertThat(v.name()).isEqualTo("flannel");
        assertThat(v.version()).isEqualTo("v0.11.0-amd64");
        assertThat(v.detectedFrom())
                .isEqualTo("DaemonSet kube-system/kube-flannel-ds-amd64, DaemonSet kube-system/kube-flannel-ds-arm64");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("False");
    }

    @Test
    void k3sDetectedFromKubeletVersionAloneAndUsesLowestVersion() {
        ClusterInventory inv = new ClusterInventory(null, null, null, null, List.of(
                Fixtures.node("b", Map.of(), Map.of(), "v1.29.8+k3s1"),
                Fixtures.node("a", Map.of(), Map.of(), "v1.30.4+k3s1")));
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo("k3s");
        assertThat(v.version()).isEqualTo("v1.29.8+k3s1");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void k3sDisableFlagWithExplicitFalseKeepsPolicy() {
        ClusterInventory inv = new ClusterInventory(null, null, null, null, List.of(
                Fixtures.node("s", Map.of("node.kubernetes.io/instance-type", "k3s"),
                        Map.of("k3s.io/node-args", "[\"server\",\"--disable-network-policy=false\"]"), "v1.30.4+k3s1")));
        assertThat(detect(inv).enforcesNetworkPolicy()).isEqualTo("True");
    }

    @Test
    void rke2NodesAreNotK3s() {
        ClusterInventory inv = new ClusterInventory(null, null, null, null, List.of(
                Fixtures.node("s", Map.of(), Map.of(), "v1.30.4+rke2r1")));
        assertThat(detect(inv)).isSameAs(CniVerdict.UNKNOWN);
    }

    @Test
    void semverKindnetIsUnknownNotFalse() {
        CniVerdict v = detect(Fixtures.daemonSets(daemonSet("kube-system", "kindnet",
                container("kindnet-cni", "ghcr.io/aojea/kindnetd:v1.8.5"))));
        assertThat(v.name()).isEqualTo("kindnet");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("Unknown");
    }

    @Test
    void brokenObjectsDoNotCrash() {
        List<DaemonSet> weird = new ArrayList<>();
        weird.add(new DaemonSet());
        weird.add(new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder().withNewMetadata().withName("cilium")
                .withNamespace("kube-system").endMetadata().withNewStatus().withNumberReady(1).endStatus().build());
        CniVerdict v = detect(new ClusterInventory(weird, List.of(new io.fabric8.kubernetes.api.model.apps.Deployment()),
                List.of(new io.fabric8.kubernetes.api.model.ConfigMap()), Set.of(), List.of(new io.fabric8.kubernetes.api.model.Node())));
        assertThat(v.name()).isEqualTo("cilium");
        assertThat(v.version()).isNull();
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
    }
}
