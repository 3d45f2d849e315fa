package dev.isolation.operator.cni.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.isolation.operator.cni.ClusterInventory;
import dev.isolation.operator.cni.Version;
import io.fabric8.kubernetes.api.model.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static dev.isolation.operator.cni.rules.PodTemplates.annotations;
import static dev.isolation.operator.cni.rules.PodTemplates.boolFlag;
import static dev.isolation.operator.cni.rules.PodTemplates.labels;
import static dev.isolation.operator.cni.rules.PodTemplates.name;

/**
 * k3s (embedded network policy controller): a Node labelled {@code node.kubernetes.io/instance-type=k3s} or with a
 * {@code +k3s} kubelet version; version = the lowest k3s kubelet version. Switch: {@code --disable-network-policy}
 * in the node annotation {@code k3s.io/node-args} (written by k3s itself; Nodes are not tenant-writable).
 */
public final class K3sRule implements CniRule {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLAG = "disable-network-policy";

    @Override
    public Optional<Candidate> match(ClusterInventory evidence) {
        List<Node> k3s = evidence.nodes().stream()
                .filter(n -> "k3s".equals(labels(n).get("node.kubernetes.io/instance-type"))
                        || Optional.ofNullable(kubeletVersion(n)).map(v -> v.contains("+k3s")).orElse(false))
                .sorted(Comparator.comparing(PodTemplates::name)).toList();
        if (k3s.isEmpty()) {
            return Optional.empty();
        }
        String version = k3s.stream().map(K3sRule::kubeletVersion).filter(Objects::nonNull)
                .filter(v -> Version.parse(v).isPresent())
                .min(Comparator.comparing(v -> Version.parse(v).orElseThrow())).orElse(null);
        Node first = k3s.get(0);
        List<String> ev = new ArrayList<>();
        ev.add("Node " + name(first) + (kubeletVersion(first) == null ? "" : " (kubelet " + kubeletVersion(first) + ")"));
        Candidate c = Candidate.of("k3s", version, ev, List.of());
        // Any node that disables the controller leaves its pods unprotected: off on one node is off.
        Optional<Node> disabled = k3s.stream().filter(n -> disableFlag(n).orElse(false)).findFirst();
        if (disabled.isPresent()) {
            ev.add("Node " + name(disabled.get()) + " annotation k3s.io/node-args --" + FLAG);
            return Optional.of(c.withEvidence(ev).withSwitch(false, "k3s --" + FLAG));
        }
        if (k3s.stream().anyMatch(n -> disableFlag(n).isPresent())) {
            return Optional.of(c.withSwitch(true, "k3s --" + FLAG + "=false"));
        }
        return Optional.of(c);
    }

    private static String kubeletVersion(Node n) {
        return n.getStatus() == null || n.getStatus().getNodeInfo() == null
                ? null : n.getStatus().getNodeInfo().getKubeletVersion();
    }

    private static Optional<Boolean> disableFlag(Node n) {
        String args = annotations(n).get("k3s.io/node-args");
        if (args == null) {
            return Optional.empty();
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
        return boolFlag(tokens, FLAG);
    }
}
