package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.CapabilityCatalog;
import dev.isolation.operator.cni.ClusterInventory;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static dev.isolation.operator.cni.rules.PodTemplates.byNameOrImage;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.name;
import static dev.isolation.operator.cni.rules.PodTemplates.refs;

/**
 * The standalone policy engine kube-network-policies (DaemonSet or image of that name), which enforces
 * NetworkPolicy beside a CNI that does not. Not a CNI: its candidate is named {@code unknown} and the detector
 * pairs it with a non-enforcing CNI.
 */
public final class KubeNetworkPoliciesRule implements CniRule {

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        List<DaemonSet> hits = byNameOrImage(evidence.daemonSets(), ds -> name(ds).equals("kube-network-policies"),
                CniContainers::isKnpImage);
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        String version = hits.stream().map(CniContainers::knpContainer).flatMap(Optional::stream)
                .map(c -> image(c).version()).filter(Objects::nonNull).findFirst().orElse(null);
        return Optional.of(Candidate.of("unknown", version, refs("DaemonSet", hits), hits)
                .withCatalog(CapabilityCatalog.KUBE_NETWORK_POLICIES, version));
    }
}
