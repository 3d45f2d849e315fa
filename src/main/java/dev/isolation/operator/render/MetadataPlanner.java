package dev.isolation.operator.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides, for one namespace, which profiles select it and what its labels and annotations must be.
 *
 * <p>The rules that keep this convergent and safe:
 * <ul>
 *   <li>What each profile set is recorded on the namespace (see {@link OwnedKeys}). A key is
 *       released (removed, or given back its prior value) only when a profile the operator knows
 *       set it and no longer does, and only if the key still holds the value that profile set; if
 *       somebody changed it since, the new value stays and only the record goes. A frozen profile's
 *       keys (invalid spec, DryRun) are neither changed nor released.</li>
 *   <li>A record for a profile that does not exist (forged, or left by a profile whose finalizer was
 *       removed by hand) is dropped without touching its keys. Only a complete profile list can
 *       prove a profile does not exist; until the caller has one, such records are kept as if frozen.</li>
 *   <li>A malformed record changes nothing: the namespace's labels and annotations are left exactly
 *       as they are, and every profile selecting the namespace gets a conflict saying so, until a
 *       person fixes or removes the annotation. (Rewriting it would lose the priors it may hold.)</li>
 *   <li>Two profiles wanting different values for one key: the older one wins, always; the other
 *       gets a conflict naming the namespace and key. The order is total, so nothing flaps.</li>
 *   <li>Labels set by profiles may make other profiles select the namespace. Selection is iterated
 *       to a fixed point in memory, so the namespace is written once with the converged result. If
 *       the profiles form a cycle (A's labels deselect B, whose labels select A, ...), there is no
 *       fixed point; the planner then selects on the namespace's own labels only and reports the
 *       cycle as a conflict, instead of oscillating through the API server.</li>
 * </ul>
 */
public final class MetadataPlanner {

    /** More rounds than any realistic chain of profiles selecting on each other's labels. */
    private static final int MAX_ROUNDS = 16;

    private MetadataPlanner() {
    }

    /**
     * @param candidates        every profile that exists, deleting ones included
     * @param everyProfileKnown the candidates come from a complete (synced) profile list, so a
     *                          record of any other profile is a ghost and may be dropped
     */
    public static MetadataPlan plan(String namespace, Map<String, String> liveLabels,
                                    Map<String, String> liveAnnotations, List<MetadataCandidate> candidates,
                                    boolean everyProfileKnown) {
        Map<String, String> labels = liveLabels == null ? Map.of() : liveLabels;
        Map<String, String> annotations = liveAnnotations == null ? Map.of() : liveAnnotations;
        OwnedKeys owned = OwnedKeys.parse(annotations);
        List<MetadataCandidate> ordered = candidates.stream().sorted(MetadataCandidate.PRECEDENCE).toList();
        if (owned.malformed()) {
            return untouched(namespace, labels, annotations, ordered, owned.problem());
        }

        Map<String, MetadataCandidate.Role> roles = new HashMap<>();
        ordered.forEach(c -> roles.put(c.name(), c.role()));
        Set<String> kept = new TreeSet<>();
        Set<String> releasing = new TreeSet<>();
        for (String profile : owned.profiles()) {
            MetadataCandidate.Role role = roles.get(profile);
            if (role == MetadataCandidate.Role.FROZEN || (role == null && !everyProfileKnown)) {
                kept.add(profile);
            } else if (role != null) {
                releasing.add(profile);
            }
            // Otherwise a ghost: its record is not carried over and its keys stay as they are.
        }

        Map<String, String> userAnnotations = new TreeMap<>(annotations);
        userAnnotations.remove(OwnedKeys.ANNOTATION);
        OwnedKeys next = OwnedKeys.empty();
        Released releasedLabels = release(OwnedKeys.Kind.LABELS, labels, owned, kept, releasing, next);
        Released releasedAnnotations = release(OwnedKeys.Kind.ANNOTATIONS, userAnnotations, owned, kept, releasing, next);

        Map<String, List<String>> conflicts = new TreeMap<>();
        Set<String> selected = converge(namespace, ordered, releasedLabels.base(), releasedLabels.locked(), conflicts);

        Map<String, String> finalLabels = new TreeMap<>(releasedLabels.base());
        Map<String, String> finalAnnotations = new TreeMap<>(releasedAnnotations.base());
        Map<String, String> labelWinners = new HashMap<>();
        Map<String, String> annotationWinners = new HashMap<>();
        for (MetadataCandidate c : ordered) {
            if (!selected.contains(c.name())) {
                continue;
            }
            apply(namespace, OwnedKeys.Kind.LABELS, c, c.labels(), labels, releasedLabels, finalLabels, labelWinners,
                    next, conflicts);
            apply(namespace, OwnedKeys.Kind.ANNOTATIONS, c, c.annotations(), userAnnotations, releasedAnnotations,
                    finalAnnotations, annotationWinners, next, conflicts);
        }
        String bookkeeping = next.serialize();
        if (bookkeeping != null) {
            finalAnnotations.put(OwnedKeys.ANNOTATION, bookkeeping);
        }
        return new MetadataPlan(finalLabels, finalAnnotations, new TreeSet<>(selected),
                frozenSelecting(ordered, finalLabels), conflicts);
    }

    /** A malformed bookkeeping annotation: select on the live labels, write nothing, and say why. */
    private static MetadataPlan untouched(String namespace, Map<String, String> labels, Map<String, String> annotations,
                                          List<MetadataCandidate> ordered, String problem) {
        Set<String> selected = select(ordered, labels);
        String message = "namespace " + namespace + ": its bookkeeping annotation " + OwnedKeys.ANNOTATION
                + " is malformed (" + problem + "); its labels and annotations are left untouched until the"
                + " annotation is fixed or removed";
        Map<String, List<String>> conflicts = new TreeMap<>();
        selected.forEach(p -> conflicts.put(p, List.of(message)));
        return new MetadataPlan(new TreeMap<>(labels), new TreeMap<>(annotations), new TreeSet<>(selected),
                frozenSelecting(ordered, labels), conflicts);
    }

    private static Set<String> frozenSelecting(List<MetadataCandidate> ordered, Map<String, String> labels) {
        Set<String> frozenSelected = new TreeSet<>();
        for (MetadataCandidate c : ordered) {
            if (c.role() == MetadataCandidate.Role.FROZEN && c.selects().test(labels)) {
                frozenSelected.add(c.name());
            }
        }
        return frozenSelected;
    }

    /**
     * One kind of metadata with every releasable key released.
     *
     * @param base   the keys as they would be without any active profile: released keys removed or
     *               back at their prior value, everything else as it is live
     * @param locked key → frozen (or not provably non-existent) profile whose record pins it
     */
    private record Released(Map<String, String> base, Map<String, String> locked) {
    }

    /**
     * Carries the kept profiles' records over into {@code next} and releases the keys of known,
     * non-frozen profiles. Their records are dropped here; whoever still sets a key records it
     * again in {@link #apply}, with the prior value found in {@code base}.
     */
    private static Released release(OwnedKeys.Kind kind, Map<String, String> live, OwnedKeys owned, Set<String> kept,
                                    Set<String> releasing, OwnedKeys next) {
        Map<String, String> base = new TreeMap<>(live);
        Map<String, String> locked = new HashMap<>();
        for (String profile : kept) {
            owned.entries(profile, kind).forEach((key, entry) -> {
                locked.putIfAbsent(key, profile);
                // An entry in the old, value-less format is completed with the live value (migration);
                // one whose key is gone has nothing left to protect.
                String value = entry.value() != null ? entry.value() : live.get(key);
                if (value != null) {
                    next.put(profile, kind, key, new OwnedKeys.Entry(value, entry.prior()));
                }
            });
        }
        Set<String> done = new HashSet<>();
        for (String profile : releasing) {
            owned.entries(profile, kind).forEach((key, entry) -> {
                // The first record (by profile name) still matching the live value decides; a key
                // somebody changed since the profile set it keeps the new value.
                if (!locked.containsKey(key) && !done.contains(key) && entry.holds(live.get(key))) {
                    done.add(key);
                    if (entry.prior() == null) {
                        base.remove(key);
                    } else {
                        base.put(key, entry.prior());
                    }
                }
            });
        }
        return new Released(base, locked);
    }

    private static Set<String> converge(String namespace, List<MetadataCandidate> ordered, Map<String, String> base,
                                        Map<String, String> lockedOwner, Map<String, List<String>> conflicts) {
        List<Set<String>> seen = new ArrayList<>();
        Set<String> selected = select(ordered, base);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Map<String, String> labels = labelsAfter(ordered, selected, base, lockedOwner);
            Set<String> next = select(ordered, labels);
            if (next.equals(selected)) {
                return selected;
            }
            seen.add(selected);
            if (seen.contains(next)) {
                break;
            }
            selected = next;
        }
        // No fixed point: profiles select on each other's labels in a cycle.
        Set<String> fallback = select(ordered, base);
        Set<String> involved = new TreeSet<>();
        seen.forEach(involved::addAll);
        String message = "namespace " + namespace + ": profiles " + String.join(", ", involved)
                + " select on each other's namespace labels in a cycle; selecting on the namespace's own labels only";
        involved.forEach(p -> conflicts.computeIfAbsent(p, k -> new ArrayList<>()).add(message));
        return fallback;
    }

    private static Set<String> select(List<MetadataCandidate> ordered, Map<String, String> labels) {
        Set<String> selected = new LinkedHashSet<>();
        for (MetadataCandidate c : ordered) {
            if (c.role() == MetadataCandidate.Role.ACTIVE && c.selects().test(labels)) {
                selected.add(c.name());
            }
        }
        return selected;
    }

    /** The labels the namespace would carry if exactly {@code selected} applied their labels. */
    private static Map<String, String> labelsAfter(List<MetadataCandidate> ordered, Set<String> selected,
                                                   Map<String, String> base, Map<String, String> lockedOwner) {
        Map<String, String> labels = new HashMap<>(base);
        Set<String> taken = new HashSet<>();
        for (MetadataCandidate c : ordered) {
            if (selected.contains(c.name())) {
                c.labels().forEach((k, v) -> {
                    if (!lockedOwner.containsKey(k) && taken.add(k)) {
                        labels.put(k, v);
                    }
                });
            }
        }
        return labels;
    }

    private static void apply(String namespace, OwnedKeys.Kind kind, MetadataCandidate c, Map<String, String> wanted,
                              Map<String, String> live, Released released, Map<String, String> result,
                              Map<String, String> winners, OwnedKeys next, Map<String, List<String>> conflicts) {
        String what = kind == OwnedKeys.Kind.LABELS ? "label" : "annotation";
        for (Map.Entry<String, String> e : new TreeMap<>(wanted).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String locker = released.locked().get(key);
            if (locker != null) {
                if (!value.equals(live.get(key))) {
                    conflict(conflicts, c.name(), namespace, what, key, value, locker,
                            " (frozen: its spec is invalid or it is in DryRun)");
                }
                continue;
            }
            String winner = winners.get(key);
            if (winner != null) {
                if (!value.equals(result.get(key))) {
                    conflict(conflicts, c.name(), namespace, what, key, value, winner, " (older profiles win)");
                }
                continue;
            }
            winners.put(key, c.name());
            String prior = released.base().get(key);
            // A key that would hold the wanted value anyway is the user's: the profile records nothing,
            // so releasing it later takes nothing away.
            if (!value.equals(prior)) {
                next.put(c.name(), kind, key, new OwnedKeys.Entry(value, prior));
            }
            result.put(key, value);
        }
    }

    private static void conflict(Map<String, List<String>> conflicts, String profile, String namespace, String kind,
                                 String key, String value, String holder, String why) {
        conflicts.computeIfAbsent(profile, k -> new ArrayList<>()).add("namespace " + namespace + ": " + kind + " "
                + key + "=" + value + " conflicts with profile " + holder + why);
    }
}
