package dev.isolation.operator.probe.sim;

/** How the simulated dataplane treats NetworkPolicies. */
public enum CniMode {
    /** Standard NetworkPolicy semantics, everything enforced. */
    ENFORCING,
    /** Policies are stored but nothing enforces them (flannel alone). */
    NONE,
    /** Ingress enforced, egress rules and Egress policy types ignored. */
    IGNORE_EGRESS,
    /** endPort is ignored: a port range allows only its first port. */
    IGNORE_END_PORT,
    /** Rules naming SCTP ports are not understood and never match. */
    NO_SCTP,
    /** Named ports are not resolved: such rules never match. */
    NO_NAMED_PORTS,
    /** SCTP packets are not carried at all, with or without policy. */
    SCTP_UNAVAILABLE,
    /** Nothing connects, policy or not. */
    BROKEN,
    /** Client pods start and never terminate. */
    NEVER_TERMINATE,
    /** No pod can pull its image. */
    IMAGE_PULL_FAILURE
}
