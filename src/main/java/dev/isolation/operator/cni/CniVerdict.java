package dev.isolation.operator.cni;

import java.util.Objects;

/**
 * The result of CNI detection, shaped for {@code status.cni} of the API contract.
 *
 * @param name                  one of {@link #KNOWN_NAMES}
 * @param version               version as found (image tag without digest, or kubelet version for k3s); nullable
 * @param detectedFrom          human-readable evidence, e.g. {@code DaemonSet kube-system/kube-flannel-ds}
 *                              (several comma-joined); nullable for a plain unknown verdict
 * @param capabilities          what the detected CNI enforces (from the {@link CapabilityCatalog})
 * @param readsLegacyAnnotation whether the CNI reads {@code net.beta.kubernetes.io/network-policy}
 */
public record CniVerdict(String name, String version, String detectedFrom, Capabilities capabilities,
                         boolean readsLegacyAnnotation) {

    /** Allowed values of {@code status.cni.name}. */
    public static final java.util.List<String> KNOWN_NAMES = java.util.List.of(
            "calico", "cilium", "weave", "flannel", "canal", "antrea", "kube-router", "aws-vpc-cni", "azure-npm",
            "kindnet", "k3s", "ovn-kubernetes", "kube-ovn", "gke-dataplane-v2", "unknown");

    public static final String UNKNOWN_NAME = "unknown";

    /** Nothing recognisable in the cluster. */
    public static final CniVerdict UNKNOWN = new CniVerdict(UNKNOWN_NAME, null, null,
            Capabilities.unknown("no known CNI found"), false);

    public CniVerdict {
        Objects.requireNonNull(name, "name");
        if (!KNOWN_NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown CNI name '" + name + "'");
        }
        capabilities = capabilities == null ? Capabilities.unknown(null) : capabilities;
        detectedFrom = detectedFrom == null || detectedFrom.isBlank() ? null : detectedFrom;
    }

    /** An unknown verdict that still says what was seen (e.g. a policy engine without a recognised CNI). */
    public static CniVerdict unknown(String detectedFrom, String note) {
        return new CniVerdict(UNKNOWN_NAME, null, detectedFrom, Capabilities.unknown(note), false);
    }

    public boolean isUnknown() {
        return UNKNOWN_NAME.equals(name);
    }

    /**
     * {@code status.cni.enforcesNetworkPolicy}: {@code "True"}, {@code "False"} or {@code "Unknown"}.
     * An unknown CNI is always {@code "Unknown"}; otherwise the ingress baseline of the capabilities decides.
     */
    public String enforcesNetworkPolicy() {
        if (isUnknown()) {
            return "Unknown";
        }
        return switch (capabilities.enforcement()) {
            case YES -> "True";
            case NO -> "False";
            case UNKNOWN -> "Unknown";
        };
    }

    /** For messages: {@code flannel v0.25.1 (DaemonSet kube-system/kube-flannel-ds)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(name);
        if (version != null) {
            sb.append(' ').append(version);
        }
        if (detectedFrom != null) {
            sb.append(" (").append(detectedFrom).append(')');
        }
        return sb.toString();
    }
}
