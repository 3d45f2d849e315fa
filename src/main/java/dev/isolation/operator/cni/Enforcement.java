package dev.isolation.operator.cni;

import java.util.List;
import java.util.Objects;

/**
 * The {@code Enforced} condition for one profile plus {@code status.unsupportedFeatures}.
 *
 * @param status      {@code True | False | Unknown}
 * @param reason      one of the {@code REASON_*} constants
 * @param message     one sentence for a cluster admin naming the CNI, its version and where it was found
 * @param unsupported used features the CNI lacks, sorted in {@link Feature} declaration order
 */
public record Enforcement(String status, String reason, String message, List<Feature> unsupported) {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    /** The CNI enforces NetworkPolicy including every feature the profile uses. */
    public static final String REASON_CNI_ENFORCES = "CNIEnforces";
    /** The CNI does not implement NetworkPolicy at all. */
    public static final String REASON_CNI_DOES_NOT_ENFORCE = "CNIDoesNotEnforce";
    /** The CNI enforces NetworkPolicy but lacks at least one feature the profile uses. */
    public static final String REASON_FEATURE_UNSUPPORTED = "FeatureUnsupported";
    /** No known CNI was recognised. */
    public static final String REASON_UNKNOWN_CNI = "UnknownCNI";
    /** The CNI was recognised but whether it enforces NetworkPolicy at all (at this version) is not known. */
    public static final String REASON_CNI_ENFORCEMENT_UNKNOWN = "CNIEnforcementUnknown";
    /** The CNI enforces NetworkPolicy; support of at least one used feature is not known. */
    public static final String REASON_FEATURE_SUPPORT_UNKNOWN = "FeatureSupportUnknown";

    public Enforcement {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        unsupported = unsupported == null ? List.of() : unsupported.stream().sorted().distinct().toList();
    }

    /** Names for {@code status.unsupportedFeatures}. */
    public List<String> unsupportedNames() {
        return unsupported.stream().map(Feature::name).toList();
    }
}
