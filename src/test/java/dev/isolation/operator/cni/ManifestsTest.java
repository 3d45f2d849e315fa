package dev.isolation.operator.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The loader itself: real manifests must come out typed, with kind: List unwrapped. */
class ManifestsTest {

    @Test
    void calicoManifestLoadsTypedObjectsIncludingCrds() {
        List<KubernetesResource> objs = Manifests.load("fixtures/cni/calico.yaml");
        assertThat(objs).filteredOn(o -> o instanceof DaemonSet).hasSize(1);
        assertThat(objs).filteredOn(o -> o instanceof CustomResourceDefinition).hasSize(23);
        ClusterInventory inv = Manifests.real("calico");
        assertThat(inv.crdNames()).contains("ippools.crd.projectcalico.org",
                "clusternetworkpolicies.policy.networking.k8s.io");
        assertThat(inv.deployments()).extracting(d -> d.getMetadata().getName())
                .containsExactly("calico-kube-controllers");
        assertThat(inv.configMaps()).extracting(ConfigMap::getData).anySatisfy(d ->
                assertThat(d).containsEntry("calico_backend", "bird"));
    }

    @Test
    void weaveKindListIsUnwrapped() {
        ClusterInventory inv = Manifests.real("weave");
        assertThat(inv.daemonSets()).extracting(d -> d.getMetadata().getName()).containsExactly("weave-net");
        assertThat(inv.daemonSets().get(0).getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName()).containsExactly("weave", "weave-npc");
    }

    @Test
    void flannelAndCiliumLoad() {
        assertThat(Manifests.real("flannel").daemonSets()).extracting(d -> d.getMetadata().getNamespace() + "/"
                + d.getMetadata().getName()).containsExactly("kube-flannel/kube-flannel-ds");
        ClusterInventory cilium = Manifests.real("cilium");
        assertThat(cilium.daemonSets()).extracting(d -> d.getMetadata().getName()).containsExactly("cilium");
        assertThat(cilium.deployments()).extracting(d -> d.getMetadata().getName()).containsExactly("cilium-operator");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"calico.yaml", "cilium.yaml", "flannel.yaml", "weave.yaml"})
    void fixtureCopiesAreByteIdenticalToSourcesMd(String file) throws Exception {
        String sources = read("/fixtures/cni/SOURCES.md");
        byte[] bytes;
        try (var in = ManifestsTest.class.getResourceAsStream("/fixtures/cni/" + file)) {
            bytes = in.readAllBytes();
        }
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(sources).contains(sha + "  " + file);
    }

    private static String read(String resource) throws java.io.IOException {
        try (var in = ManifestsTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void minimalNodesLoad() {
        ClusterInventory k3s = Manifests.minimal("k3s");
        assertThat(k3s.nodes()).hasSize(2);
        assertThat(k3s.nodes().get(0).getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.30.4+k3s1");
    }
}
