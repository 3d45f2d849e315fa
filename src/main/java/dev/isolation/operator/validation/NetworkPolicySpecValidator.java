package dev.isolation.operator.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API server's ValidateNetworkPolicySpec (pkg/apis/networking/validation) for a
 * networking.k8s.io/v1 NetworkPolicySpec, plus two stricter rules noted inline. A policy template
 * is stamped into every selected namespace, so catching an error here turns N failed applies into
 * one clear status message.
 *
 * <p>Errors come parents first, then fields in the order the contract's example lists them:
 * podSelector, policyTypes, ingress (from, ports), egress (to, ports); within a peer ipBlock,
 * namespaceSelector, podSelector; within a port protocol, port, endPort.
 */
public final class NetworkPolicySpecValidator {

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");

    private NetworkPolicySpecValidator() {
    }

    public static List<FieldError> validate(String path, NetworkPolicySpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec == null) {
            errors.add(new FieldError(path, "Required value"));
            return errors;
        }
        // Stricter than the API server, which decodes a missing podSelector as {} (all pods). In a
        // template stamped everywhere, "select every pod" should be written down, not implied.
        if (spec.getPodSelector() == null) {
            errors.add(new FieldError(path + ".podSelector", "Required value: use {} to select all pods in the namespace"));
        } else {
            errors.addAll(LabelSelectorValidator.validate(path + ".podSelector", spec.getPodSelector()));
        }
        validatePolicyTypes(path + ".policyTypes", spec.getPolicyTypes(), errors);
        List<NetworkPolicyIngressRule> ingress = orEmpty(spec.getIngress());
        for (int i = 0; i < ingress.size(); i++) {
            String rulePath = path + ".ingress[" + i + "]";
            NetworkPolicyIngressRule rule = ingress.get(i);
            if (rule == null) {
                continue; // JSON null rule: the API server decodes it as {} (allow from everywhere), which is valid
            }
            validatePeers(rulePath + ".from", rule.getFrom(), errors);
            validatePorts(rulePath + ".ports", rule.getPorts(), errors);
        }
        List<NetworkPolicyEgressRule> egress = orEmpty(spec.getEgress());
        for (int i = 0; i < egress.size(); i++) {
            String rulePath = path + ".egress[" + i + "]";
            NetworkPolicyEgressRule rule = egress.get(i);
            if (rule == null) {
                continue;
            }
            validatePeers(rulePath + ".to", rule.getTo(), errors);
            validatePorts(rulePath + ".ports", rule.getPorts(), errors);
        }
        return errors;
    }

    private static void validatePolicyTypes(String path, List<String> types, List<FieldError> errors) {
        if (types == null) {
            return;
        }
        if (types.size() > POLICY_TYPES.size()) {
            // The API server stops here too: per-entry errors would only repeat the point.
            errors.add(new FieldError(path, "may not specify more than two policyTypes"));
            return;
        }
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            if (!POLICY_TYPES.contains(type)) {
                errors.add(new FieldError(path + "[" + i + "]",
                        "Unsupported value: \"" + type + "\": supported values: \"Ingress\", \"Egress\""));
            } else if (types.subList(0, i).contains(type)) {
                // Stricter than the API server, which accepts [Ingress, Ingress]; a duplicate is a typo
                // for the other type far more often than intended.
                errors.add(new FieldError(path + "[" + i + "]", "Duplicate value: \"" + type + "\""));
            }
        }
    }

    private static void validatePeers(String path, List<NetworkPolicyPeer> peers, List<FieldError> errors) {
        List<NetworkPolicyPeer> list = orEmpty(peers);
        for (int i = 0; i < list.size(); i++) {
            validatePeer(path + "[" + i + "]", list.get(i), errors);
        }
    }

    private static void validatePeer(String path, NetworkPolicyPeer peer, List<FieldError> errors) {
        if (peer == null || (peer.getIpBlock() == null && peer.getPodSelector() == null && peer.getNamespaceSelector() == null)) {
            // An empty peer would be read by nobody the same way: the API server refuses it.
            errors.add(new FieldError(path, "Required value: must specify a peer (ipBlock, podSelector and/or namespaceSelector)"));
            return;
        }
        if (peer.getIpBlock() != null && (peer.getPodSelector() != null || peer.getNamespaceSelector() != null)) {
            errors.add(new FieldError(path, "Forbidden: may not specify both ipBlock and another peer; "
                    + "use separate peers to allow either"));
        }
        if (peer.getIpBlock() != null) {
            validateIpBlock(path + ".ipBlock", peer.getIpBlock(), errors);
        }
        errors.addAll(LabelSelectorValidator.validate(path + ".namespaceSelector", peer.getNamespaceSelector()));
        errors.addAll(LabelSelectorValidator.validate(path + ".podSelector", peer.getPodSelector()));
    }

    private static void validateIpBlock(String path, IPBlock block, List<FieldError> errors) {
        String cidrText = block.getCidr();
        if (cidrText == null || cidrText.isEmpty()) {
            errors.add(new FieldError(path + ".cidr", "Required value"));
            return;
        }
        KubernetesSyntax.cidrProblem(cidrText).ifPresent(p -> errors.add(new FieldError(path + ".cidr", p)));
        // Like the API server (ParseCIDRSloppy), compare excepts against the network even when the
        // cidr itself was rejected for host bits, so all problems show up in one pass.
        Optional<Cidr> cidr = KubernetesSyntax.parseCidr(cidrText).map(Cidr::masked);
        if (cidr.isEmpty()) {
            return;
        }
        List<String> except = orEmpty(block.getExcept());
        for (int i = 0; i < except.size(); i++) {
            String exceptPath = path + ".except[" + i + "]";
            String exceptText = except.get(i);
            KubernetesSyntax.cidrProblem(exceptText).ifPresent(p -> errors.add(new FieldError(exceptPath, p)));
            Optional<Cidr> parsed = KubernetesSyntax.parseCidr(exceptText);
            if (parsed.isPresent() && !cidr.get().strictlyContains(parsed.get())) {
                errors.add(new FieldError(exceptPath, "\"" + exceptText + "\" must be a strict subset of `cidr` "
                        + cidr.get() + " (same IP family, longer prefix, inside it)"));
            }
        }
    }

    private static void validatePorts(String path, List<NetworkPolicyPort> ports, List<FieldError> errors) {
        List<NetworkPolicyPort> list = orEmpty(ports);
        for (int i = 0; i < list.size(); i++) {
            NetworkPolicyPort port = list.get(i);
            if (port != null) { // JSON null decodes to {}: all ports, TCP. Valid.
                validatePort(path + "[" + i + "]", port, errors);
            }
        }
    }

    private static void validatePort(String path, NetworkPolicyPort port, List<FieldError> errors) {
        String protocol = port.getProtocol();
        if (protocol != null && !PROTOCOLS.contains(protocol)) {
            errors.add(new FieldError(path + ".protocol",
                    "Unsupported value: \"" + protocol + "\": supported values: \"TCP\", \"UDP\", \"SCTP\""));
        }
        Object value = portValue(port.getPort());
        Integer endPort = port.getEndPort();
        if (value == null) {
            if (endPort != null) {
                errors.add(new FieldError(path + ".endPort", "may not be specified when `port` is not specified"));
            }
        } else if (value instanceof Number number) {
            long start = number.longValue();
            if (!KubernetesSyntax.isPortNumber(start)) {
                errors.add(new FieldError(path + ".port", "Invalid value: " + start + ": must be between 1 and 65535, inclusive"));
            }
            if (endPort != null) {
                if (endPort < start) {
                    errors.add(new FieldError(path + ".endPort",
                            "Invalid value: " + endPort + ": must be greater than or equal to `port` (" + start + ")"));
                }
                if (!KubernetesSyntax.isPortNumber(endPort)) {
                    errors.add(new FieldError(path + ".endPort",
                            "Invalid value: " + endPort + ": must be between 1 and 65535, inclusive"));
                }
            }
        } else {
            String name = value.toString();
            for (String p : KubernetesSyntax.ianaSvcNameProblems(name)) {
                errors.add(new FieldError(path + ".port", "Invalid value: \"" + name + "\": " + p));
            }
            if (endPort != null) {
                errors.add(new FieldError(path + ".endPort", "may not be specified when `port` is non-numeric"));
            }
        }
    }

    /** A Number, a String, or null when no port is given (fabric8 may hold a Long for large JSON numbers). */
    private static Object portValue(IntOrString port) {
        if (port == null) {
            return null;
        }
        Object v = port.getValue();
        return v instanceof Number || v instanceof String ? v : null;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
