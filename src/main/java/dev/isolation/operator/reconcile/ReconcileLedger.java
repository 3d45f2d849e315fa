package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.StatusLimits;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * In-memory record of the last reconcile of every namespace. Namespace reconciles run in
 * parallel and write here; profile reconciles aggregate from here into status, without touching
 * the API server. It is rebuilt from scratch after a restart, because JOSDK reconciles every
 * namespace once at start-up.
 */
public final class ReconcileLedger {

    /**
     * @param seen     fingerprint of every profile the namespace reconcile took into account
     * @param outcomes per selecting profile
     */
    public record NamespaceRecord(Map<String, String> seen, Map<String, NamespaceOutcome> outcomes) {
    }

    private final Map<String, NamespaceRecord> records = new ConcurrentHashMap<>();
    /** Per profile and fingerprint, how many namespaces were last reconciled against it. */
    private final Map<Version, Integer> reconciled = new ConcurrentHashMap<>();

    private record Version(String profile, String fingerprint) {
    }

    /**
     * The profile versions the latest reconcile saw. Nearly every namespace was reconciled against
     * the same versions, so the records share this one map instead of each holding a copy: one
     * entry per profile per namespace would be 500,000 entries for 50 profiles over 10,000.
     */
    private final AtomicReference<Map<String, String>> lastSeen = new AtomicReference<>(Map.of());

    private Map<String, String> shared(Map<String, String> seen) {
        Map<String, String> last = lastSeen.get();
        if (last.equals(seen)) {
            return last;
        }
        Map<String, String> copy = Map.copyOf(seen);
        lastSeen.set(copy);
        return copy;
    }

    /** Stores a namespace's record; returns the profiles whose outcome there changed. */
    public Set<String> record(String namespace, NamespaceRecord record) {
        record = new NamespaceRecord(shared(record.seen()), record.outcomes());
        NamespaceRecord previous = records.put(namespace, record);
        count(previous, -1);
        count(record, +1);
        Set<String> changed = new HashSet<>();
        Set<String> profiles = new HashSet<>(record.seen().keySet());
        if (previous != null) {
            profiles.addAll(previous.seen().keySet());
        }
        for (String profile : profiles) {
            NamespaceOutcome before = previous == null ? null : previous.outcomes().get(profile);
            String seenBefore = previous == null ? null : previous.seen().get(profile);
            if (!Objects.equals(before, record.outcomes().get(profile))
                    || !Objects.equals(seenBefore, record.seen().get(profile))) {
                changed.add(profile);
            }
        }
        return changed;
    }

    /**
     * Drops a namespace that no longer exists; returns the profiles it was reconciled against,
     * whose status must be recomputed without it. Without this the ledger would grow with every
     * namespace ever created.
     */
    public Set<String> forget(String namespace) {
        NamespaceRecord previous = records.remove(namespace);
        count(previous, -1);
        return previous == null ? Set.of() : Set.copyOf(previous.seen().keySet());
    }

    /**
     * How many namespaces were last reconciled against this version of the profile, in O(1): while
     * it is below the number of namespaces a rollout is under way, and a profile reconcile can say
     * so without aggregating every namespace.
     */
    public int reconciledAgainst(String profile, String fingerprint) {
        return reconciled.getOrDefault(new Version(profile, fingerprint), 0);
    }

    private void count(NamespaceRecord record, int delta) {
        if (record == null) {
            return;
        }
        record.seen().forEach((profile, fingerprint) -> reconciled.compute(new Version(profile, fingerprint),
                (version, n) -> {
                    int next = (n == null ? 0 : n) + delta;
                    return next == 0 ? null : next;
                }));
    }

    /**
     * Aggregates a profile over the given namespaces (all namespaces that exist, so a deleted one
     * leaves the counts). A namespace not yet reconciled against this version of the profile is
     * counted as pending when {@code selectsPending} says the profile selects it: a rollout is
     * reported as progress instead of as nothing at all.
     */
    public ProfileSummary summarize(String profile, String fingerprint, Collection<String> namespaces,
                                    Predicate<String> selectsPending) {
        int selected = 0;
        int ready = 0;
        int pending = 0;
        int desired = 0;
        int applied = 0;
        int conflicts = 0;
        int permanent = 0;
        List<FailedNamespace> failed = new ArrayList<>();
        Set<String> wouldWrite = new TreeSet<>();
        for (String namespace : namespaces) {
            NamespaceRecord record = records.get(namespace);
            if (record == null || !fingerprint.equals(record.seen().get(profile))) {
                if (selectsPending.test(namespace)) {
                    selected++;
                    pending++;
                }
                continue;
            }
            NamespaceOutcome outcome = record.outcomes().get(profile);
            if (outcome == null) {
                continue;
            }
            selected++;
            desired += outcome.desired();
            applied += outcome.applied();
            wouldWrite.addAll(outcome.wouldWrite());
            if (outcome.ready()) {
                ready++;
            } else if (outcome.failed()) {
                if (outcome.reason() == ConditionReason.Conflict) {
                    conflicts++;
                } else if (outcome.permanent()) {
                    permanent++;
                }
                failed.add(new FailedNamespace(namespace, outcome.reason().name(), outcome.message()));
            }
        }
        int failedCount = failed.size();
        failed.sort(Comparator.comparing(FailedNamespace::getName));
        List<FailedNamespace> bounded = failed.subList(0, Math.min(failed.size(), StatusLimits.MAX_FAILED_NAMESPACES));
        List<String> dryRun = wouldWrite.stream().limit(StatusLimits.MAX_DRY_RUN_ENTRIES).toList();
        return new ProfileSummary(selected, ready, failedCount, pending, conflicts, permanent, List.copyOf(bounded),
                desired, applied, dryRun);
    }

    /** Namespaces a profile currently selects, per the last reconciles. */
    public Set<String> namespacesSelectedBy(String profile) {
        Set<String> result = new HashSet<>();
        records.forEach((ns, record) -> {
            if (record.outcomes().containsKey(profile)) {
                result.add(ns);
            }
        });
        return result;
    }

    /** The last outcome in every namespace the profile selects, by namespace (for the dashboard). */
    public Map<String, NamespaceOutcome> outcomesOf(String profile) {
        Map<String, NamespaceOutcome> result = new TreeMap<>();
        records.forEach((ns, record) -> {
            NamespaceOutcome outcome = record.outcomes().get(profile);
            if (outcome != null) {
                result.put(ns, outcome);
            }
        });
        return result;
    }

    /** Namespaces selected by at least one profile (for the metrics endpoint). */
    public long selectedNamespaceCount() {
        return records.values().stream().filter(r -> !r.outcomes().isEmpty()).count();
    }
}
