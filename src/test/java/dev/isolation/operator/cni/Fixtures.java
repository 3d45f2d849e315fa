package dev.isolation.operator.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;

import java.util.List;
import java.util.Map;

/** Small builders for hand-made inventories. */
final class Fixtures {

    private Fixtures() {
    }

    static Container container(String name, String image, String... args) {
        return new ContainerBuilder().withName(name).withImage(image).withArgs(List.of(args)).build();
    }

    /**
     * A DaemonSet with one ready pod ({@code status.numberReady: 1}): the detector takes evidence only from
     * workloads with ready pods, so tests say so explicitly.
     */
    static DaemonSet daemonSet(String namespace, String name, Container... containers) {
        DaemonSet ds = unreadyDaemonSet(namespace, name, containers);
        ds.setStatus(new DaemonSetStatusBuilder().withNumberReady(1).build());
        return ds;
    }

    /** A DaemonSet without status, as right after creation or when no pod ever became ready. */
    static DaemonSet unreadyDaemonSet(String namespace, String name, Container... containers) {
        return new DaemonSetBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withContainers(containers).endSpec().endTemplate()
                .endSpec().build();
    }

    /** A Deployment with {@code readyReplicas} ready pods (0: none). */
    static Deployment deployment(String namespace, String name, int readyReplicas, Container... containers) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withReplicas(readyReplicas).withNewTemplate().withNewSpec().withContainers(containers)
                .endSpec().endTemplate().endSpec()
                .withNewStatus().withReadyReplicas(readyReplicas).endStatus().build();
    }

    /**
     * Marks every DaemonSet and Deployment of the inventory ready (one pod). The upstream manifests in
     * fixtures/cni carry no status; a cluster that runs them has ready pods, which this states explicitly.
     */
    static ClusterInventory allReady(ClusterInventory inv) {
        inv.daemonSets().forEach(d -> d.setStatus(new DaemonSetStatusBuilder().withNumberReady(1).build()));
        inv.deployments().forEach(d -> d.setStatus(new DeploymentStatusBuilder().withReadyReplicas(1).build()));
        return inv;
    }

    static ConfigMap configMap(String namespace, String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(data).build();
    }

    static Node node(String name, Map<String, String> labels, Map<String, String> annotations, String kubelet) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations)
                .endMetadata().withNewStatus().withNewNodeInfo().withKubeletVersion(kubelet).endNodeInfo().endStatus()
                .build();
    }

    static ClusterInventory daemonSets(DaemonSet... ds) {
        return new ClusterInventory(List.of(ds), null, null, null, null);
    }

    /** Copy of an inventory with a DaemonSet added. */
    static ClusterInventory plus(ClusterInventory inv, DaemonSet ds) {
        List<DaemonSet> all = new java.util.ArrayList<>(inv.daemonSets());
        all.add(ds);
        return new ClusterInventory(all, inv.deployments(), inv.configMaps(), inv.crdNames(), inv.nodes());
    }
}
