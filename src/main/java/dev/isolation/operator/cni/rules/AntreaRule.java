package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;

import java.util.Optional;

import static dev.isolation.operator.cni.rules.PodTemplates.name;

/** Antrea: DaemonSet {@code antrea-agent} or an antrea-agent image. No off switch for Kubernetes NetworkPolicy. */
public final class AntreaRule implements CniRule {

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("antrea", evidence.daemonSets(), ds -> name(ds).equals("antrea-agent"),
                img -> img.name().startsWith("antrea-agent") || img.name().startsWith("antrea-ubuntu")
                        || img.name().startsWith("antrea-photon"), "antrea-agent");
    }
}
