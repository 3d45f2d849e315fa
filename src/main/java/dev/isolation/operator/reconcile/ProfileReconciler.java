package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.LifecycleReasons;
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
import java.util.Optional;
import java.util.function.Function;

/**
 * Owns a profile's status and its finalizer. It writes nothing but status: the namespace
 * controller does the work in parallel and records outcomes in the {@link ReconcileLedger}; this
 * reconciler aggregates them and writes status only when it changed.
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
    private final Clock clock;
    private final ProfileEvents events;
    private final Duration deletionReportAfter;

    /**
     * @param deletionReportAfter how long a deletion may wait before status and an Event say what holds it
     */
    public ProfileReconciler(ClusterView view, ProfileDirectory directory, ReconcileLedger ledger,
                             ProfileRefresher refresher, Function<ProfileView, EnforcementReport> enforcement,
                             Clock clock, ProfileEvents events, Duration deletionReportAfter) {
        this.view = view;
        this.directory = directory;
        this.ledger = ledger;
        this.refresher = refresher;
        this.enforcement = enforcement;
        this.clock = clock;
        this.events = events;
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
            Optional<ProfileSummary> aggregated = ledger.summarize(current.name(), current.fingerprint(),
                    view.namespaceNames());
            if (aggregated.isEmpty()) {
                // Namespaces are still converging on this version; each one that finishes asks
                // for a refresh, so the complete status follows without polling.
                return UpdateControl.noUpdate();
            }
            summary = aggregated.get();
        }
        IsolationProfileStatus next = StatusBuilder.build(profile, current, summary, enforcement.apply(current),
                clock.instant());
        if (!StatusBuilder.sameStatus(profile.getStatus(), next)) {
            writeStatus(profile, next, context);
        }
        return UpdateControl.noUpdate();
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
        conditions.add(0, StatusBuilder.condition(StatusBuilder.READY, "False", LifecycleReasons.DELETION_BLOCKED,
                message, profile.getMetadata().getGeneration(), previous, now));
        next.setConditions(conditions);
        if (!StatusBuilder.sameStatus(previous, next)) {
            writeStatus(profile, next, context);
        }
        events.warn(profile, "deletion", LifecycleReasons.DELETION_BLOCKED, message);
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
    private static void writeStatus(IsolationProfile profile, IsolationProfileStatus status,
                                    Context<IsolationProfile> context) {
        IsolationProfile copy = new IsolationProfile();
        copy.setMetadata(profile.getMetadata());
        copy.setSpec(profile.getSpec());
        copy.setStatus(status);
        try {
            // Through JOSDK so its cache holds the written version at once: the next refresh then
            // compares against what was written, not against the copy from before the write.
            context.resourceOperations().updatePrimaryStatus(copy);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
