package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.cache.Slim;
import dev.isolation.operator.cache.SlimStore;
import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.render.ClusterFacts;
import dev.isolation.operator.render.DesiredNamespaceState;
import dev.isolation.operator.render.ManagedLabels;
import dev.isolation.operator.render.NamespaceMetadata;
import dev.isolation.operator.render.MetadataCandidate;
import dev.isolation.operator.render.MetadataPlan;
import dev.isolation.operator.render.MetadataPlanner;
import dev.isolation.operator.render.ProfileRenderer;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Converges one namespace towards every profile at once. Namespaces are the unit of work: JOSDK
 * reconciles different namespaces in parallel on its bounded thread pool, never one namespace
 * twice at a time, and a namespace event touches only that namespace.
 *
 * <p>Reads come from informer caches only; a write is sent only where the live object differs.
 *
 * <p>Delete events reach {@link #reconcile} too (JOSDK's all-events mode; namespaces carry no
 * finalizer of ours), so a deleted namespace leaves the ledger, the counts and the metrics at once.
 *
 * <p>Failures are retried by class ({@link ApiErrors}): transient ones are thrown back to JOSDK,
 * which retries with capped exponential backoff, or rescheduled after the server's Retry-After;
 * permanent ones are recorded (status, Event) and retried only on a relevant change — any event
 * for the namespace reconciles it at once — or at {@code isolation.retry.permanent-interval}.
 */
@ControllerConfiguration(name = NamespaceReconciler.NAME, generationAwareEventProcessing = false,
        triggerReconcilerOnAllEvents = true)
public class NamespaceReconciler implements Reconciler<Namespace> {

    public static final String NAME = "namespaces";
    /**
     * Objects per page of an informer's initial list: a single list of 10,000 namespaces or
     * 30,000 policies is held whole in memory while it is parsed, and that peak, not the cache,
     * would size the heap.
     */
    static final long LIST_PAGE = 500;
    /** failedNamespaces[].reason when a namespace's reconcile failed in a way no rule anticipated. */

    private final ClusterView view;
    private final ProfileDirectory directory;
    private final ReconcileLedger ledger;
    private final ProfileRefresher refresher;
    private final NamespaceWriter writer;
    private final Set<String> protectedNamespaces;
    private final BooleanSupplier cniReadsLegacyAnnotation;
    private final TriggerEventSource<Namespace> trigger;
    private final Duration permanentInterval;
    private final RecheckBackoff recheck;

    /**
     * @param trigger lets code outside this controller (CNI detection) re-reconcile namespaces by name
     */
    public NamespaceReconciler(ClusterView view, ProfileDirectory directory, ReconcileLedger ledger,
                               ProfileRefresher refresher, NamespaceWriter writer, Set<String> protectedNamespaces,
                               BooleanSupplier cniReadsLegacyAnnotation, TriggerEventSource<Namespace> trigger,
                               OperatorConfig.Retry retry) {
        this.view = view;
        this.directory = directory;
        this.ledger = ledger;
        this.refresher = refresher;
        this.writer = writer;
        this.protectedNamespaces = Set.copyOf(protectedNamespaces);
        this.cniReadsLegacyAnnotation = cniReadsLegacyAnnotation;
        this.trigger = trigger;
        this.permanentInterval = retry.permanentInterval();
        this.recheck = new RecheckBackoff(retry.conflictRecheckMax());
    }

