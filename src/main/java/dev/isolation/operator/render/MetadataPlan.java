package dev.isolation.operator.render;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of planning one namespace's metadata.
 *
 * @param labels      the namespace's complete label map after the change
 * @param annotations the namespace's complete annotation map after the change (bookkeeping included)
 * @param selectedBy  active profiles that select the namespace
 * @param frozenSelectedBy frozen (DryRun) profiles that would select it
 * @param conflicts   per profile, human-readable conflicts that stop its keys from being applied
 */
public record MetadataPlan(
        Map<String, String> labels,
        Map<String, String> annotations,
        Set<String> selectedBy,
        Set<String> frozenSelectedBy,
        Map<String, List<String>> conflicts) {

    public boolean changes(Map<String, String> liveLabels, Map<String, String> liveAnnotations) {
        return !labels.equals(orEmpty(liveLabels)) || !annotations.equals(orEmpty(liveAnnotations));
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
