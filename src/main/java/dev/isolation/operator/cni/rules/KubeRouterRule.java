package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;
import dev.isolation.operator.cni.ImageRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.isolation.operator.cni.rules.PodTemplates.boolFlag;
import static dev.isolation.operator.cni.rules.PodTemplates.commandLine;
import static dev.isolation.operator.cni.rules.PodTemplates.mainContainer;
import static dev.isolation.operator.cni.rules.PodTemplates.name;

/** kube-router: DaemonSet or image {@code kube-router}. Switch: {@code --run-firewall} (default true). */
public final class KubeRouterRule implements CniRule {

    private static final Predicate<ImageRef> IMAGE = img -> img.name().equals("kube-router");

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        return NameOrImageMatch.match("kube-router", evidence.daemonSets(), ds -> name(ds).equals("kube-router"),
                IMAGE, "kube-router").map(c -> {
                    Optional<Boolean> firewall = mainContainer(c.claimed().get(0), IMAGE, "kube-router")
                            .flatMap(k -> boolFlag(commandLine(k), "run-firewall"));
                    if (firewall.isEmpty()) {
                        return c;
                    }
                    String text = "--run-firewall=" + firewall.get();
                    List<String> ev = new ArrayList<>(c.evidence());
                    ev.set(0, ev.get(0) + " (" + text + ")");
                    return c.withEvidence(ev).withSwitch(firewall.get(), text);
                });
    }
}
