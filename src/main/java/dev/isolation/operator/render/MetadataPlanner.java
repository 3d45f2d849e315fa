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
 * <p>Three rules keep this convergent and safe:
 * <ul>
 *   <li>Keys are owned per profile (see {@link OwnedKeys}); only owned keys are ever removed, and a
 *       frozen profile's keys (invalid spec, DryRun) are neither changed nor removed.</li>
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

    public static MetadataPlan plan(String namespace, Map<String, String> liveLabels,
                                    Map<String, String> liveAnnotations, List<MetadataCandidate> candidates) {
        Map<String, String> labels = liveLabels == null ? Map.of() : liveLabels;
        Map<String, String> annotations = liveAnnotations == null ? Map.of() : liveAnnotations;
        OwnedKeys owned = OwnedKeys.parse(annotations);

        List<MetadataCandidate> ordered = candidates.stream().sorted(MetadataCandidate.PRECEDENCE).toList();
        Set<String> frozen = new HashSet<>();
        ordered.stream().filter(c -> c.role() == MetadataCandidate.Role.FROZEN).forEach(c -> frozen.add(c.name()));

        // Keys of frozen profiles are locked at their live values; every other owned key is
        // released and only comes back if an active profile still wants it.
        Map<String, String> lockedLabelOwner = lockedOwners(owned, frozen, true);
        Map<String, String> lockedAnnotationOwner = lockedOwners(owned, frozen, false);
        Map<String, String> baseLabels = withoutReleased(labels, owned, frozen, true);
        Map<String, String> baseAnnotations = withoutReleased(annotations, owned, frozen, false);
        baseAnnotations.remove(OwnedKeys.ANNOTATION);

        Map<String, List<String>> conflicts = new TreeMap<>();
        Set<String> selected = converge(namespace, ordered, baseLabels, lockedLabelOwner, conflicts);

        Map<String, String> finalLabels = new TreeMap<>(baseLabels);
        Map<String, String> finalAnnotations = new TreeMap<>(baseAnnotations);
        OwnedKeys newOwned = OwnedKeys.empty();
        frozen.forEach(p -> newOwned.copyFrom(owned, p));

        Map<String, String> labelWinners = new HashMap<>();
        Map<String, String> annotationWinners = new HashMap<>();
        for (MetadataCandidate c : ordered) {
            if (!selected.contains(c.name())) {
                continue;
            }
            apply(namespace, "label", c, c.labels(), labels, finalLabels, lockedLabelOwner, labelWinners,
                    owned, newOwned, true, conflicts);
            apply(namespace, "annotation", c, c.annotations(), annotations, finalAnnotations, lockedAnnotationOwner,
                    annotationWinners, owned, newOwned, false, conflicts);
        }
        String bookkeeping = newOwned.serialize();
        if (bookkeeping != null) {
            finalAnnotations.put(OwnedKeys.ANNOTATION, bookkeeping);
        }

        Set<String> frozenSelected = new TreeSet<>();
        for (MetadataCandidate c : ordered) {
            if (c.role() == MetadataCandidate.Role.FROZEN && c.selects().test(finalLabels)) {
                frozenSelected.add(c.name());
            }
        }
        return new MetadataPlan(finalLabels, finalAnnotations, new TreeSet<>(selected), frozenSelected, conflicts);
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

    private static void apply(String namespace, String kind, MetadataCandidate c, Map<String, String> wanted,
                              Map<String, String> live, Map<String, String> result, Map<String, String> lockedOwner,
                              Map<String, String> winners, OwnedKeys previous, OwnedKeys next, boolean labels,
                              Map<String, List<String>> conflicts) {
        for (Map.Entry<String, String> e : new TreeMap<>(wanted).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String locker = lockedOwner.get(key);
            if (locker != null) {
                if (!value.equals(live.get(key))) {
                    conflict(conflicts, c.name(), namespace, kind, key, value, locker,
                            " (frozen: its spec is invalid or it is in DryRun)");
                }
                continue;
            }
            String winner = winners.get(key);
            if (winner != null) {
                if (!value.equals(result.get(key))) {
                    conflict(conflicts, c.name(), namespace, kind, key, value, winner, " (older profiles win)");
                }
                continue;
            }
            winners.put(key, c.name());
            boolean ownedBefore = previous.profiles().stream()
                    .anyMatch(p -> (labels ? previous.labels(p) : previous.annotations(p)).contains(key));
            // A key that already holds the wanted value and that no profile set is the user's:
            // leave it theirs, so deleting the profile later does not take it away.
            boolean usersOwn = !ownedBefore && value.equals(live.get(key));
            if (!usersOwn) {
                if (labels) {
                    next.addLabel(c.name(), key);
                } else {
                    next.addAnnotation(c.name(), key);
                }
            }
            result.put(key, value);
        }
    }

    private static void conflict(Map<String, List<String>> conflicts, String profile, String namespace, String kind,
                                 String key, String value, String holder, String why) {
        conflicts.computeIfAbsent(profile, k -> new ArrayList<>()).add("namespace " + namespace + ": " + kind + " "
                + key + "=" + value + " conflicts with profile " + holder + why);
    }

    private static Map<String, String> lockedOwners(OwnedKeys owned, Set<String> frozen, boolean labels) {
        Map<String, String> owners = new HashMap<>();
        for (String p : frozen) {
            (labels ? owned.labels(p) : owned.annotations(p)).forEach(k -> owners.putIfAbsent(k, p));
        }
        return owners;
    }

    private static Map<String, String> withoutReleased(Map<String, String> live, OwnedKeys owned, Set<String> frozen,
                                                       boolean labels) {
        Map<String, String> base = new TreeMap<>(live);
        for (String p : owned.profiles()) {
            if (!frozen.contains(p)) {
                (labels ? owned.labels(p) : owned.annotations(p)).forEach(k -> {
                    boolean lockedElsewhere = frozen.stream()
                            .anyMatch(f -> (labels ? owned.labels(f) : owned.annotations(f)).contains(k));
                    if (!lockedElsewhere) {
                        base.remove(k);
                    }
                });
            }
        }
        return base;
    }
}
