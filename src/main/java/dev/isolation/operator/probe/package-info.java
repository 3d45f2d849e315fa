/**
 * Pure planning and judging of the traffic probe ("Verification by probe" in the API contract):
 * which checks a profile needs, the pods and NetworkPolicies of every check, how a client's exit
 * code becomes a check result, and how check results become a profile's verification. The I/O
 * (creating pods, waiting, cleaning up, scheduling runs) is in {@code probe.live}.
 */
package dev.isolation.operator.probe;
