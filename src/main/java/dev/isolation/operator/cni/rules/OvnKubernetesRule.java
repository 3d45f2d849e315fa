package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;

import java.util.Optional;

import static dev.isolation.operator.cni.rules.PodTemplates.name;

/** OVN-Kubernetes: DaemonSet {@code ovnkube-node}. No off switch known. */
public final class OvnKubernetesRule implements CniRule {

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("ovn-kubernetes", evidence.daemonSets(), ds -> name(ds).equals("ovnkube-node"),
                img -> false, "ovnkube-controller");
    }
}
