package dev.isolation.operator.probe;

import dev.isolation.operator.api.ProbeCheck;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.List;
import java.util.Map;

/**
 * One client pod of a check: the policies in place while it runs, its extra labels, the one
 * connection it makes and what standard NetworkPolicy semantics say must happen.
 *
 * @param precondition a no-policy connection that must work for the check to mean anything:
 *                     when it fails the check is Inconclusive, not Failed
 * @param why          what the expectation rests on, for the Failed message
 */
public record ProbeStep(ProbeCheck check, String name, List<NetworkPolicySpec> policies, Map<String, String> clientLabels,
                        ServerKind server, int port, String protocol, boolean expectConnected, boolean precondition,
                        String why) {

    public ProbeStep {
        policies = List.copyOf(policies);
        clientLabels = Map.copyOf(clientLabels);
    }
}
