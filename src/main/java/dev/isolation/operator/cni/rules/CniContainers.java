package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ImageRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;
import java.util.Optional;

import static dev.isolation.operator.cni.rules.PodTemplates.containers;
import static dev.isolation.operator.cni.rules.PodTemplates.image;
import static dev.isolation.operator.cni.rules.PodTemplates.name;

/** Container lookups shared by more than one rule: calico-node (calico, canal), flannel (flannel, canal), and
 * kube-network-policies (flannel sidecar, standalone engine). */
final class CniContainers {

    private CniContainers() {
    }

    static boolean isCalicoImage(ImageRef i) {
        return i.pathEndsWith("calico/node") || i.pathEndsWith("calico/calico");
    }

    static Optional<Container> calicoContainer(DaemonSet ds) {
        List<Container> cs = containers(ds);
        return cs.stream().filter(c -> "calico-node".equals(c.getName()) && isCalicoImage(image(c))).findFirst()
                .or(() -> cs.stream().filter(c -> image(c).pathEndsWith("calico/node")).findFirst())
                .or(() -> cs.stream().filter(c -> "calico-node".equals(c.getName())).findFirst());
    }

    static boolean isCalicoNode(DaemonSet ds) {
        return name(ds).equals("calico-node") || containers(ds).stream()
                .anyMatch(c -> image(c).pathEndsWith("calico/node")
                        || ("calico-node".equals(c.getName()) && isCalicoImage(image(c))));
    }

    static boolean isFlannelImage(ImageRef i) {
        String n = i.name();
        return n.equals("flannel") || (n.startsWith("mirrored-flannel") && n.endsWith("-flannel"));
    }

    static Optional<Container> flannelContainer(DaemonSet ds) {
        List<Container> cs = containers(ds);
        return cs.stream().filter(c -> isFlannelImage(image(c))).findFirst()
                .or(() -> cs.stream().filter(c -> "kube-flannel".equals(c.getName())).findFirst());
    }

    static boolean isFlannel(DaemonSet ds) {
        return name(ds).startsWith("kube-flannel-ds") || flannelContainer(ds).isPresent();
    }

    static boolean isKnpImage(ImageRef i) {
        return i.name().equals("kube-network-policies");
    }

    static Optional<Container> knpContainer(DaemonSet ds) {
        return containers(ds).stream()
                .filter(c -> "kube-network-policies".equals(c.getName()) || isKnpImage(image(c))).findFirst();
    }
}
