package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ConditionType;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.ConditionReason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Owns a profile's status and its finalizer. It writes nothing but status (and Events about it):
 * the namespace controller does the work in parallel and records outcomes in the
 * {@link ReconcileLedger}; this reconciler aggregates them and writes status only when it changed.
 *
 * <p>During a rollout status is written progressively, but at most once per {@code writeInterval}
 * per profile: at 10,000 namespaces a handful of writes show {@code namespaces.ready} growing. The
 * first status of a generation and every status that ends a rollout are written at once.
 */
@ControllerConfiguration(name = ProfileReconciler.NAME, finalizerName = IsolationProfile.FINALIZER)
public class ProfileReconciler implements Reconciler<IsolationProfile>, Cleaner<IsolationProfile> {

    public static final String NAME = "isolationprofiles";
    private static final long CLEANUP_POLL_MILLIS = 1000;
    private static final int MESSAGE_ITEMS = 3;

    private final ClusterView view;
    private final ProfileDirectory directory;
    private final ReconcileLedger ledger;
    private final ProfileRefresher refresher;
    private final Function<ProfileView, EnforcementReport> enforcement;
    private final ProfileEvents events;
    private final Set<String> protectedNamespaces;
    private final Duration writeInterval;
    private final Clock clock;
    private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();
    private final Duration deletionReportAfter;

    /**
     * @param writeInterval       the least time between two status writes of one profile while it is rolling out
     * @param deletionReportAfter how long a deletion may wait before status and an Event say what holds it
     */
    public ProfileReconciler(ClusterView view, ProfileDirectory directory, ReconcileLedger ledger,
                             ProfileRefresher refresher, Function<ProfileView, EnforcementReport> enforcement,
                             ProfileEvents events, Set<String> protectedNamespaces, Duration writeInterval,
                             Clock clock, Duration deletionReportAfter) {
        this.view = view;
        this.directory = directory;
        this.ledger = ledger;
        this.refresher = refresher;
        this.enforcement = enforcement;
        this.events = events;
        this.protectedNamespaces = Set.copyOf(protectedNamespaces);
        this.writeInterval = writeInterval;
        this.clock = clock;
        this.deletionReportAfter = deletionReportAfter;
    }

    @Override
    public List<EventSource<?, IsolationProfile>> prepareEventSources(EventSourceContext<IsolationProfile> context) {
        refresher.watch(context.getPrimaryCache());
        return List.of(refresher);
    }

    @Override
    public UpdateControl<IsolationProfile> reconcile(IsolationProfile profile, Context<IsolationProfile> context) {
        ProfileView current = directory.view(profile);
        ProfileSummary summary = null;
        if (current.valid()) {
            if (!view.synced()) {
                // Before the namespace controller's caches are complete an aggregate would report
                // too few namespaces and be written, only to be corrected moments later.
                return UpdateControl.<IsolationProfile>noUpdate().rescheduleAfter(CLEANUP_POLL_MILLIS);
            }
            Duration wait = progressWait(profile);
            if (!wait.isZero() && ledger.reconciledAgainst(current.name(), current.fingerprint()) < view.namespaceCount()) {
                // Still rolling out and too early for the next progress status: aggregating every
                // namespace now (at 10,000, on every coalesced refresh) would only be thrown away.
                // Once every namespace has been reconciled against this version, the status that
                // ends the rollout is computed and written at once.
                return UpdateControl.<IsolationProfile>noUpdate().rescheduleAfter(wait);
            }
            summary = ledger.summarize(current.name(), current.fingerprint(), view.namespaceNames(),
                    namespace -> selectsPending(current, namespace));
            if (summary.pending() > 0 && settled(profile)) {
                // The status describes this generation completely and no rollout was under way:
                // the unreconciled namespaces are the ledger refilling after a restart (or a new
                // namespace). Each one that finishes asks for a refresh, so the status follows
                // once they are all in, and is rewritten only if it actually changed.
                return UpdateControl.noUpdate();
            }
        }
        IsolationProfileStatus next = StatusBuilder.build(profile, current, summary, enforcement.apply(current),
                clock.instant());
        IsolationProfileStatus previous = profile.getStatus();
        if (StatusBuilder.sameStatus(previous, next)) {
            return UpdateControl.noUpdate();
        }
        Duration wait = throttled(profile, next);
        if (!wait.isZero()) {
            return UpdateControl.<IsolationProfile>noUpdate().rescheduleAfter(wait);
        }
        if (writeStatus(profile, next, context)) {
            lastWrite.put(current.name(), clock.instant());
            events.statusWritten(profile, previous, next);
        }
        return UpdateControl.noUpdate();
    }

    /** Whether the profile selects a namespace not yet reconciled for its current version (a best guess from labels). */
    private boolean selectsPending(ProfileView profile, String name) {
        return view.namespace(name).filter(ns -> ns.getMetadata().getDeletionTimestamp() == null)
                .map(ns -> profile.selection(protectedNamespaces).selects(name, ns.getMetadata().getLabels()))
                .orElse(false);
    }

