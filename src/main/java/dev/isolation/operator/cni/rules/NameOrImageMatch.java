package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ImageRef;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.isolation.operator.cni.rules.PodTemplates.byNameOrImage;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.mainContainer;
import static dev.isolation.operator.cni.rules.PodTemplates.refs;

/** The common shape of a rule: DaemonSets matched by well-known name or image, version from the CNI's image. */
final class NameOrImageMatch {

    private NameOrImageMatch() {
    }

    /**
     * @param containerName the CNI's own container, for the version when no container image matches
     */
    static Optional<Candidate> match(String cni, List<DaemonSet> daemonSets, Predicate<DaemonSet> byName,
                                     Predicate<ImageRef> byImage, String containerName) {
        List<DaemonSet> hits = byNameOrImage(daemonSets, byName, byImage);
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        String version = mainContainer(hits.get(0), byImage, containerName).map(c -> image(c).version()).orElse(null);
        return Optional.of(Candidate.of(cni, version, refs("DaemonSet", hits), hits));
    }
}
