/**
 * Pure: what standard NetworkPolicy semantics allow. Given pods (labels, IPs, named ports),
 * namespaces (labels) and NetworkPolicies, {@link dev.isolation.operator.netpol.NetworkPolicyEvaluator}
 * answers whether one connection is allowed and explains why. No I/O, no cluster access; reused by
 * the probe's simulated dataplane and meant for anything that explains a policy.
 */
package dev.isolation.operator.netpol;
