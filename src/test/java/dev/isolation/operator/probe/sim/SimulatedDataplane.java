package dev.isolation.operator.probe.sim;

import dev.isolation.operator.netpol.Connection;
import dev.isolation.operator.netpol.NetworkPolicyEvaluator;
import dev.isolation.operator.netpol.Workload;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Whether a connection goes through: the reusable {@link NetworkPolicyEvaluator} over the policies
 * as a CNI of the given mode understands them.
 */
final class SimulatedDataplane {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private SimulatedDataplane() {
    }

    static boolean connects(CniMode mode, Map<String, Map<String, String>> namespaces, Collection<NetworkPolicy> policies,
                            Workload source, Workload destination, int port, String protocol) {
        switch (mode) {
            case NONE:
                return true;
            case BROKEN:
                return false;
            case SCTP_UNAVAILABLE:
                if (protocol.equals("SCTP")) {
                    return false;
                }
                break;
            default:
                break;
        }
        List<NetworkPolicy> understood = new ArrayList<>();
        for (NetworkPolicy p : policies) {
            NetworkPolicy copy = JSON.clone(p);
            if (understand(mode, copy)) {
                understood.add(copy);
            }
        }
        return new NetworkPolicyEvaluator(namespaces, understood)
                .evaluate(new Connection(source, destination, port, protocol)).allowed();
    }

    /** Rewrites the policy as the CNI sees it; false when the CNI ignores it completely. */
    private static boolean understand(CniMode mode, NetworkPolicy policy) {
        var spec = policy.getSpec();
        if (mode == CniMode.IGNORE_EGRESS) {
            List<String> types = spec.getPolicyTypes() == null || spec.getPolicyTypes().isEmpty()
                    ? List.of("Ingress") : spec.getPolicyTypes().stream().filter(t -> !t.equals("Egress")).toList();
            spec.setEgress(null);
            if (types.isEmpty()) {
                return false;
            }
            spec.setPolicyTypes(new ArrayList<>(types));
        }
        List<NetworkPolicyPort> ports = new ArrayList<>();
        if (spec.getIngress() != null) {
            spec.getIngress().forEach(r -> { if (r.getPorts() != null) ports.addAll(r.getPorts()); });
        }
        if (spec.getEgress() != null) {
            spec.getEgress().forEach(r -> { if (r.getPorts() != null) ports.addAll(r.getPorts()); });
        }
        for (NetworkPolicyPort port : ports) {
            if (mode == CniMode.IGNORE_END_PORT) {
                port.setEndPort(null);
            }
            if (mode == CniMode.NO_SCTP && "SCTP".equals(port.getProtocol())) {
                port.setProtocol("SCTP-not-understood");
            }
            if (mode == CniMode.NO_NAMED_PORTS && port.getPort() != null && port.getPort().getStrVal() != null) {
                port.setPort(new IntOrString("not-understood"));
            }
        }
        return true;
    }
}
