package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.FailedNamespace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Stores a namespace's record; returns the profiles whose outcome there changed. */
    public Set<String> record(String namespace, NamespaceRecord record) {
        NamespaceRecord previous = records.put(namespace, record);
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
        return previous == null ? Set.of() : Set.copyOf(previous.seen().keySet());
    }

    /**
     * Aggregates a profile over the given namespaces (all namespaces that exist). Empty while any
     * namespace has not yet been reconciled against this version of the profile: a half-done
     * rollout is not reported as a status, so a restart never rewrites a correct status.
     */
    public Optional<ProfileSummary> summarize(String profile, String fingerprint, Collection<String> namespaces) {
        int selected = 0;
        int ready = 0;
        int desired = 0;
        int applied = 0;
        List<FailedNamespace> failed = new ArrayList<>();
        Map<String, String> wouldWrite = new TreeMap<>();
        int failedCount = 0;
        for (String namespace : namespaces) {
            NamespaceRecord record = records.get(namespace);
            if (record == null || !fingerprint.equals(record.seen().get(profile))) {
                return Optional.empty();
            }
            NamespaceOutcome outcome = record.outcomes().get(profile);
            if (outcome == null) {
                continue;
            }
            selected++;
            desired += outcome.desired();
            applied += outcome.applied();
            outcome.wouldWrite().forEach(w -> wouldWrite.put(w, w));
            if (outcome.ready()) {
                ready++;
            } else if (outcome.failed()) {
                failedCount++;
                failed.add(new FailedNamespace(namespace, outcome.reason(), outcome.message()));
            }
        }
        failed.sort((a, b) -> a.getName().compareTo(b.getName()));
        List<FailedNamespace> bounded = failed.subList(0, Math.min(failed.size(), ProfileSummary.MAX_FAILED));
        List<String> dryRun = wouldWrite.keySet().stream().limit(ProfileSummary.MAX_DRY_RUN).toList();
        return Optional.of(new ProfileSummary(selected, ready, failedCount, List.copyOf(bounded), desired, applied, dryRun));
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
