package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.isolation.operator.cni.rules.CniContainers.calicoContainer;
import static dev.isolation.operator.cni.rules.PodTemplates.containers;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.name;
import static dev.isolation.operator.cni.rules.PodTemplates.refs;

/**
 * Calico: DaemonSet {@code calico-node} or a calico/node (calico/calico) container. The Tigera operator's
 * Deployment ({@code tigera-operator}, image {@code tigera/operator}) is named beside it, and alone is only a
 * hint: the operator runs before, and without, a working calico-node. No switch: Felix always enforces.
 */
public final class CalicoRule implements CniRule {

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        List<DaemonSet> hits = evidence.daemonSets().stream().filter(CniContainers::isCalicoNode).toList();
        List<Deployment> operator = evidence.deployments().stream()
                .filter(d -> name(d).equals("tigera-operator")
                        || containers(d).stream().anyMatch(c -> image(c).pathEndsWith("tigera/operator")))
                .toList();
        if (hits.isEmpty() && operator.isEmpty()) {
            return Optional.empty();
        }
        List<String> ev = new ArrayList<>(refs("DaemonSet", hits));
        ev.addAll(refs("Deployment", operator));
        if (hits.isEmpty()) {
            return Optional.of(Candidate.of("calico", null, ev, hits).asHint("the Tigera operator runs but no "
                    + "calico-node DaemonSet with ready pods, so Calico is not known to enforce anything yet"));
        }
        String version = calicoContainer(hits.get(0)).map(c -> image(c).version()).orElse(null);
        return Optional.of(Candidate.of("calico", version, ev, hits));
    }
}
