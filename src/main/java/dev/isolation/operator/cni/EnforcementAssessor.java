package dev.isolation.operator.cni;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides the {@code Enforced} condition from a {@link CniVerdict} and the features a profile uses.
 * Rules, first match wins:
 * <ol>
 *   <li>unknown CNI: {@code Unknown / UnknownCNI};</li>
 *   <li>the CNI does not enforce NetworkPolicy (ingress baseline NO): {@code False / CNIDoesNotEnforce},
 *       every used feature is listed as unsupported;</li>
 *   <li>whether the CNI enforces at all is unknown (ingress UNKNOWN): {@code Unknown / CNIEnforcementUnknown};</li>
 *   <li>a used feature is NO: {@code False / FeatureUnsupported} with those features (a known gap beats
 *       an unknown one, since the admin must act either way);</li>
 *   <li>a used feature is UNKNOWN: {@code Unknown / FeatureSupportUnknown};</li>
 *   <li>otherwise {@code True / CNIEnforces}.</li>
 * </ol>
 */
public final class EnforcementAssessor {

    private EnforcementAssessor() {
    }

    public static Enforcement assess(CniVerdict verdict, Set<Feature> used) {
        EnumSet<Feature> features = used == null || used.isEmpty()
                ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(used);
        if (verdict == null || verdict.isUnknown()) {
            String seen = verdict == null || verdict.detectedFrom() == null
                    ? "" : " (found only " + verdict.detectedFrom() + ")";
            return new Enforcement(Enforcement.UNKNOWN, Enforcement.REASON_UNKNOWN_CNI,
                    "No known CNI was recognised in the cluster" + seen
                            + ", so whether NetworkPolicy is enforced cannot be determined", List.of());
        }
        Capabilities caps = verdict.capabilities();
        String who = verdict.describe();
        String note = caps.note() == null ? "" : " (" + caps.note() + ")";
        switch (caps.enforcement()) {
            case NO -> {
                return new Enforcement(Enforcement.FALSE, Enforcement.REASON_CNI_DOES_NOT_ENFORCE,
                        who + " does not implement NetworkPolicy; policies are stored but not enforced" + note,
                        List.copyOf(features));
            }
            case UNKNOWN -> {
                return new Enforcement(Enforcement.UNKNOWN, Enforcement.REASON_CNI_ENFORCEMENT_UNKNOWN,
                        who + " was recognised, but whether it enforces NetworkPolicy is unknown" + note, List.of());
            }
            case YES -> {
                // continue below
            }
        }
        List<Feature> unsupported = features.stream().filter(f -> caps.support(f) == Support.NO).toList();
        List<Feature> unknown = features.stream().filter(f -> caps.support(f) == Support.UNKNOWN).toList();
        if (!unsupported.isEmpty()) {
            String alsoUnknown = unknown.isEmpty() ? "" : ", and support for " + join(unknown) + " is unknown";
            return new Enforcement(Enforcement.FALSE, Enforcement.REASON_FEATURE_UNSUPPORTED,
                    who + " enforces NetworkPolicy but not " + join(unsupported)
                            + " used by this profile, so those rules are not enforced as written" + alsoUnknown + note,
                    unsupported);
        }
        if (!unknown.isEmpty()) {
            return new Enforcement(Enforcement.UNKNOWN, Enforcement.REASON_FEATURE_SUPPORT_UNKNOWN,
                    who + " enforces NetworkPolicy, but whether it supports " + join(unknown)
                            + " used by this profile is unknown" + note, List.of());
        }
        String uses = features.isEmpty() ? "" : " including " + join(List.copyOf(features)) + " used by this profile";
        return new Enforcement(Enforcement.TRUE, Enforcement.REASON_CNI_ENFORCES,
                who + " enforces NetworkPolicy" + uses, List.of());
    }

    private static String join(List<Feature> features) {
        return features.stream().map(Feature::name).collect(Collectors.joining(", "));
    }
}
