package dev.isolation.operator.cni.rules;

import dev.isolation.operator.cni.Capabilities;
import dev.isolation.operator.cni.CapabilityCatalog;
import dev.isolation.operator.cni.Support;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;

/**
 * One CNI a {@link CniRule} matched.
 *
 * @param name           {@code status.cni.name}
 * @param version        as found (image tag or kubelet version); nullable
 * @param evidence       human-readable evidence, e.g. {@code DaemonSet kube-system/cilium}
 * @param claimed        DaemonSets this match consumes: rules later in the order do not see them (canal's
 *                       calico-node and flannel parts are not calico and flannel of their own)
 * @param catalogKey     catalog entry to look up
 * @param catalogVersion version to look up
 * @param forced         capabilities that replace the catalog lookup; nullable
 * @param policySwitch   the CNI's own on/off setting for NetworkPolicy enforcement: {@link Support#YES} on,
 *                       {@link Support#NO} off, {@link Support#UNKNOWN} not set (the version range decides)
 * @param switchText     what set the switch, for messages (e.g. {@code --run-firewall=false}); nullable
 * @param note           remark prefixed to the capabilities' note; nullable
 * @param hintOnly       matched only through something that is not evidence on its own (e.g. an operator
 *                       Deployment without the CNI's DaemonSet): never more than Unknown
 */
public record Candidate(String name, String version, List<String> evidence, List<DaemonSet> claimed,
                        String catalogKey, String catalogVersion, Capabilities forced, Support policySwitch,
                        String switchText, String note, boolean hintOnly) {

    public Candidate {
        evidence = List.copyOf(evidence);
        claimed = List.copyOf(claimed);
        policySwitch = policySwitch == null ? Support.UNKNOWN : policySwitch;
    }

    /** A match looked up in the catalog under its own name and version. */
    public static Candidate of(String name, String version, List<String> evidence, List<DaemonSet> claimed) {
        return new Candidate(name, version, evidence, claimed, name, version, null, Support.UNKNOWN, null, null,
                false);
    }

    public Candidate withCatalog(String key, String atVersion) {
        return new Candidate(name, version, evidence, claimed, key, atVersion, forced, policySwitch, switchText, note,
                hintOnly);
    }

    public Candidate withEvidence(List<String> newEvidence) {
        return new Candidate(name, version, newEvidence, claimed, catalogKey, catalogVersion, forced, policySwitch,
                switchText, note, hintOnly);
    }

    public Candidate withForced(Capabilities capabilities) {
        return new Candidate(name, version, evidence, claimed, catalogKey, catalogVersion, capabilities, policySwitch,
                switchText, note, hintOnly);
    }

    /** The CNI's explicit enforcement switch: true on, false off. */
    public Candidate withSwitch(boolean on, String text) {
        return new Candidate(name, version, evidence, claimed, catalogKey, catalogVersion, forced,
                on ? Support.YES : Support.NO, text, note, hintOnly);
    }

    public Candidate withNote(String text) {
        return new Candidate(name, version, evidence, claimed, catalogKey, catalogVersion, forced, policySwitch,
                switchText, text, hintOnly);
    }

    public Candidate asHint(String why) {
        return new Candidate(name, version, evidence, claimed, catalogKey, catalogVersion, forced, policySwitch,
                switchText, why, true);
    }

    /**
     * Capabilities: an explicit switch beats the version range (API contract, "Explicit switches"): off means
     * nothing is enforced whatever the version; on means NetworkPolicy is enforced even when the tag is not a
     * version ({@code latest}, {@code stable}, none), while the optional features keep what the catalog says.
     * A hint is Unknown: it is not evidence.
     */
    public Capabilities resolve(CapabilityCatalog catalog) {
        Capabilities c = forced != null ? forced : catalog.lookup(catalogKey, catalogVersion);
        if (policySwitch == Support.NO) {
            c = Capabilities.none("NetworkPolicy enforcement switched off: " + switchText);
        } else if (policySwitch == Support.YES && c.ingress() != Support.YES) {
            c = new Capabilities(Support.YES, c.egress(), c.ipBlockExcept(), c.endPort(), c.sctp(), c.namedPorts(),
                    c.readsLegacyAnnotation(), "NetworkPolicy enforcement switched on: " + switchText
                    + (c.note() == null ? "" : "; " + c.note()));
        }
        if (hintOnly) {
            c = Capabilities.unknown(null);
        }
        if (note != null) {
            c = c.withNote(c.note() == null ? note : note + "; " + c.note());
        }
        return c;
    }
}
