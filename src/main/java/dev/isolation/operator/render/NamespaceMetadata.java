package dev.isolation.operator.render;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.LegacyIsolationAnnotation;

import java.util.Map;
import java.util.TreeMap;

/** Labels and annotations a profile wants on each selected namespace. */
public final class NamespaceMetadata {

    private NamespaceMetadata() {
    }

    public static Map<String, String> labels(EffectiveSpec spec) {
        return new TreeMap<>(spec.namespaceLabels());
    }

    /**
     * The profile's annotations, plus the legacy isolation annotation when it applies. If the user
     * also wrote that key in namespaceAnnotations, the operator's value wins whenever the legacy
     * annotation applies (one source of truth for isolation); otherwise their entry passes through.
     */
    public static Map<String, String> annotations(EffectiveSpec spec, boolean cniReadsLegacyAnnotation) {
        Map<String, String> annotations = new TreeMap<>(spec.namespaceAnnotations());
        if (legacyAnnotationApplies(spec, cniReadsLegacyAnnotation)) {
            annotations.put(LegacyIsolationAnnotation.KEY, LegacyIsolationAnnotation.VALUE);
        }
        return annotations;
    }

    public static boolean legacyAnnotationApplies(EffectiveSpec spec, boolean cniReadsLegacyAnnotation) {
        return switch (spec.legacyIsolationAnnotation()) {
            case Always -> true;
            case Never -> false;
            case Auto -> spec.denyIngress() && cniReadsLegacyAnnotation;
        };
    }
}
