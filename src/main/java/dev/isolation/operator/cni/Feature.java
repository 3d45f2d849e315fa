package dev.isolation.operator.cni;

/**
 * NetworkPolicy features beyond the ingress baseline whose support varies between CNIs.
 * Constant names are exactly the values of {@code status.unsupportedFeatures} in the API contract.
 * Declaration order is the sort order used in status lists.
 */
public enum Feature {
    /** Egress rules / {@code policyTypes: [Egress]}. */
    Egress,
    /** {@code ipBlock.except}. */
    IPBlockExcept,
    /** {@code ports[].endPort} (port ranges). */
    EndPort,
    /** {@code ports[].protocol: SCTP}. */
    SCTP,
    /** {@code ports[].port} given as a container port name. */
    NamedPorts
}
