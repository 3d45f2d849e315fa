package dev.isolation.operator.cni;

import dev.isolation.operator.cni.rules.AntreaRule;
import dev.isolation.operator.cni.rules.AwsVpcCniRule;
import dev.isolation.operator.cni.rules.AzureNpmRule;
import dev.isolation.operator.cni.rules.CalicoRule;
import dev.isolation.operator.cni.rules.Candidate;
import dev.isolation.operator.cni.rules.CanalRule;
import dev.isolation.operator.cni.rules.CiliumRule;
import dev.isolation.operator.cni.rules.CniRule;
import dev.isolation.operator.cni.rules.FlannelRule;
import dev.isolation.operator.cni.rules.GkeDataplaneV2Rule;
import dev.isolation.operator.cni.rules.K3sRule;
import dev.isolation.operator.cni.rules.KindnetRule;
import dev.isolation.operator.cni.rules.KubeNetworkPoliciesRule;
import dev.isolation.operator.cni.rules.KubeOvnRule;
import dev.isolation.operator.cni.rules.KubeRouterRule;
import dev.isolation.operator.cni.rules.OvnKubernetesRule;
import dev.isolation.operator.cni.rules.PodTemplates;
import dev.isolation.operator.cni.rules.WeaveRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Detects the cluster's CNI (and NetworkPolicy engine) from a {@link ClusterInventory}. Pure: no client calls.
 * What each rule looks at, the order and the choice between candidates are documented once, in
 * {@code docs/cni-detection.md}; adding a CNI is one {@link CniRule} and its place in {@link #RULES}.
 *
 * <p>Trust (API contract, "Trust rules"): only workloads of the {@link SystemNamespaces} count, and only those with
 * ready pods. The namespace filter is applied here as well as in the informers that build the inventory, so a
 * caller that passes more cannot widen it. Unready workloads and an operator Deployment without its DaemonSet are
 * hints: they are named, but never make enforcement more than Unknown.
 */
public final class CniDetector {

    /** Most specific first: gke's anetd is Cilium inside, canal contains calico and flannel. */
    static final List<CniRule> RULES = List.of(new GkeDataplaneV2Rule(), new CanalRule(), new CalicoRule(),
            new CiliumRule(), new AntreaRule(), new OvnKubernetesRule(), new KubeOvnRule(), new KubeRouterRule(),
            new WeaveRule(), new AzureNpmRule(), new AwsVpcCniRule(), new KindnetRule(), new K3sRule(),
            new FlannelRule());

    /** A policy engine that may run beside a non-enforcing CNI. */
    private static final CniRule POLICY_ENGINE = new KubeNetworkPoliciesRule();

    private CniDetector() {
    }

    /**
     * Detects the CNI. Never throws on odd input; returns {@link CniVerdict#UNKNOWN} when nothing is recognisable.
     *
     * @param inv     evidence; null is treated as empty. Workloads and ConfigMaps outside {@code system} are ignored.
     * @param catalog capabilities; null means {@link CapabilityCatalog#builtIn()}
     * @param system  where evidence may come from; null means {@link SystemNamespaces#DEFAULT}
     */
    public static CniVerdict detect(ClusterInventory inv, CapabilityCatalog catalog, SystemNamespaces system) {
        ClusterInventory in = inv == null ? ClusterInventory.empty() : inv;
        CapabilityCatalog cat = catalog == null ? CapabilityCatalog.builtIn() : catalog;
        SystemNamespaces sys = system == null ? SystemNamespaces.DEFAULT : system;

        List<DaemonSet> daemonSets = trusted(in.daemonSets(), sys);
        List<Deployment> deployments = trusted(in.deployments(), sys);
        ClusterInventory ready = new ClusterInventory(daemonSets.stream().filter(CniDetector::ready).toList(),
                deployments.stream().filter(CniDetector::ready).toList(), trusted(in.configMaps(), sys),
                in.crdNames(), in.nodes());
        Run run = run(ready);
        List<Candidate> evidence = run.candidates.stream().filter(c -> !c.hintOnly()).toList();
        List<Candidate> hints = new ArrayList<>(run.candidates.stream().filter(Candidate::hintOnly).toList());
        ClusterInventory unready = new ClusterInventory(daemonSets.stream().filter(d -> !ready(d)).toList(),
                deployments.stream().filter(d -> !ready(d)).toList(), ready.configMaps(), null, null);
        run(unready).candidates.forEach(c -> hints.add(c.asHint("no ready pods, so not evidence")));
        return decide(evidence, run.engine, hints, cat, in.crdNames());
    }

    private static <T extends HasMetadata> List<T> trusted(List<T> in, SystemNamespaces sys) {
        return PodTemplates.sorted(in.stream().filter(r -> sys.contains(PodTemplates.ns(r))).toList());
    }

    /** A DaemonSet with at least one ready pod. */
    public static boolean ready(DaemonSet ds) {
        Integer n = ds.getStatus() == null ? null : ds.getStatus().getNumberReady();
        return n != null && n > 0;
    }

    /** A Deployment with at least one ready replica. */
    public static boolean ready(Deployment d) {
        Integer n = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        return n != null && n > 0;
    }

    private record Run(List<Candidate> candidates, Optional<Candidate> engine) {
    }

    /** Every rule in order; a rule does not see the DaemonSets that earlier rules claimed. */
    private static Run run(ClusterInventory in) {
        Set<DaemonSet> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        Predicate<DaemonSet> free = ds -> !claimed.contains(ds);
        List<Candidate> out = new ArrayList<>();
        for (CniRule rule : RULES) {
            rule.match(without(in, free)).ifPresent(c -> {
                out.add(c);
                claimed.addAll(c.claimed());
            });
        }
        return new Run(out, POLICY_ENGINE.match(without(in, free)));
    }

    private static ClusterInventory without(ClusterInventory in, Predicate<DaemonSet> keep) {
        return new ClusterInventory(in.daemonSets().stream().filter(keep).toList(), in.deployments(), in.configMaps(),
                in.crdNames(), in.nodes());
    }

    // ------------------------------------------------------------------ decision

    private static CniVerdict decide(List<Candidate> candidates, Optional<Candidate> knp, List<Candidate> hints,
                                     CapabilityCatalog catalog, Set<String> crdNames) {
        Map<Candidate, Capabilities> caps = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            caps.put(c, c.resolve(catalog));
        }
        Candidate winner = first(caps, Support.YES);
        Capabilities winnerCaps = winner == null ? null : caps.get(winner);
        List<String> extraEvidence = new ArrayList<>();
        if (winner == null && knp.isPresent()) {
            Candidate dataplane = first(caps, Support.NO);
            if (dataplane != null) {
                winner = dataplane;
                Candidate k = knp.get();
                winnerCaps = k.resolve(catalog).withNote("NetworkPolicy enforced by kube-network-policies"
                        + (k.version() == null ? "" : " " + k.version()) + " beside " + dataplane.name());
                extraEvidence.addAll(k.evidence());
            }
        }
        if (winner == null) {
            winner = first(caps, Support.UNKNOWN);
            winnerCaps = winner == null ? null : caps.get(winner);
        }
        if (winner == null && !candidates.isEmpty()) {
            winner = candidates.get(0);
            winnerCaps = caps.get(winner);
        }
        if (winner == null) {
            if (knp.isPresent()) {
                return CniVerdict.unknown(String.join(", ", knp.get().evidence()),
                        "kube-network-policies runs but no known CNI was found");
            }
            if (!hints.isEmpty()) {
                return hintVerdict(hints, catalog);
            }
            String hint = crdHint(crdNames);
            return hint == null ? CniVerdict.UNKNOWN : CniVerdict.unknown(hint, "only CRDs were found");
        }
        Set<String> evidence = new LinkedHashSet<>(winner.evidence());
        evidence.addAll(extraEvidence);
        for (Candidate c : candidates) {
            evidence.addAll(c.evidence());
        }
        knp.ifPresent(k -> evidence.addAll(k.evidence()));
        if (!hints.isEmpty()) {
            String seen = "also seen, not evidence: " + String.join(", ", hintEvidence(hints));
            winnerCaps = winnerCaps.withNote(winnerCaps.note() == null ? seen : winnerCaps.note() + "; " + seen);
        }
        return new CniVerdict(winner.name(), winner.version(), String.join(", ", evidence), winnerCaps,
                winnerCaps.readsLegacyAnnotation());
    }

    /** Nothing but hints: the first hint's CNI, Unknown, naming what was seen. */
    private static CniVerdict hintVerdict(List<Candidate> hints, CapabilityCatalog catalog) {
        Candidate first = hints.get(0);
        return new CniVerdict(first.name(), first.version(), String.join(", ", hintEvidence(hints)),
                first.resolve(catalog), false);
    }

    private static List<String> hintEvidence(List<Candidate> hints) {
        return hints.stream().flatMap(h -> h.evidence().stream()).distinct().toList();
    }

    private static Candidate first(Map<Candidate, Capabilities> caps, Support enforcement) {
        return caps.entrySet().stream().filter(e -> e.getValue().enforcement() == enforcement)
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private static final Map<String, String> CRD_GROUPS = Map.of(
            "crd.projectcalico.org", "calico",
            "operator.tigera.io", "calico",
            "cilium.io", "cilium",
            "crd.antrea.io", "antrea",
            "kubeovn.io", "kube-ovn");

    /** CRDs outlive uninstalls, so they are only ever mentioned in an unknown verdict. */
    private static String crdHint(Set<String> crdNames) {
        Set<String> groups = new TreeSet<>();
        for (String crd : crdNames) {
            int dot = crd.indexOf('.');
            if (dot > 0 && CRD_GROUPS.containsKey(crd.substring(dot + 1))) {
                groups.add(crd.substring(dot + 1));
            }
        }
        if (groups.isEmpty()) {
            return null;
        }
        return "CRDs of " + String.join(", ", groups) + " without a running CNI workload";
    }
}
