package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.CapabilityCatalog;
import dev.isolation.operator.cni.ClusterInventory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.isolation.operator.cni.rules.CniContainers.flannelContainer;
import static dev.isolation.operator.cni.rules.CniContainers.isFlannelImage;
import static dev.isolation.operator.cni.rules.CniContainers.knpContainer;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.initContainers;
import static dev.isolation.operator.cni.rules.PodTemplates.refs;

/**
 * flannel: DaemonSet {@code kube-flannel-ds*} or a flannel image. flannel has no policy switch (it implements no
 * NetworkPolicy); a {@code kube-network-policies} sidecar in its DaemonSet enforces it, with that engine's
 * capabilities.
 */
public final class FlannelRule implements CniRule {

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        List<DaemonSet> hits = evidence.daemonSets().stream().filter(CniContainers::isFlannel).toList();
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        DaemonSet ds = hits.get(0);
        // not the flannel-cni-plugin init container's tag
        String version = flannelContainer(ds).map(c -> image(c).version())
                .or(() -> initContainers(ds).stream().filter(c -> isFlannelImage(image(c))).findFirst()
                        .map(c -> image(c).version()))
                .orElse(null);
        Candidate flannel = Candidate.of("flannel", version, refs("DaemonSet", hits), hits);
        Optional<DaemonSet> withSidecar = hits.stream().filter(d -> knpContainer(d).isPresent()).findFirst();
        if (withSidecar.isEmpty()) {
            return Optional.of(flannel);
        }
        Container k = knpContainer(withSidecar.get()).orElseThrow();
        String kv = image(k).version();
        List<String> ev = new ArrayList<>(flannel.evidence());
        int i = hits.indexOf(withSidecar.get());
        ev.set(i, ev.get(i) + " (container " + k.getName() + ")");
        return Optional.of(flannel.withEvidence(ev).withCatalog(CapabilityCatalog.KUBE_NETWORK_POLICIES, kv)
                .withNote("NetworkPolicy enforced by the kube-network-policies sidecar" + (kv == null ? "" : " " + kv)));
    }
}
