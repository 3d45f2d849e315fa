package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;
import dev.isolation.operator.cni.ImageRef;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.isolation.operator.cni.rules.PodTemplates.boolFlag;
import static dev.isolation.operator.cni.rules.PodTemplates.commandLine;
import static dev.isolation.operator.cni.rules.PodTemplates.containers;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.name;
import static dev.isolation.operator.cni.rules.PodTemplates.refs;

/**
 * Kube-OVN: DaemonSet {@code kube-ovn-cni}; Deployment {@code kube-ovn-controller} beside it (alone only a hint).
 * Switch: {@code --enable-np} of kube-ovn-controller (default true), which programs the NetworkPolicy ACLs.
 */
public final class KubeOvnRule implements CniRule {

    private static final Predicate<ImageRef> IMAGE = i -> i.name().equals("kube-ovn");

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        List<DaemonSet> hits = evidence.daemonSets().stream().filter(ds -> name(ds).equals("kube-ovn-cni")).toList();
        List<Deployment> ctrl = evidence.deployments().stream()
                .filter(d -> name(d).equals("kube-ovn-controller")).toList();
        if (hits.isEmpty() && ctrl.isEmpty()) {
            return Optional.empty();
        }
        String version = Stream.concat(hits.stream().flatMap(ds -> containers(ds).stream()),
                        ctrl.stream().flatMap(d -> containers(d).stream()))
                .map(PodTemplates::image).filter(IMAGE).map(ImageRef::version).filter(Objects::nonNull)
                .findFirst().orElse(null);
        List<String> ev = new ArrayList<>(refs("DaemonSet", hits));
        ev.addAll(refs("Deployment", ctrl));
        Candidate c = Candidate.of("kube-ovn", version, ev, hits);
        if (hits.isEmpty()) {
            return Optional.of(c.asHint("kube-ovn-controller runs but no kube-ovn-cni DaemonSet with ready pods"));
        }
        Optional<Boolean> np = ctrl.stream().flatMap(d -> containers(d).stream())
                .map(k -> boolFlag(commandLine(k), "enable-np")).flatMap(Optional::stream).findFirst();
        return Optional.of(np.map(on -> c.withSwitch(on, "kube-ovn-controller --enable-np=" + on)).orElse(c));
    }
}
