package dev.isolation.operator.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Read-only evidence about the cluster used for CNI detection. Pure data: no client calls.
 * Only names, namespaces, pod templates (containers, images, args, env), DaemonSet/Deployment readiness, ConfigMap
 * data, CRD names and node labels/annotations/nodeInfo are looked at. Null arguments become empty collections; null elements are dropped.
 *
 * @param daemonSets  DaemonSets, with their status (readiness is evidence); the detector ignores those outside the
 *                    {@link SystemNamespaces}
 * @param deployments Deployments, likewise
 * @param configMaps  ConfigMaps (only the few named ones matter, e.g. {@code kube-system/amazon-vpc-cni}), likewise
 * @param crdNames    CustomResourceDefinition names, e.g. {@code ippools.crd.projectcalico.org}
 * @param nodes       Nodes
 */
public record ClusterInventory(List<DaemonSet> daemonSets, List<Deployment> deployments, List<ConfigMap> configMaps,
                               Set<String> crdNames, List<Node> nodes) {

    public ClusterInventory {
        daemonSets = copy(daemonSets);
        deployments = copy(deployments);
        configMaps = copy(configMaps);
        nodes = copy(nodes);
        TreeSet<String> crds = new TreeSet<>();
        if (crdNames != null) {
            crdNames.stream().filter(Objects::nonNull).forEach(crds::add);
        }
        crdNames = java.util.Collections.unmodifiableSet(crds);
    }

    private static <T> List<T> copy(List<T> in) {
        return in == null ? List.of() : in.stream().filter(Objects::nonNull).toList();
    }

    public static ClusterInventory empty() {
        return new ClusterInventory(null, null, null, null, null);
    }

    /**
     * Sorts arbitrary resources into an inventory: DaemonSets, Deployments, ConfigMaps, CRDs (by name), Nodes;
     * {@link KubernetesList}s are unwrapped; everything else is ignored.
     */
    public static ClusterInventory of(Collection<?> resources) {
        List<DaemonSet> ds = new ArrayList<>();
        List<Deployment> deps = new ArrayList<>();
        List<ConfigMap> cms = new ArrayList<>();
        Set<String> crds = new TreeSet<>();
        List<Node> nodes = new ArrayList<>();
        List<Object> queue = new ArrayList<>(resources == null ? List.of() : resources);
        for (int i = 0; i < queue.size(); i++) {
            Object r = queue.get(i);
            if (r instanceof KubernetesList list && list.getItems() != null) {
                queue.addAll(list.getItems());
            } else if (r instanceof DaemonSet d) {
                ds.add(d);
            } else if (r instanceof Deployment d) {
                deps.add(d);
            } else if (r instanceof ConfigMap c) {
                cms.add(c);
            } else if (r instanceof CustomResourceDefinition c && c.getMetadata() != null
                    && c.getMetadata().getName() != null) {
                crds.add(c.getMetadata().getName());
            } else if (r instanceof io.fabric8.kubernetes.api.model.apiextensions.v1beta1.CustomResourceDefinition c
                    && c.getMetadata() != null && c.getMetadata().getName() != null) {
                crds.add(c.getMetadata().getName());
            } else if (r instanceof Node n) {
                nodes.add(n);
            } else if (r instanceof HasMetadata) {
                // not evidence for CNI detection
            }
        }
        return new ClusterInventory(ds, deps, cms, crds, nodes);
    }

}
