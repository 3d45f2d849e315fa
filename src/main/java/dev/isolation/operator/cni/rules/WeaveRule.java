package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;
import dev.isolation.operator.cni.ImageRef;
import io.fabric8.kubernetes.api.model.Container;

import java.util.Optional;
import java.util.function.Predicate;

import static dev.isolation.operator.cni.rules.PodTemplates.containers;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.name;

/**
 * Weave Net: DaemonSet {@code weave-net} or image {@code weave-kube}. Switch: the {@code weave-npc} container
 * (Weave's network policy controller) runs beside the router, or not.
 */
public final class WeaveRule implements CniRule {

    private static final Predicate<ImageRef> IMAGE = img -> img.name().equals("weave-kube");

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("weave", evidence.daemonSets(), ds -> name(ds).equals("weave-net"), IMAGE,
                "weave").map(c -> {
                    Optional<Container> npc = containers(c.claimed().get(0)).stream()
                            .filter(k -> "weave-npc".equals(k.getName()) || image(k).name().equals("weave-npc"))
                            .findFirst();
                    if (npc.isEmpty()) {
                        return c.withSwitch(false, "no weave-npc container (Weave's network policy controller)");
                    }
                    return c.withSwitch(true, "container weave-npc");
                });
    }
}
