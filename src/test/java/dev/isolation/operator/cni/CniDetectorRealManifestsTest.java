package dev.isolation.operator.cni;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Detection on the unchanged upstream manifests of fixtures/cni (see SOURCES.md there). */
class CniDetectorRealManifestsTest {

    private static final CapabilityCatalog CATALOG = CapabilityCatalog.builtIn();

    @Test
    void calicoV3321Enforces() {
        CniVerdict v = CniDetector.detect(Manifests.real("calico"), CATALOG, SystemNamespaces.DEFAULT);
        assertThat(v.name()).isEqualTo("calico");
        assertThat(v.version()).isEqualTo("v3.32.1");
        assertThat(v.detectedFrom()).isEqualTo("DaemonSet kube-system/calico-node");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
        assertThat(v.capabilities()).isEqualTo(Capabilities.all(null));
        assertThat(v.readsLegacyAnnotation()).isFalse();
    }

    @Test
    void flannelV0289DoesNotEnforce() {
        CniVerdict v = CniDetector.detect(Manifests.real("flannel"), CATALOG, SystemNamespaces.DEFAULT);
        assertThat(v.name()).isEqualTo("flannel");
        assertThat(v.version()).isEqualTo("v0.28.9"); // not the flannel-cni-plugin init container's v1.9.1-flannel3
        assertThat(v.detectedFrom()).isEqualTo("DaemonSet kube-flannel/kube-flannel-ds");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("False");
        Enforcement e = EnforcementAssessor.assess(v, java.util.Set.of());
        assertThat(e.message()).isEqualTo("flannel v0.28.9 (DaemonSet kube-flannel/kube-flannel-ds) does not "
                + "implement NetworkPolicy; policies are stored but not enforced");
    }

    @Test
    void weaveLatestEnforcesWithNpc() {
        CniVerdict v = CniDetector.detect(Manifests.real("weave"), CATALOG, SystemNamespaces.DEFAULT);
        assertThat(v.name()).isEqualTo("weave");
        assertThat(v.version()).isEqualTo("latest");
        assertThat(v.detectedFrom()).isEqualTo("DaemonSet kube-system/weave-net");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
        // latest = newest range: egress yes, named ports no, not the pre-2.0 legacy annotation
        assertThat(v.capabilities().egress()).isEqualTo(Support.YES);
        assertThat(v.capabilities().namedPorts()).isEqualTo(Support.NO);
        assertThat(v.readsLegacyAnnotation()).isFalse();
    }

    @Test
    void ciliumLatestEnforces() {
        CniVerdict v = CniDetector.detect(Manifests.real("cilium"), CATALOG, SystemNamespaces.DEFAULT);
        assertThat(v.name()).isEqualTo("cilium");
        assertThat(v.version()).isEqualTo("latest");
        assertThat(v.detectedFrom()).isEqualTo("DaemonSet kube-system/cilium");
        assertThat(v.enforcesNetworkPolicy()).isEqualTo("True");
        assertThat(v.capabilities().endPort()).isEqualTo(Support.YES); // latest counts as newest (>= 1.16)
        assertThat(v.capabilities().sctp()).isEqualTo(Support.NO);
    }

    @Test
    void calicoBesideFlannelManifestWithBirdBackendIsCalicoNotCanal() {
        // calico.yaml's calico-node takes CALICO_NETWORKING_BACKEND from calico-config (= bird): not policy-only
        ClusterInventory both = Fixtures.allReady(
                Manifests.inventory("fixtures/cni/calico.yaml", "fixtures/cni/flannel.yaml"));
        CniVerdict v = CniDetector.detect(both, CATALOG, SystemNamespaces.DEFAULT);
        assertThat(v.name()).isEqualTo("calico");
        assertThat(v.detectedFrom())
                .isEqualTo("DaemonSet kube-system/calico-node, DaemonSet kube-flannel/kube-flannel-ds");
    }
}
