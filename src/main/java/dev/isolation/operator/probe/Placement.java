package dev.isolation.operator.probe;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where servers and clients run: on two different nodes when the cluster has two nodes a plain
 * pod can be scheduled on (Ready, schedulable, no NoSchedule/NoExecute taint), so traffic crosses
 * the network between nodes; otherwise wherever the scheduler puts them.
 *
 * @param serverNode null: not pinned
 * @param clientNode null: not pinned
 */
public record Placement(String serverNode, String clientNode) {

    public static Placement choose(Collection<Node> nodes) {
        List<String> usable = nodes == null ? List.of() : nodes.stream().filter(Placement::usable)
                .map(n -> n.getMetadata().getLabels().get("kubernetes.io/hostname")).sorted().toList();
        return usable.size() < 2 ? new Placement(null, null) : new Placement(usable.get(0), usable.get(1));
    }

    private static boolean usable(Node node) {
        if (node == null || node.getMetadata() == null || node.getSpec() == null || node.getStatus() == null) {
            return false;
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        if (labels == null || labels.get("kubernetes.io/hostname") == null || Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        List<Taint> taints = node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        if (taints.stream().anyMatch(t -> t != null && ("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())))) {
            return false;
        }
        return node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
                .anyMatch(c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
