package dev.isolation.operator.api;

/** How enforcement is verified: from what runs in the cluster, or by an active traffic probe. */
public enum VerificationMethod {
    Detect, Probe
}
