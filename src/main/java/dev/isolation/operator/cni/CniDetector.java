package dev.isolation.operator.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Detects the cluster's CNI (and NetworkPolicy engine) from a {@link ClusterInventory}. Pure: no client calls.
 *
 * <h2>Signals</h2>
 * Only running workloads (DaemonSets, Deployments) and node facts (k3s) identify a CNI; a DaemonSet is matched
 * by its well-known name or by the image of one of its containers (registry ignored), so renamed Helm releases are
 * found too. ConfigMaps and env vars only refine a match (calico backend, AWS policy controller). CRDs alone never
 * identify a CNI, because they outlive uninstalls: they only appear as a hint in an {@code unknown} verdict.
 * <table>
 *   <caption>Signals per CNI</caption>
 *   <tr><td>gke-dataplane-v2</td><td>DaemonSet {@code anetd}</td></tr>
 *   <tr><td>canal</td><td>DaemonSet {@code canal} / {@code *-canal} (e.g. rke2-canal), or one DaemonSet with both a
 *       calico/node and a flannel container, or {@code calico-node} with {@code CALICO_NETWORKING_BACKEND=none}
 *       (env or its ConfigMap) beside a flannel DaemonSet</td></tr>
 *   <tr><td>calico</td><td>DaemonSet {@code calico-node} or a container with image {@code calico/node} /
 *       {@code calico/calico}; Deployment {@code tigera-operator} (image {@code tigera/operator}) when the DaemonSet
 *       is not there yet (version then unknown: the operator's version is not Calico's)</td></tr>
 *   <tr><td>cilium</td><td>DaemonSet {@code cilium} or image {@code cilium/cilium}</td></tr>
 *   <tr><td>antrea</td><td>DaemonSet {@code antrea-agent} or image {@code antrea-agent*}, {@code antrea-ubuntu*}</td></tr>
 *   <tr><td>ovn-kubernetes</td><td>DaemonSet {@code ovnkube-node}</td></tr>
 *   <tr><td>kube-ovn</td><td>DaemonSet {@code kube-ovn-cni}, Deployment {@code kube-ovn-controller}, image
 *       {@code kube-ovn}</td></tr>
 *   <tr><td>kube-router</td><td>DaemonSet {@code kube-router} or image {@code kube-router}; {@code --run-firewall=false}
 *       means no enforcement (default true)</td></tr>
 *   <tr><td>weave</td><td>DaemonSet {@code weave-net} or image {@code weave-kube}; no {@code weave-npc} container
 *       means no enforcement</td></tr>
 *   <tr><td>azure-npm</td><td>DaemonSet {@code azure-npm*} or image {@code azure-npm}</td></tr>
 *   <tr><td>aws-vpc-cni</td><td>DaemonSet {@code aws-node} or image {@code amazon-k8s-cni}; enforcement only when
 *       container {@code aws-eks-nodeagent} runs with {@code --enable-network-policy=true}; if ConfigMap
 *       {@code amazon-vpc-cni} then says {@code enable-network-policy-controller: false}, enforcement is
 *       unknown</td></tr>
 *   <tr><td>kindnet</td><td>DaemonSet {@code kindnet} or image {@code kindnetd}</td></tr>
 *   <tr><td>k3s</td><td>a Node labelled {@code node.kubernetes.io/instance-type=k3s} or with kubelet version
 *       {@code +k3s}; annotation {@code k3s.io/node-args} containing {@code --disable-network-policy} on any node
 *       means no enforcement; version = lowest kubelet version of the k3s nodes</td></tr>
 *   <tr><td>flannel</td><td>DaemonSet {@code kube-flannel-ds*} or a flannel image ({@code flannel-io/flannel},
 *       {@code flannel/flannel}, {@code coreos/flannel}, rancher mirrors); a {@code kube-network-policies}
 *       container in it means NetworkPolicy is enforced by that sidecar</td></tr>
 *   <tr><td>(policy engine)</td><td>a standalone DaemonSet {@code kube-network-policies} (or image of that
 *       name)</td></tr>
 * </table>
 *
 * <h2>Priority</h2>
 * Every CNI above that matches becomes a candidate, in the order of the table (most specific first: anetd is
 * Cilium inside, canal contains calico and flannel, which are then not candidates on their own). The verdict is:
 * <ol>
 *   <li>the first candidate that enforces NetworkPolicy (an enforcing policy engine beside a non-enforcing
 *       dataplane wins, e.g. calico beside aws-node, cilium chained on azure/aws);</li>
 *   <li>else, when a standalone kube-network-policies DaemonSet runs beside a candidate that does not enforce, that
 *       candidate's name and version with the capabilities of kube-network-policies;</li>
 *   <li>else the first candidate whose enforcement is unknown (never claim False when unsure);</li>
 *   <li>else the first candidate (it does not enforce);</li>
 *   <li>else {@code unknown}.</li>
 * </ol>
 * {@code detectedFrom} lists the winner's evidence first, then the other candidates' (comma-joined).
 *
 * <h2>Versions</h2>
 * The tag of the CNI's own image, as written (leading {@code v} kept), digest stripped; an untagged image is
 * {@code latest}; a digest-only image gives no version. k3s uses the kubelet version.
 */
