package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;
import dev.isolation.operator.cni.ImageRef;

import java.util.Optional;
import java.util.function.Predicate;

import static dev.isolation.operator.cni.rules.PodTemplates.boolFlag;
import static dev.isolation.operator.cni.rules.PodTemplates.commandLine;
import static dev.isolation.operator.cni.rules.PodTemplates.mainContainer;
import static dev.isolation.operator.cni.rules.PodTemplates.name;

/**
 * kindnet: DaemonSet {@code kindnet} or image {@code kindnetd}. Switch: {@code --network-policy} of kindnetd
 * (default true in the builds that have it; older builds have neither the flag nor policy support, so without the
 * flag the version range decides).
 */
public final class KindnetRule implements CniRule {

    private static final Predicate<ImageRef> IMAGE = img -> img.name().equals("kindnetd");

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("kindnet", evidence.daemonSets(), ds -> name(ds).equals("kindnet"), IMAGE,
                "kindnet-cni").map(c -> mainContainer(c.claimed().get(0), IMAGE, "kindnet-cni")
                .flatMap(k -> boolFlag(commandLine(k), "network-policy"))
                .map(on -> c.withSwitch(on, "--network-policy=" + on)).orElse(c));
    }
}
