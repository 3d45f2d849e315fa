package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;

import java.util.Optional;

import static dev.isolation.operator.cni.rules.PodTemplates.name;

/** Azure Network Policy Manager: DaemonSet {@code azure-npm*} or image {@code azure-npm}; it is the policy engine
 * itself, so its presence is the switch. */
public final class AzureNpmRule implements CniRule {

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("azure-npm", evidence.daemonSets(), ds -> name(ds).startsWith("azure-npm"),
                img -> img.name().equals("azure-npm"), "azure-npm");
    }
}