public final class CniDetector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CniDetector() {
    }

    /** One matched CNI. Capabilities come from the catalog unless {@code forced}. */
    private record Finding(String name, String version, List<String> evidence, String catalogKey,
                           String catalogVersion, Capabilities forced, String note) {

        Capabilities resolve(CapabilityCatalog catalog) {
            Capabilities c = forced != null ? forced : catalog.lookup(catalogKey, catalogVersion);
            if (note != null) {
                c = c.withNote(c.note() == null ? note : note + "; " + c.note());
            }
            return c;
        }
    }

    /**
     * Detects the CNI. Never throws on odd input; returns {@link CniVerdict#UNKNOWN} when nothing is recognisable.
     *
     * @param inv     evidence; null is treated as empty
     * @param catalog capabilities; null means {@link CapabilityCatalog#builtIn()}
     */
    public static CniVerdict detect(ClusterInventory inv, CapabilityCatalog catalog) {
        ClusterInventory in = inv == null ? ClusterInventory.empty() : inv;
        CapabilityCatalog cat = catalog == null ? CapabilityCatalog.builtIn() : catalog;

        List<DaemonSet> daemonSets = sorted(in.daemonSets());
        List<Deployment> deployments = sorted(in.deployments());
        Set<DaemonSet> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Finding> findings = new ArrayList<>();

        gke(daemonSets, used).ifPresent(findings::add);
        findings.addAll(canal(daemonSets, in, used));
        calico(daemonSets, deployments, used).ifPresent(findings::add);
        simple("cilium", daemonSets, used, ds -> name(ds).equals("cilium"),
                img -> img.pathEndsWith("cilium/cilium")).ifPresent(findings::add);
        simple("antrea", daemonSets, used, ds -> name(ds).equals("antrea-agent"),
                img -> img.name().startsWith("antrea-agent") || img.name().startsWith("antrea-ubuntu")
                        || img.name().startsWith("antrea-photon")).ifPresent(findings::add);
        simple("ovn-kubernetes", daemonSets, used, ds -> name(ds).equals("ovnkube-node"),
                img -> false).ifPresent(findings::add);
        kubeOvn(daemonSets, deployments, used).ifPresent(findings::add);
        kubeRouter(daemonSets, used).ifPresent(findings::add);
        weave(daemonSets, used).ifPresent(findings::add);
        simple("azure-npm", daemonSets, used, ds -> name(ds).startsWith("azure-npm"),
                img -> img.name().equals("azure-npm")).ifPresent(findings::add);
        aws(daemonSets, in.configMaps(), used).ifPresent(findings::add);
        simple("kindnet", daemonSets, used, ds -> name(ds).equals("kindnet"),
                img -> img.name().equals("kindnetd")).ifPresent(findings::add);
        k3s(in.nodes()).ifPresent(findings::add);
        flannel(daemonSets, used).ifPresent(findings::add);
        Optional<Finding> knp = standaloneKnp(daemonSets, used);

        return decide(findings, knp, cat, in.crdNames());
    }

    // ------------------------------------------------------------------ decision

    private static CniVerdict decide(List<Finding> findings, Optional<Finding> knp, CapabilityCatalog catalog,
                                     Set<String> crdNames) {
        Map<Finding, Capabilities> caps = new LinkedHashMap<>();
        for (Finding f : findings) {
            caps.put(f, f.resolve(catalog));
        }
        Finding winner = first(caps, Support.YES);
        Capabilities winnerCaps = winner == null ? null : caps.get(winner);
        List<String> extraEvidence = new ArrayList<>();
        if (winner == null && knp.isPresent()) {
            Finding dataplane = first(caps, Support.NO);
            if (dataplane != null) {
                winner = dataplane;
                Finding k = knp.get();
                winnerCaps = k.resolve(catalog).withNote("NetworkPolicy enforced by kube-network-policies"
                        + (k.version() == null ? "" : " " + k.version()) + " beside " + dataplane.name());
                extraEvidence.addAll(k.evidence());
            }
        }
        if (winner == null) {
            winner = first(caps, Support.UNKNOWN);
            winnerCaps = winner == null ? null : caps.get(winner);
        }
        if (winner == null && !findings.isEmpty()) {
            winner = findings.get(0);
            winnerCaps = caps.get(winner);
        }
        if (winner == null) {
            if (knp.isPresent()) {
                return CniVerdict.unknown(String.join(", ", knp.get().evidence()),
                        "kube-network-policies runs but no known CNI was found");
            }
            String hint = crdHint(crdNames);
            return hint == null ? CniVerdict.UNKNOWN : CniVerdict.unknown(hint, "only CRDs were found");
        }
        Set<String> evidence = new LinkedHashSet<>(winner.evidence());
        evidence.addAll(extraEvidence);
        for (Finding f : findings) {
            evidence.addAll(f.evidence());
        }
        knp.ifPresent(k -> evidence.addAll(k.evidence()));
        return new CniVerdict(winner.name(), winner.version(), String.join(", ", evidence), winnerCaps,
                winnerCaps.readsLegacyAnnotation());
    }

    private static Finding first(Map<Finding, Capabilities> caps, Support enforcement) {
        return caps.entrySet().stream().filter(e -> e.getValue().enforcement() == enforcement)
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private static final Map<String, String> CRD_GROUPS = Map.of(
            "crd.projectcalico.org", "calico",
            "operator.tigera.io", "calico",
            "cilium.io", "cilium",
            "crd.antrea.io", "antrea",
            "kubeovn.io", "kube-ovn");

    private static String crdHint(Set<String> crdNames) {
        Set<String> groups = new java.util.TreeSet<>();
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

    // ------------------------------------------------------------------ per-CNI rules

    private static Optional<Finding> gke(List<DaemonSet> daemonSets, Set<DaemonSet> used) {
        List<DaemonSet> hits = daemonSets.stream().filter(ds -> name(ds).equals("anetd")).toList();
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        String version = containers(hits.get(0)).stream().findFirst().map(c -> image(c).version()).orElse(null);
        return Optional.of(new Finding("gke-dataplane-v2", version, refs("DaemonSet", hits), "gke-dataplane-v2",
                version, null, null));
    }

    private static List<Finding> canal(List<DaemonSet> daemonSets, ClusterInventory in, Set<DaemonSet> used) {
        List<Finding> out = new ArrayList<>();
        List<DaemonSet> hits = daemonSets.stream().filter(ds -> !used.contains(ds))
                .filter(ds -> name(ds).equals("canal") || name(ds).endsWith("-canal")
                        || (calicoContainer(ds).isPresent() && flannelContainer(ds).isPresent()))
                .toList();
        if (!hits.isEmpty()) {
            used.addAll(hits);
            String version = hits.stream().map(CniDetector::calicoContainer).flatMap(Optional::stream)
                    .map(c -> image(c).version()).filter(Objects::nonNull).findFirst().orElse(null);
            out.add(new Finding("canal", version, refs("DaemonSet", hits), "canal", version, null, null));
            return out;
        }
        // calico-node in policy-only mode (no networking backend) beside a separate flannel DaemonSet
        List<DaemonSet> calico = daemonSets.stream().filter(ds -> !used.contains(ds))
                .filter(CniDetector::isCalicoNode).toList();
        List<DaemonSet> flannel = daemonSets.stream().filter(ds -> !used.contains(ds))
                .filter(CniDetector::isFlannel).toList();
        if (!calico.isEmpty() && !flannel.isEmpty()) {
            DaemonSet node = calico.get(0);
            Optional<Container> c = calicoContainer(node);
            String backend = c.flatMap(cc -> env(node, cc, "CALICO_NETWORKING_BACKEND", in.configMaps()))
                    .orElse(null);
            if ("none".equalsIgnoreCase(backend == null ? null : backend.trim())) {
                used.addAll(calico);
                used.addAll(flannel);
                String version = c.map(cc -> image(cc).version()).orElse(null);
                List<String> ev = new ArrayList<>(refs("DaemonSet", calico));
                ev.addAll(refs("DaemonSet", flannel));
                out.add(new Finding("canal", version, ev, "canal", version, null, null));
            }
        }
        return out;
    }

    private static Optional<Finding> calico(List<DaemonSet> daemonSets, List<Deployment> deployments,
                                            Set<DaemonSet> used) {
        List<DaemonSet> hits = daemonSets.stream().filter(ds -> !used.contains(ds))
                .filter(CniDetector::isCalicoNode).toList();
        List<Deployment> operator = deployments.stream()
                .filter(d -> name(d).equals("tigera-operator")
                        || containers(template(d)).stream().anyMatch(c -> image(c).pathEndsWith("tigera/operator")))
                .toList();
        if (hits.isEmpty() && operator.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        List<String> ev = new ArrayList<>(refs("DaemonSet", hits));
        ev.addAll(refs("Deployment", operator));
        if (hits.isEmpty()) {
            return Optional.of(new Finding("calico", null, ev, "calico", null, null,
                    "Calico managed by the Tigera operator; calico-node not found, so the Calico version is unknown"));
        }
        String version = calicoContainer(hits.get(0)).map(c -> image(c).version()).orElse(null);
        return Optional.of(new Finding("calico", version, ev, "calico", version, null, null));
    }

    private static Optional<Finding> kubeOvn(List<DaemonSet> daemonSets, List<Deployment> deployments,
                                             Set<DaemonSet> used) {
        Predicate<ImageRef> img = i -> i.name().equals("kube-ovn");
        List<DaemonSet> hits = daemonSets.stream().filter(ds -> !used.contains(ds))
                .filter(ds -> name(ds).equals("kube-ovn-cni")).toList();
        List<Deployment> ctrl = deployments.stream().filter(d -> name(d).equals("kube-ovn-controller")).toList();
        if (hits.isEmpty() && ctrl.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        String version = Stream.concat(hits.stream().map(CniDetector::template), ctrl.stream().map(CniDetector::template))
                .flatMap(t -> containers(t).stream()).map(CniDetector::image).filter(img)
                .map(ImageRef::version).filter(Objects::nonNull).findFirst().orElse(null);
        List<String> ev = new ArrayList<>(refs("DaemonSet", hits));
        ev.addAll(refs("Deployment", ctrl));
        return Optional.of(new Finding("kube-ovn", version, ev, "kube-ovn", version, null, null));
    }

    private static Optional<Finding> kubeRouter(List<DaemonSet> daemonSets, Set<DaemonSet> used) {
        Predicate<ImageRef> img = i -> i.name().equals("kube-router");
        List<DaemonSet> hits = match(daemonSets, used, ds -> name(ds).equals("kube-router"), img);
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        DaemonSet ds = hits.get(0);
        Optional<Container> c = containers(ds).stream().filter(cc -> img.test(image(cc))).findFirst()
                .or(() -> containers(ds).stream().findFirst());
        String version = c.map(cc -> image(cc).version()).orElse(null);
        Optional<Boolean> firewall = c.flatMap(cc -> boolFlag(commandLine(cc), "run-firewall"));
        Capabilities forced = null;
        List<String> ev = refs("DaemonSet", hits);
        if (firewall.isPresent() && !firewall.get()) {
            forced = Capabilities.none("kube-router runs with --run-firewall=false, its network policy controller"
                    + " is off");
            ev = new ArrayList<>(ev);
            ev.set(0, ev.get(0) + " (--run-firewall=false)");
        }
        return Optional.of(new Finding("kube-router", version, ev, "kube-router", version, forced, null));
    }

    private static Optional<Finding> weave(List<DaemonSet> daemonSets, Set<DaemonSet> used) {
        Predicate<ImageRef> img = i -> i.name().equals("weave-kube");
        List<DaemonSet> hits = match(daemonSets, used, ds -> name(ds).equals("weave-net"), img);
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        DaemonSet ds = hits.get(0);
        Optional<Container> npc = containers(ds).stream()
                .filter(c -> "weave-npc".equals(c.getName()) || image(c).name().equals("weave-npc")).findFirst();
        String version = containers(ds).stream().filter(c -> img.test(image(c))).findFirst()
                .or(() -> npc).map(c -> image(c).version()).orElse(null);
        Capabilities forced = npc.isPresent() ? null
                : Capabilities.none("the weave-npc container is absent, so Weave Net enforces no NetworkPolicy");
        return Optional.of(new Finding("weave", version, refs("DaemonSet", hits), "weave", version, forced, null));
    }

    private static Optional<Finding> aws(List<DaemonSet> daemonSets, List<ConfigMap> configMaps,
                                         Set<DaemonSet> used) {
        Predicate<ImageRef> img = i -> i.name().equals("amazon-k8s-cni");
        List<DaemonSet> hits = match(daemonSets, used, ds -> name(ds).equals("aws-node"), img);
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        DaemonSet ds = hits.get(0);
        String version = containers(ds).stream().filter(c -> img.test(image(c))).findFirst()
                .map(c -> image(c).version()).orElse(null);
        Optional<Container> agent = containers(ds).stream()
                .filter(c -> "aws-eks-nodeagent".equals(c.getName())
                        || image(c).name().equals("aws-network-policy-agent")).findFirst();
        boolean agentOn = agent.flatMap(c -> boolFlag(commandLine(c), "enable-network-policy")).orElse(false);
        Optional<ConfigMap> cm = configMaps.stream().filter(m -> name(m).equals("amazon-vpc-cni")).findFirst();
        String controller = cm.map(ConfigMap::getData).map(d -> d.get("enable-network-policy-controller"))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse(null);
        List<String> ev = new ArrayList<>(refs("DaemonSet", hits));
        if (agent.isPresent()) {
            ev.set(0, ev.get(0) + " (container " + agent.get().getName() + " --enable-network-policy="
                    + agentOn + ")");
        }
        cm.filter(m -> controller != null).ifPresent(m -> ev.add("ConfigMap " + ns(m) + "/" + name(m)
                + " enable-network-policy-controller=" + controller));
        Capabilities forced = null;
        if (!agentOn) {
            forced = Capabilities.none(agent.isEmpty()
                    ? "no aws-eks-nodeagent container: the VPC CNI network policy agent is not installed"
                    : "the VPC CNI network policy agent runs without --enable-network-policy=true");
        } else if ("false".equals(controller)) {
            forced = Capabilities.unknown("the node agent has --enable-network-policy=true but ConfigMap"
                    + " amazon-vpc-cni sets enable-network-policy-controller=false");
        }
        return Optional.of(new Finding("aws-vpc-cni", version, ev, "aws-vpc-cni", version, forced, null));
    }

    private static Optional<Finding> k3s(List<Node> nodes) {
        List<Node> k3s = nodes.stream()
                .filter(n -> "k3s".equals(labels(n).get("node.kubernetes.io/instance-type"))
                        || Optional.ofNullable(kubeletVersion(n)).map(v -> v.contains("+k3s")).orElse(false))
                .sorted(Comparator.comparing(CniDetector::name)).toList();
        if (k3s.isEmpty()) {
            return Optional.empty();
        }
        String version = k3s.stream().map(CniDetector::kubeletVersion).filter(Objects::nonNull)
                .filter(v -> Version.parse(v).isPresent())
                .min(Comparator.comparing(v -> Version.parse(v).orElseThrow())).orElse(null);
        Node first = k3s.get(0);
        List<String> ev = new ArrayList<>();
        ev.add("Node " + name(first) + (kubeletVersion(first) == null ? "" : " (kubelet " + kubeletVersion(first) + ")"));
        Optional<Node> disabled = k3s.stream().filter(CniDetector::k3sPolicyDisabled).findFirst();
        Capabilities forced = null;
        if (disabled.isPresent()) {
            ev.add("Node " + name(disabled.get()) + " annotation k3s.io/node-args --disable-network-policy");
            forced = Capabilities.none("k3s runs with --disable-network-policy, its embedded network policy"
                    + " controller is off");
        }
        return Optional.of(new Finding("k3s", version, ev, "k3s", version, forced, null));
    }

    private static boolean k3sPolicyDisabled(Node n) {
        String args = annotations(n).get("k3s.io/node-args");
        if (args == null) {
            return false;
        }
        List<String> tokens = new ArrayList<>();
        try {
            JsonNode arr = JSON.readTree(args);
            if (arr != null && arr.isArray()) {
                arr.forEach(t -> tokens.add(t.asText()));
            }
        } catch (Exception e) {
            // not JSON: fall back to whitespace tokens
        }
        if (tokens.isEmpty()) {
            tokens.addAll(List.of(args.split("[\\s,\"\\[\\]]+")));
        }
        return boolFlag(tokens, "disable-network-policy").orElse(false);
    }

    private static Optional<Finding> flannel(List<DaemonSet> daemonSets, Set<DaemonSet> used) {
        List<DaemonSet> hits = daemonSets.stream().filter(ds -> !used.contains(ds)).filter(CniDetector::isFlannel)
                .toList();
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        DaemonSet ds = hits.get(0);
        String version = flannelContainer(ds).map(c -> image(c).version())
                .or(() -> initContainers(ds).stream().filter(c -> isFlannelImage(image(c))).findFirst()
                        .map(c -> image(c).version()))
                .orElse(null);
        Optional<DaemonSet> withSidecar = hits.stream().filter(d -> knpContainer(d).isPresent()).findFirst();
        if (withSidecar.isPresent()) {
            Container k = knpContainer(withSidecar.get()).orElseThrow();
            String kv = image(k).version();
            List<String> ev = new ArrayList<>(refs("DaemonSet", hits));
            int i = hits.indexOf(withSidecar.get());
            ev.set(i, ev.get(i) + " (container " + k.getName() + ")");
            return Optional.of(new Finding("flannel", version, ev, CapabilityCatalog.KUBE_NETWORK_POLICIES, kv, null,
                    "NetworkPolicy enforced by the kube-network-policies sidecar" + (kv == null ? "" : " " + kv)));
        }
        return Optional.of(new Finding("flannel", version, refs("DaemonSet", hits), "flannel", version, null, null));
    }

    private static Optional<Finding> standaloneKnp(List<DaemonSet> daemonSets, Set<DaemonSet> used) {
        List<DaemonSet> hits = match(daemonSets, used, ds -> name(ds).equals("kube-network-policies"),
                CniDetector::isKnpImage);
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        String version = hits.stream().map(CniDetector::knpContainer).flatMap(Optional::stream)
                .map(c -> image(c).version()).filter(Objects::nonNull).findFirst().orElse(null);
        return Optional.of(new Finding("unknown", version, refs("DaemonSet", hits),
                CapabilityCatalog.KUBE_NETWORK_POLICIES, version, null, null));
    }

    /** Name-or-image match; version from the first container with a matching image (else the first container). */
    private static Optional<Finding> simple(String cni, List<DaemonSet> daemonSets, Set<DaemonSet> used,
                                            Predicate<DaemonSet> byName, Predicate<ImageRef> byImage) {
        List<DaemonSet> hits = match(daemonSets, used, byName, byImage);
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        used.addAll(hits);
        DaemonSet ds = hits.get(0);
        String version = containers(ds).stream().filter(c -> byImage.test(image(c))).findFirst()
                .or(() -> containers(ds).stream().filter(c -> cniContainerName(cni).equals(c.getName())).findFirst())
                .or(() -> containers(ds).stream().findFirst())
                .map(c -> image(c).version()).orElse(null);
        return Optional.of(new Finding(cni, version, refs("DaemonSet", hits), cni, version, null, null));
    }

    private static String cniContainerName(String cni) {
        return switch (cni) {
            case "antrea" -> "antrea-agent";
            case "cilium" -> "cilium-agent";
            case "ovn-kubernetes" -> "ovnkube-controller";
            case "kindnet" -> "kindnet-cni";
            default -> cni;
        };
    }

    private static List<DaemonSet> match(List<DaemonSet> daemonSets, Set<DaemonSet> used, Predicate<DaemonSet> byName,
                                         Predicate<ImageRef> byImage) {
        return daemonSets.stream().filter(ds -> !used.contains(ds))
                .filter(ds -> byName.test(ds) || containers(ds).stream().anyMatch(c -> byImage.test(image(c))))
                .toList();
    }

    // ------------------------------------------------------------------ image / container predicates

    private static boolean isCalicoImage(ImageRef i) {
        return i.pathEndsWith("calico/node") || i.pathEndsWith("calico/calico");
    }

    private static Optional<Container> calicoContainer(DaemonSet ds) {
        List<Container> cs = containers(ds);
        return cs.stream().filter(c -> "calico-node".equals(c.getName()) && isCalicoImage(image(c))).findFirst()
                .or(() -> cs.stream().filter(c -> image(c).pathEndsWith("calico/node")).findFirst())
                .or(() -> cs.stream().filter(c -> "calico-node".equals(c.getName())).findFirst());
    }

    private static boolean isCalicoNode(DaemonSet ds) {
        return name(ds).equals("calico-node") || containers(ds).stream()
                .anyMatch(c -> image(c).pathEndsWith("calico/node")
                        || ("calico-node".equals(c.getName()) && isCalicoImage(image(c))));
    }

    private static boolean isFlannelImage(ImageRef i) {
        String n = i.name();
        return n.equals("flannel") || (n.startsWith("mirrored-flannel") && n.endsWith("-flannel"));
    }

    private static Optional<Container> flannelContainer(DaemonSet ds) {
        List<Container> cs = containers(ds);
        return cs.stream().filter(c -> isFlannelImage(image(c))).findFirst()
                .or(() -> cs.stream().filter(c -> "kube-flannel".equals(c.getName())).findFirst());
    }

    private static boolean isFlannel(DaemonSet ds) {
        return name(ds).startsWith("kube-flannel-ds") || flannelContainer(ds).isPresent();
    }

    private static boolean isKnpImage(ImageRef i) {
        return i.name().equals("kube-network-policies");
    }

    private static Optional<Container> knpContainer(DaemonSet ds) {
        return containers(ds).stream()
                .filter(c -> "kube-network-policies".equals(c.getName()) || isKnpImage(image(c))).findFirst();
    }

    // ------------------------------------------------------------------ model helpers (null-safe)

    private static <T extends HasMetadata> List<T> sorted(List<T> in) {
        return in.stream().sorted(Comparator.comparing((T r) -> ns(r)).thenComparing(CniDetector::name)).toList();
    }

    static String name(HasMetadata r) {
        return r.getMetadata() == null || r.getMetadata().getName() == null ? "" : r.getMetadata().getName();
    }

    static String ns(HasMetadata r) {
        return r.getMetadata() == null || r.getMetadata().getNamespace() == null ? "" : r.getMetadata().getNamespace();
    }

    private static Map<String, String> labels(HasMetadata r) {
        return r.getMetadata() == null || r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
    }

    private static Map<String, String> annotations(HasMetadata r) {
        return r.getMetadata() == null || r.getMetadata().getAnnotations() == null
                ? Map.of() : r.getMetadata().getAnnotations();
    }

    private static String kubeletVersion(Node n) {
        return n.getStatus() == null || n.getStatus().getNodeInfo() == null
                ? null : n.getStatus().getNodeInfo().getKubeletVersion();
    }

    private static List<String> refs(String kind, List<? extends HasMetadata> rs) {
        return rs.stream().map(r -> kind + " " + (ns(r).isEmpty() ? "" : ns(r) + "/") + name(r)).toList();
    }

    private static PodTemplateSpec template(DaemonSet ds) {
        return ds.getSpec() == null ? null : ds.getSpec().getTemplate();
    }

    private static PodTemplateSpec template(Deployment d) {
        return d.getSpec() == null ? null : d.getSpec().getTemplate();
    }

    private static List<Container> containers(DaemonSet ds) {
        return containers(template(ds));
    }

    private static List<Container> containers(PodTemplateSpec t) {
        PodSpec spec = t == null ? null : t.getSpec();
        return spec == null || spec.getContainers() == null
                ? List.of() : spec.getContainers().stream().filter(Objects::nonNull).toList();
    }

    private static List<Container> initContainers(DaemonSet ds) {
        PodTemplateSpec t = template(ds);
        PodSpec spec = t == null ? null : t.getSpec();
        return spec == null || spec.getInitContainers() == null
                ? List.of() : spec.getInitContainers().stream().filter(Objects::nonNull).toList();
    }

    private static ImageRef image(Container c) {
        return ImageRef.parse(c.getImage());
    }

    private static List<String> commandLine(Container c) {
        List<String> all = new ArrayList<>();
        if (c.getCommand() != null) {
            c.getCommand().stream().filter(Objects::nonNull).forEach(all::add);
        }
        if (c.getArgs() != null) {
            c.getArgs().stream().filter(Objects::nonNull).forEach(all::add);
        }
        return all;
    }

    /**
     * Go/pflag boolean flag: {@code --name}, {@code -name} (true), {@code --name=<bool>}; last occurrence wins.
     * Empty when the flag is absent or its value is not a Go boolean.
     */
    static Optional<Boolean> boolFlag(List<String> tokens, String flag) {
        Optional<Boolean> result = Optional.empty();
        for (String raw : tokens) {
            for (String t : raw.trim().split("\\s+")) {
                String body = t.startsWith("--") ? t.substring(2) : t.startsWith("-") ? t.substring(1) : null;
                if (body == null) {
                    continue;
                }
                if (body.equals(flag)) {
                    result = Optional.of(true);
                } else if (body.startsWith(flag + "=")) {
                    result = parseGoBool(body.substring(flag.length() + 1));
                }
            }
        }
        return result;
    }

    private static Optional<Boolean> parseGoBool(String v) {
        return switch (v.trim().replace("\"", "").replace("'", "")) {
            case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
            case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** Env var value of a container: literal, or from a ConfigMap key in the DaemonSet's namespace. */
    private static Optional<String> env(DaemonSet ds, Container c, String name, List<ConfigMap> configMaps) {
        if (c.getEnv() == null) {
            return Optional.empty();
        }
        for (EnvVar e : c.getEnv()) {
            if (e == null || !name.equals(e.getName())) {
                continue;
            }
            if (e.getValue() != null) {
                return Optional.of(e.getValue());
            }
            ConfigMapKeySelector ref = e.getValueFrom() == null ? null : e.getValueFrom().getConfigMapKeyRef();
            if (ref != null && ref.getName() != null && ref.getKey() != null) {
                return configMaps.stream()
                        .filter(m -> name(m).equals(ref.getName()) && ns(m).equals(ns(ds)))
                        .map(ConfigMap::getData).filter(Objects::nonNull)
                        .map(d -> d.get(ref.getKey())).filter(Objects::nonNull).findFirst();
            }
        }
        return Optional.empty();
    }
}