    @Override
    public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> context) {
        context.getPrimaryCache().addIndexers(ClusterView.namespaceIndexers());

        var policies = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(NetworkPolicy.class, Namespace.class)
                .withName("networkpolicies")
                .withWatchAllNamespaces()
                .withLabelSelector(ManagedLabels.MANAGED_BY + "=" + ManagedLabels.MANAGED_BY_VALUE)
                // Updated by a PUT of the cached copy: nothing but managedFields may go (see Slim).
                .withItemStore(new SlimStore<>(Slim::compact))
                .withInformerListLimit(LIST_PAGE)
                .withSecondaryToPrimaryMapper(np -> Set.of(new ResourceID(np.getMetadata().getNamespace())))
                .withPrimaryToSecondaryMapper(view.policiesInNamespace())
                .build(), context);
        policies.addIndexers(ClusterView.policyIndexers());

        // A profile's spec change can alter any namespace: selectors match anywhere, and labels a
        // profile sets can make other profiles select a namespace. So every namespace is re-planned
        // (in memory; only differences are written). Status-only updates are filtered out.
        var profiles = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(IsolationProfile.class, Namespace.class)
                .withName("profiles")
                .withWatchAllNamespaces()
                .withItemStore(new SlimStore<>(Slim::withoutManagedFields))
                .withOnUpdateFilter((IsolationProfile next, IsolationProfile prev) ->
                        !ProfileDirectory.fingerprint(next).equals(ProfileDirectory.fingerprint(prev)))
                .withSecondaryToPrimaryMapper(p -> allNamespaces(context))
                .withPrimaryToSecondaryMapper(view.everyProfile())
                .build(), context);

        // Node heartbeats update status constantly; only a change of InternalIPs matters.
        var nodes = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Node.class, Namespace.class)
                .withName("nodes")
                .withWatchAllNamespaces()
                .withItemStore(new SlimStore<>(Slim::addresses))
                .withOnUpdateFilter((Node next, Node prev) -> !internalIps(next).equals(internalIps(prev)))
                .withSecondaryToPrimaryMapper(n -> factsChanged(p -> p.spec().allowNodes()))
                .withPrimaryToSecondaryMapper(view.everyNode())
                .build(), context);

        var apiServer = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(EndpointSlice.class, Namespace.class)
                .withName("apiserver-endpoints")
                .withNamespaces(Set.of("default"))
                .withLabelSelector("kubernetes.io/service-name=kubernetes")
                .withItemStore(new SlimStore<>(Slim::withoutManagedFields))
                .withOnUpdateFilter((EndpointSlice next, EndpointSlice prev) ->
                        !Objects.equals(next.getEndpoints(), prev.getEndpoints())
                                || !Objects.equals(next.getPorts(), prev.getPorts()))
                .withSecondaryToPrimaryMapper(s -> factsChanged(p -> p.spec().allowKubeApiServer()))
                .withPrimaryToSecondaryMapper(view.everyApiServerSlice())
                .build(), context);

        // Each source's primary-to-secondary mapper (ClusterView) answers from the caches instead
        // of JOSDK's default index, which would hold namespaces × related objects.
        view.attach(context.getPrimaryCache(), policies, profiles, nodes, apiServer);
        trigger.watch(context.getPrimaryCache());
        return List.of(policies, profiles, nodes, apiServer, trigger);
    }

    @Override
    public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
        try {
            return converge(namespace, context);
        } catch (NamespaceApplyException e) {
            throw e;
        } catch (RuntimeException e) {
            recordError(namespace, e);
            throw e;
        }
    }

    private UpdateControl<Namespace> converge(Namespace namespace, Context<Namespace> context) {
        String name = namespace.getMetadata().getName();
        if (context.isPrimaryResourceDeleted()) {
            // Its policies went with it; what remains is bookkeeping, and the profiles it counted for.
            ledger.forget(name).forEach(refresher::refresh);
            recheck.reset(name);
            return UpdateControl.noUpdate();
        }
        List<ProfileView> profiles = view.profiles().stream().map(directory::view).toList();
        Map<String, String> seen = profiles.stream()
                .collect(Collectors.toMap(ProfileView::name, ProfileView::fingerprint, (a, b) -> a));

        if (namespace.getMetadata().getDeletionTimestamp() != null) {
            // A terminating namespace is leaving: it counts for no profile and rejects new objects.
            // Its policies go with it, except those of profiles being deleted, which are removed
            // now so that a namespace stuck in Terminating does not hold their deletion.
            publish(name, new ReconcileLedger.NamespaceRecord(seen, Map.of()));
            return next(name, writer.releaseDeleted(view.managedPoliciesIn(name, List.of()), profiles));
        }

        boolean legacy = cniReadsLegacyAnnotation.getAsBoolean();
        List<MetadataCandidate> candidates = new ArrayList<>();
        for (ProfileView p : profiles) {
            boolean renders = p.valid() && !p.deleting();
            candidates.add(p.candidate(name, protectedNamespaces,
                    renders ? NamespaceMetadata.labels(p.spec()) : Map.of(),
                    renders ? NamespaceMetadata.annotations(p.spec(), legacy) : Map.of()));
        }
        // Only a synced profile cache proves that a profile named in the bookkeeping does not exist.
        MetadataPlan plan = MetadataPlanner.plan(name, namespace.getMetadata().getLabels(),
                namespace.getMetadata().getAnnotations(), candidates, view.profilesSynced());

        // Policies are rendered only for the profiles that select this namespace: with many
        // profiles, most of them select few namespaces.
        ClusterFacts facts = view.facts();
        Map<String, DesiredNamespaceState> desired = new HashMap<>();
        for (ProfileView p : profiles) {
            boolean selecting = plan.selectedBy().contains(p.name()) || plan.frozenSelectedBy().contains(p.name());
            if (selecting && p.valid() && !p.deleting()) {
                desired.put(p.name(), ProfileRenderer.render(p.profile(), name, facts));
            }
        }

        List<String> wanted = desired.values().stream()
                .flatMap(state -> state.networkPolicies().stream().map(np -> np.getMetadata().getName())).toList();
        // Only policies a profile controls (ownerReference uid) count as ours: the probe's, which carry
        // the managed-by label too, and a tenant's look-alikes are left alone.
        NamespaceWriter.Result result = writer.converge(namespace, plan, profiles, desired,
                view.managedPoliciesIn(name, wanted));
        publish(name, new ReconcileLedger.NamespaceRecord(seen, result.outcomes()));
        return next(name, result);
    }

    /**
     * When to look at the namespace again; called after the outcome was recorded, so status
     * already names any failure.
     */
    private UpdateControl<Namespace> next(String name, NamespaceWriter.Result result) {
        if (!result.transientErrors().isEmpty()) {
            if (result.retryAfter() != null) {
                // The server said when (429 Retry-After); JOSDK's backoff might come back sooner.
                return UpdateControl.<Namespace>noUpdate().rescheduleAfter(result.retryAfter());
            }
            // JOSDK retries with capped exponential backoff.
            throw new NamespaceApplyException(name, result.transientErrors().get(0));
        }
        if (result.recheck()) {
            return UpdateControl.<Namespace>noUpdate().rescheduleAfter(recheck.next(name));
        }
        recheck.reset(name);
        if (!result.permanentErrors().isEmpty()) {
            return UpdateControl.<Namespace>noUpdate().rescheduleAfter(permanentInterval);
        }
        return UpdateControl.noUpdate();
    }

    /**
     * Something nobody anticipated went wrong (a bug, or cluster data no rule foresaw). The
     * namespace's outcome is still recorded, for every profile selecting it on its live labels,
     * so no profile's status freezes waiting for it; JOSDK then retries with backoff.
     */
    private void recordError(Namespace namespace, RuntimeException error) {
        String name = namespace.getMetadata().getName();
        String message = "namespace " + name + ": reconcile failed unexpectedly: " + error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage());
        try {
            Map<String, String> seen = new HashMap<>();
            Map<String, NamespaceOutcome> outcomes = new HashMap<>();
            for (IsolationProfile profile : view.profiles()) {
                ProfileView p = directory.view(profile);
                seen.put(p.name(), p.fingerprint());
                if (p.role() == MetadataCandidate.Role.ACTIVE
                        && p.selection(protectedNamespaces).selects(name, namespace.getMetadata().getLabels())) {
                    outcomes.put(p.name(), new NamespaceOutcome(p.fingerprint(), 0, 0, false, ConditionReason.ReconcileError,
                            message, List.of(), false));
                }
            }
            publish(name, new ReconcileLedger.NamespaceRecord(seen, outcomes));
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
    }


    private void publish(String namespace, ReconcileLedger.NamespaceRecord record) {
        ledger.record(namespace, record).forEach(refresher::refresh);
    }

    private static Set<ResourceID> allNamespaces(EventSourceContext<Namespace> context) {
        return context.getPrimaryCache().keys().collect(Collectors.toSet());
    }

    /**
     * A Node or API server endpoint changed: the cached cluster facts are stale, and the
     * namespaces of profiles rendering the affected preset must be re-rendered.
     */
    private Set<ResourceID> factsChanged(Predicate<ProfileView> preset) {
        view.invalidateFacts();
        if (!view.attached()) {
            return Set.of();
        }
        return view.profiles().stream().map(directory::view).filter(p -> p.valid() && preset.test(p))
                .flatMap(p -> ledger.namespacesSelectedBy(p.name()).stream())
                .map(ResourceID::new)
                .collect(Collectors.toSet());
    }

    private static Set<String> internalIps(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Set.of();
        }
        return node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).collect(Collectors.toSet());
    }

    /** Thrown after a namespace's transient failures were recorded, so JOSDK retries it with backoff. */
    public static final class NamespaceApplyException extends RuntimeException {
        public NamespaceApplyException(String namespace, String message) {
            super("namespace " + namespace + ": " + message);
        }
    }
}
