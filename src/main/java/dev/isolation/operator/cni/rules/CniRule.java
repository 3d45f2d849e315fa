package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.ClusterInventory;

import java.util.Optional;

/**
 * Recognises one CNI (or policy engine) in the evidence. One implementation per CNI; the order in which
 * {@link dev.isolation.operator.cni.CniDetector} runs them, and what each looks at, is documented once, in
 * {@code docs/cni-detection.md}.
 *
 * <p>Rules are pure and must never throw on odd input: every field of the inventory is untrusted.
 */
public interface CniRule {

    /**
     * @param evidence trusted evidence only: workloads of the system namespaces that have ready pods, without the
     *                 DaemonSets that rules earlier in the order claimed; ConfigMaps of the system namespaces; all
     *                 Nodes and CRD names
     * @return the match, or empty when this CNI is not there
     */
    Optional<Candidate> match(ClusterInventory evidence);
}
