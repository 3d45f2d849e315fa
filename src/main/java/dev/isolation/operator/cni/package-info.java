/**
 * Pure CNI detection for the {@code Enforced} condition and {@code status.cni}: no Quarkus, no client calls.
 * <ol>
 *   <li>{@link dev.isolation.operator.cni.ClusterInventory}: what runs in the cluster (DaemonSets, Deployments,
 *       ConfigMaps, CRD names, Nodes).</li>
 *   <li>{@link dev.isolation.operator.cni.CniDetector#detect}: inventory + {@link
 *       dev.isolation.operator.cni.CapabilityCatalog} to a {@link dev.isolation.operator.cni.CniVerdict}.</li>
 *   <li>{@link dev.isolation.operator.cni.FeatureAnalyzer#featuresUsed}: which optional
 *       {@link dev.isolation.operator.cni.Feature}s a profile's NetworkPolicies use.</li>
 *   <li>{@link dev.isolation.operator.cni.EnforcementAssessor#assess}: verdict + used features to an
 *       {@link dev.isolation.operator.cni.Enforcement} (status, reason, message, unsupported features).</li>
 * </ol>
 * The catalog format is documented in {@code docs/cni-catalog.md}.
 */
package dev.isolation.operator.cni;