    /** The status was written for the current generation and no rollout was in progress then. */
    private static boolean settled(IsolationProfile profile) {
        IsolationProfileStatus status = profile.getStatus();
        return status != null && Objects.equals(status.getObservedGeneration(), profile.getMetadata().getGeneration())
                && !StatusBuilder.isTrue(status, ConditionType.Reconciling);
    }

    /**
     * How long a progress write must wait. Only intermediate statuses of a generation that already
     * has one wait; the first status of a generation and the one that ends the rollout do not.
     */
    private Duration throttled(IsolationProfile profile, IsolationProfileStatus next) {
        IsolationProfileStatus previous = profile.getStatus();
        boolean intermediate = StatusBuilder.isTrue(next, ConditionType.Reconciling) && previous != null
                && Objects.equals(previous.getObservedGeneration(), profile.getMetadata().getGeneration());
        return intermediate ? sinceLastWrite(profile) : Duration.ZERO;
    }

    /** Time left before another progress status, while the last one written is a progress status of this generation. */
    private Duration progressWait(IsolationProfile profile) {
        IsolationProfileStatus previous = profile.getStatus();
        boolean progress = previous != null && StatusBuilder.isTrue(previous, ConditionType.Reconciling)
                && Objects.equals(previous.getObservedGeneration(), profile.getMetadata().getGeneration());
        return progress ? sinceLastWrite(profile) : Duration.ZERO;
    }

    private Duration sinceLastWrite(IsolationProfile profile) {
        Instant last = lastWrite.get(profile.getMetadata().getName());
        if (last == null) {
            return Duration.ZERO;
        }
        Duration remaining = Duration.between(clock.instant(), last.plus(writeInterval));
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    @Override
    public DeleteControl cleanup(IsolationProfile profile, Context<IsolationProfile> context) {
        // The namespace controller removes the profile's policies and namespace keys as soon as it
        // sees the deletion; the finalizer is released once the caches show nothing left.
        if (!view.synced()) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_POLL_MILLIS);
        }
        List<String> remaining = view.remainingStateOf(profile);
        if (!remaining.isEmpty()) {
            reportBlockedDeletion(profile, remaining, context);
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_POLL_MILLIS);
        }
        directory.forget(profile.getMetadata().getUid());
        lastWrite.remove(profile.getMetadata().getName());
        events.forget(profile.getMetadata().getName());
        return DeleteControl.defaultDelete();
    }

    /**
     * A deletion that has waited longer than usual says which namespaces hold it (a policy whose
     * delete keeps failing, a foreign finalizer on one of ours), in Ready and in a Warning Event.
     */
    private void reportBlockedDeletion(IsolationProfile profile, List<String> remaining,
                                       Context<IsolationProfile> context) {
        Instant now = clock.instant();
        Instant deleted = parseTime(profile.getMetadata().getDeletionTimestamp());
        if (deleted == null || Duration.between(deleted, now).compareTo(deletionReportAfter) < 0) {
            return;
        }
        String message = "deletion waits for " + remaining.size() + " object(s) the profile wrote: "
                + String.join("; ", remaining.subList(0, Math.min(MESSAGE_ITEMS, remaining.size())))
                + (remaining.size() > MESSAGE_ITEMS ? "; ..." : "");
        IsolationProfileStatus previous = profile.getStatus();
        IsolationProfileStatus next = previous == null ? new IsolationProfileStatus()
                : context.getClient().getKubernetesSerialization().clone(previous);
        List<Condition> conditions = new ArrayList<>(next.getConditions() == null ? List.of() : next.getConditions());
        conditions.removeIf(c -> StatusBuilder.READY.equals(c.getType()));
        conditions.add(0, StatusBuilder.condition(ConditionType.Ready, "False", ConditionReason.DeletionBlocked.name(),
                message, profile.getMetadata().getGeneration(), previous, now));
        next.setConditions(conditions);
        if (!StatusBuilder.sameStatus(previous, next)) {
            writeStatus(profile, next, context);
        }
        events.warn(profile, "deletion", ConditionReason.DeletionBlocked.name(), message);
    }

    private static Instant parseTime(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A full status replace (PUT on the status subresource, guarded by resourceVersion): fields
     * that must disappear, such as dryRun after leaving DryRun, are dropped on every server.
     */
    private static boolean writeStatus(IsolationProfile profile, IsolationProfileStatus status,
                                       Context<IsolationProfile> context) {
        IsolationProfile copy = new IsolationProfile();
        copy.setMetadata(profile.getMetadata());
        copy.setSpec(profile.getSpec());
        copy.setStatus(status);
        try {
            // Through JOSDK so its cache holds the written version at once: the next refresh then
            // compares against what was written, not against the copy from before the write.
            context.resourceOperations().updatePrimaryStatus(copy);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            return false;
        }
    }
}
