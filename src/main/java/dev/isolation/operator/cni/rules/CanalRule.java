package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static dev.isolation.operator.cni.rules.CniContainers.calicoContainer;
import static dev.isolation.operator.cni.rules.CniContainers.flannelContainer;
import static dev.isolation.operator.cni.rules.PodTemplates.env;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.name;
import static dev.isolation.operator.cni.rules.PodTemplates.refs;

/**
 * Canal (flannel networking + Calico's Felix for policy): DaemonSet {@code canal} / {@code *-canal}, or one
 * DaemonSet with both a calico/node and a flannel container, or {@code calico-node} with
 * {@code CALICO_NETWORKING_BACKEND=none} (env or its ConfigMap) beside a flannel DaemonSet. Claims those
 * DaemonSets, so calico and flannel are not candidates of their own. No switch: Felix always enforces.
 */
public final class CanalRule implements CniRule {

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        List<DaemonSet> daemonSets = evidence.daemonSets();
        List<DaemonSet> hits = daemonSets.stream()
                .filter(ds -> name(ds).equals("canal") || name(ds).endsWith("-canal")
                        || (calicoContainer(ds).isPresent() && flannelContainer(ds).isPresent()))
                .toList();
        if (!hits.isEmpty()) {
            String version = hits.stream().map(CniContainers::calicoContainer).flatMap(Optional::stream)
                    .map(c -> image(c).version()).filter(Objects::nonNull).findFirst().orElse(null);
            return Optional.of(Candidate.of("canal", version, refs("DaemonSet", hits), hits));
        }
        // calico-node in policy-only mode (no networking backend) beside a separate flannel DaemonSet
        List<DaemonSet> calico = daemonSets.stream().filter(CniContainers::isCalicoNode).toList();
        List<DaemonSet> flannel = daemonSets.stream().filter(CniContainers::isFlannel).toList();
        if (calico.isEmpty() || flannel.isEmpty()) {
            return Optional.empty();
        }
        DaemonSet node = calico.get(0);
        Optional<Container> c = calicoContainer(node);
        String backend = c.flatMap(cc -> env(node, cc, "CALICO_NETWORKING_BACKEND", evidence.configMaps()))
                .map(String::trim).orElse("");
        if (!backend.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        List<DaemonSet> claimed = new ArrayList<>(calico);
        claimed.addAll(flannel);
        return Optional.of(Candidate.of("canal", c.map(cc -> image(cc).version()).orElse(null),
                refs("DaemonSet", claimed), claimed));
    }
}
