package dev.isolation.operator.render;

import java.util.Comparator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One profile as the metadata planner sees it for one namespace.
 *
 * @param name       profile name
 * @param priority   sort key deciding conflicts: the older profile (creationTimestamp, then name) wins
 * @param role       what the planner may do with the profile's keys
 * @param selects    whether the profile selects the namespace given its labels
 * @param labels     labels the profile wants on the namespace
 * @param annotations annotations the profile wants on the namespace
 */
public record MetadataCandidate(
        String name,
        String priority,
        Role role,
        Predicate<Map<String, String>> selects,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public enum Role {
        /** Valid and enforcing: its keys are set when it selects the namespace, removed when not. */
        ACTIVE,
        /** Invalid spec or DryRun: nothing it set is changed or removed, and nothing new is written. */
        FROZEN,
        /** Being deleted: everything it set is removed. */
        DELETING
    }

    /** Older profiles first; the name breaks ties so the order is total and never flaps. */
    public static final Comparator<MetadataCandidate> PRECEDENCE =
            Comparator.comparing((MetadataCandidate c) -> c.priority() == null ? "" : c.priority())
                    .thenComparing(MetadataCandidate::name);
}
