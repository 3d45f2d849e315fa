package dev.isolation.operator.render;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the cluster-dependent presets (kubeApiServer, nodes) are rendered from.
 *
 * <p>{@code Optional.empty()} means <em>unknown</em> (the source was never observed): the preset
 * is then not rendered and the existing object is retained. A present but empty list means the
 * cluster is known to have none, and the preset is rendered allowing nothing. The lists are
 * always sorted and de-duplicated, so two equal clusters give {@code equals} facts and the
 * reconciler can skip re-rendering when facts did not change.
 */
public record ClusterFacts(Optional<List<ApiServerEndpoint>> apiServerEndpoints, Optional<List<String>> nodeIps) {

    static final String KUBERNETES_SERVICE_NAMESPACE = "default";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String KUBERNETES_SERVICE_NAME = "kubernetes";
    static final String INTERNAL_IP = "InternalIP";

    public ClusterFacts {
        apiServerEndpoints = apiServerEndpoints == null ? Optional.empty() : apiServerEndpoints;
        nodeIps = nodeIps == null ? Optional.empty() : nodeIps;
        apiServerEndpoints = sortedDistinct(apiServerEndpoints);
        nodeIps = sortedDistinct(nodeIps.map(ClusterFacts::normaliseIps));
    }

    /** Nothing observed yet. */
    public static ClusterFacts unknown() {
        return new ClusterFacts(Optional.empty(), Optional.empty());
    }

    /** From already-extracted values; {@code null} means unknown. */
    public static ClusterFacts of(List<ApiServerEndpoint> apiServerEndpoints, List<String> nodeIps) {
        return new ClusterFacts(Optional.ofNullable(apiServerEndpoints), Optional.ofNullable(nodeIps));
    }

    /**
     * @param kubernetesSlices EndpointSlices as listed (may contain other services' slices, which are
     *                         ignored); {@code null}, or no slice of default/kubernetes, means unknown
     * @param nodes            all Nodes; {@code null} means unknown, empty means known to be none
     */
    public static ClusterFacts from(List<EndpointSlice> kubernetesSlices, Collection<Node> nodes) {
        return new ClusterFacts(apiServerEndpointsFrom(kubernetesSlices), nodeIpsFrom(nodes));
    }

    static Optional<List<ApiServerEndpoint>> apiServerEndpointsFrom(List<EndpointSlice> slices) {
        if (slices == null) {
            return Optional.empty();
        }
        List<EndpointSlice> ours = slices.stream().filter(ClusterFacts::isKubernetesServiceSlice).toList();
        if (ours.isEmpty()) {
            // The slice always exists in a working cluster; not seeing it means we do not know yet.
            return Optional.empty();
        }
        List<ApiServerEndpoint> result = new ArrayList<>();
        for (EndpointSlice slice : ours) {
            if ("FQDN".equals(slice.getAddressType())) {
                continue; // cannot be expressed as an ipBlock
            }
            for (Endpoint endpoint : nullSafe(slice.getEndpoints())) {
                if (!isReady(endpoint)) {
                    continue;
                }
                for (String address : nullSafe(endpoint.getAddresses())) {
                    IpLiterals.normalise(address).ifPresent(ip -> {
                        for (EndpointPort port : nullSafe(slice.getPorts())) {
                            // A null port means "all ports" in EndpointSlice terms; the kubernetes
                            // service never publishes that, and we refuse to widen to all ports.
                            if (port != null && port.getPort() != null) {
                                result.add(new ApiServerEndpoint(ip, port.getPort(), port.getProtocol()));
                            }
                        }
                    });
                }
            }
        }
        return Optional.of(result);
    }

    static Optional<List<String>> nodeIpsFrom(Collection<Node> nodes) {
        if (nodes == null) {
            return Optional.empty();
        }
        List<String> ips = new ArrayList<>();
        for (Node node : nodes) {
            if (node == null || node.getStatus() == null) {
                continue;
            }
            for (NodeAddress address : nullSafe(node.getStatus().getAddresses())) {
                if (address != null && INTERNAL_IP.equals(address.getType())) {
                    IpLiterals.normalise(address.getAddress()).ifPresent(ips::add);
                }
            }
        }
        return Optional.of(ips);
    }

    /**
     * Namespace is checked as well as the label: anyone may create a Service called "kubernetes"
     * in their own namespace, and must not thereby open API-server egress to arbitrary IPs.
     */
    private static boolean isKubernetesServiceSlice(EndpointSlice slice) {
        if (slice == null || slice.getMetadata() == null) {
            return false;
        }
        Map<String, String> labels = slice.getMetadata().getLabels();
        return KUBERNETES_SERVICE_NAMESPACE.equals(slice.getMetadata().getNamespace())
                && labels != null
                && KUBERNETES_SERVICE_NAME.equals(labels.get(SERVICE_NAME_LABEL));
    }

    /** EndpointConditions.ready: "nil should be interpreted as ready". */
    private static boolean isReady(Endpoint endpoint) {
        return endpoint != null
                && (endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady()));
    }

    private static <T extends Comparable<? super T>> Optional<List<T>> sortedDistinct(Optional<List<T>> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        TreeSet<T> set = new TreeSet<>();
        values.get().stream().filter(Objects::nonNull).forEach(set::add);
        return Optional.of(List.copyOf(set));
    }

    private static List<String> normaliseIps(List<String> ips) {
        return ips.stream()
                .filter(Objects::nonNull)
                .map(ip -> IpLiterals.normalise(ip)
                        .orElseThrow(() -> new IllegalArgumentException("not an IP address: " + ip)))
                .toList();
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
