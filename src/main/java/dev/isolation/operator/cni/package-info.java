/**
 * Pure CNI detection for the {@code Enforced} condition and {@code status.cni}: no Quarkus, no client calls.
 * <ol>
 *   <li>{@link dev.isolation.operator.cni.ClusterInventory}: what runs in the cluster (DaemonSets, Deployments,
 *       ConfigMaps, CRD names, Nodes).</li>
 *   <li>{@link dev.isolation.operator.cni.CniDetector#detect}: inventory + {@link
 *       dev.isolation.operator.cni.CapabilityCatalog} to a {@link dev.isolation.operator.cni.CniVerdict}, taking
 *       evidence only from ready workloads of the {@link dev.isolation.operator.cni.SystemNamespaces} and asking
 *       one {@link dev.isolation.operator.cni.rules.CniRule} per CNI (package {@code cni.rules}).</li>
 *   <li>{@link dev.isolation.operator.cni.FeatureAnalyzer#featuresUsed}: which optional
 *       {@link dev.isolation.operator.cni.Feature}s a profile's NetworkPolicies use.</li>
 *   <li>{@link dev.isolation.operator.cni.EnforcementAssessor#assess}: verdict + used features to an
 *       {@link dev.isolation.operator.cni.Enforcement} (status, reason, message, unsupported features).</li>
 * </ol>
 * The catalog format and the CNIs' enforcement switches are documented in {@code docs/cni-catalog.md}, the evidence
 * per CNI in {@code docs/cni-detection.md}.
 */
package dev.isolation.operator.cni;
