package dev.isolation.operator.netpol;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One end of a connection: a pod (namespace, labels, IP, declared container ports) or, with a
 * null namespace, an address outside the cluster's pods that only ipBlock peers can match.
 */
public record Workload(String namespace, String name, Map<String, String> labels, String ip, List<ContainerPort> ports) {

    public Workload {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public static Workload external(String ip) {
        return new Workload(null, ip, Map.of(), ip, List.of());
    }

    /** A pod as the API server holds it; fields that are absent are treated as empty. */
    public static Workload of(Pod pod) {
        List<ContainerPort> ports = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                if (c != null && c.getPorts() != null) {
                    c.getPorts().stream().filter(p -> p != null).forEach(ports::add);
                }
            }
        }
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        return new Workload(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                pod.getMetadata().getLabels(), ip, ports);
    }

    public boolean isPod() {
        return namespace != null;
    }

    @Override
    public String toString() {
        return isPod() ? namespace + "/" + name : ip;
    }
}
