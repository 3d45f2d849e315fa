/**
 * Pure rendering of an IsolationProfile into the desired state of one namespace, and comparison
 * of that desired state with live objects. No I/O and no client calls: plain functions over fabric8
 * model objects, deterministic so the reconciler can diff instead of writing.
 *
 * <p>Decisions worth knowing (where the contract is silent):
 * <ul>
 *   <li>Cluster facts have three states per source: unknown (preset not rendered, its name is
 *       returned in {@code retainedPolicyNames} so an existing object is kept), known-empty (preset
 *       rendered with no rules, i.e. allowing nothing) and known.</li>
 *   <li>Only EndpointSlices in namespace {@code default} count as the API server's: a Service called
 *       "kubernetes" in any other namespace must not open egress.</li>
 *   <li>The renderer's input is a profile that passed
 *       {@link dev.isolation.operator.validation.ProfileValidator}, the one gate for everything the
 *       API server would reject: a policy named like a preset, a repeated name, a profile name too
 *       long to be the value of label {@code isolation.dev/profile}, and so on.</li>
 *   <li>If {@code namespaceAnnotations} contains the legacy isolation key, the operator's value wins
 *       whenever the legacy annotation applies; otherwise the user's entry passes through.</li>
 *   <li>Comparison ignores fields fabric8 does not model (the CRD and API server prune them).</li>
 * </ul>
 */
package dev.isolation.operator.render;
