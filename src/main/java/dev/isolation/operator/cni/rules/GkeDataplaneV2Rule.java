package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;

import java.util.Optional;

import static dev.isolation.operator.cni.rules.PodTemplates.name;

/**
 * GKE Dataplane V2: DaemonSet {@code anetd} (Cilium inside, so it runs before the cilium rule and claims the
 * DaemonSet). No switch: Dataplane V2 always enforces NetworkPolicy.
 */
public final class GkeDataplaneV2Rule implements CniRule {

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("gke-dataplane-v2", evidence.daemonSets(), ds -> name(ds).equals("anetd"),
                img -> false, "cilium-agent");
    }
}
