package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.ProbeContract;
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
 */
@ControllerConfiguration(name = NamespaceReconciler.NAME, generationAwareEventProcessing = false)
public class NamespaceReconciler implements Reconciler<Namespace> {

    public static final String NAME = "namespaces";

    private final ClusterView view;
    private final ProfileDirectory directory;
    private final ReconcileLedger ledger;
    private final ProfileRefresher refresher;
    private final NamespaceWriter writer;
    private final Set<String> protectedNamespaces;
    private final BooleanSupplier cniReadsLegacyAnnotation;
    private final TriggerEventSource<Namespace> trigger;

    /**
     * @param trigger lets code outside this controller (CNI detection) re-reconcile namespaces by name
     */
    public NamespaceReconciler(ClusterView view, ProfileDirectory directory, ReconcileLedger ledger,
                               ProfileRefresher refresher, NamespaceWriter writer, Set<String> protectedNamespaces,
                               BooleanSupplier cniReadsLegacyAnnotation, TriggerEventSource<Namespace> trigger) {
        this.view = view;
        this.directory = directory;
        this.ledger = ledger;
        this.refresher = refresher;
        this.writer = writer;
        this.protectedNamespaces = Set.copyOf(protectedNamespaces);
        this.cniReadsLegacyAnnotation = cniReadsLegacyAnnotation;
        this.trigger = trigger;
    }

    @Override
    public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> context) {
        context.getPrimaryCache().addIndexers(ClusterView.namespaceIndexers());

        var policies = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(NetworkPolicy.class, Namespace.class)
                .withName("networkpolicies")
                .withWatchAllNamespaces()
                .withLabelSelector(ManagedLabels.MANAGED_BY + "=" + ManagedLabels.MANAGED_BY_VALUE)
                .withSecondaryToPrimaryMapper(np -> Set.of(new ResourceID(np.getMetadata().getNamespace())))
                .build(), context);
        policies.addIndexers(ClusterView.policyIndexers());

        // A profile's spec change can alter any namespace: selectors match anywhere, and labels a
        // profile sets can make other profiles select a namespace. So every namespace is re-planned
        // (in memory; only differences are written). Status-only updates are filtered out.
        var profiles = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(IsolationProfile.class, Namespace.class)
                .withName("profiles")
                .withWatchAllNamespaces()
                .withOnUpdateFilter((IsolationProfile next, IsolationProfile prev) ->
                        !ProfileDirectory.fingerprint(next).equals(ProfileDirectory.fingerprint(prev)))
                .withSecondaryToPrimaryMapper(p -> allNamespaces(context))
                .build(), context);

        // Node heartbeats update status constantly; only a change of InternalIPs matters.
        var nodes = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Node.class, Namespace.class)
                .withName("nodes")
                .withWatchAllNamespaces()
                .withOnUpdateFilter((Node next, Node prev) -> !internalIps(next).equals(internalIps(prev)))
                .withSecondaryToPrimaryMapper(n -> factsChanged(p -> p.spec().allowNodes()))
                .build(), context);

        var apiServer = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(EndpointSlice.class, Namespace.class)
                .withName("apiserver-endpoints")
                .withNamespaces(Set.of("default"))
                .withLabelSelector("kubernetes.io/service-name=kubernetes")
                .withOnUpdateFilter((EndpointSlice next, EndpointSlice prev) ->
                        !Objects.equals(next.getEndpoints(), prev.getEndpoints())
                                || !Objects.equals(next.getPorts(), prev.getPorts()))
                .withSecondaryToPrimaryMapper(s -> factsChanged(p -> p.spec().allowKubeApiServer()))
                .build(), context);

        view.attach(context.getPrimaryCache(), policies, profiles, nodes, apiServer);
        trigger.watch(context.getPrimaryCache());
        return List.of(policies, profiles, nodes, apiServer, trigger);
    }

    @Override
    public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
        String name = namespace.getMetadata().getName();
        List<ProfileView> profiles = view.profiles().stream().map(directory::view).toList();
        Map<String, String> seen = profiles.stream()
                .collect(Collectors.toMap(ProfileView::name, ProfileView::fingerprint, (a, b) -> a));

        if (namespace.getMetadata().getDeletionTimestamp() != null) {
            // A terminating namespace rejects new objects; its policies go with it.
            publish(name, new ReconcileLedger.NamespaceRecord(seen, Map.of()));
            return UpdateControl.noUpdate();
        }

        boolean legacy = cniReadsLegacyAnnotation.getAsBoolean();
        List<MetadataCandidate> candidates = new ArrayList<>();
        for (ProfileView p : profiles) {
            boolean renders = p.valid() && !p.deleting();
            candidates.add(new MetadataCandidate(p.name(), p.priority(), p.role(),
                    labels -> p.selects(name, labels, protectedNamespaces),
                    renders ? NamespaceMetadata.labels(p.spec()) : Map.of(),
                    renders ? NamespaceMetadata.annotations(p.spec(), legacy) : Map.of()));
        }
        MetadataPlan plan = MetadataPlanner.plan(name, namespace.getMetadata().getLabels(),
                namespace.getMetadata().getAnnotations(), candidates);

        // Policies are rendered only for the profiles that select this namespace: with many
        // profiles, most of them select few namespaces.
        ClusterFacts facts = view.facts();
        Map<String, DesiredNamespaceState> desired = new HashMap<>();
        for (ProfileView p : profiles) {
            boolean selecting = plan.selectedBy().contains(p.name()) || plan.frozenSelectedBy().contains(p.name());
            if (selecting && p.valid() && !p.deleting()) {
                desired.put(p.name(), ProfileRenderer.render(p.profile(), name, facts, legacy));
            }
        }

        List<String> wanted = desired.values().stream()
                .flatMap(state -> state.networkPolicies().stream().map(np -> np.getMetadata().getName())).toList();
        // The probe's own policies carry the managed-by label too, but belong to its run, not to a profile.
        Map<String, NetworkPolicy> live = new HashMap<>(view.managedPoliciesIn(name, wanted));
        live.values().removeIf(np -> np.getMetadata().getLabels() != null
                && np.getMetadata().getLabels().containsKey(ProbeContract.RUN_LABEL));
        NamespaceWriter.Result result = writer.converge(namespace, plan, profiles, desired, live);
        publish(name, new ReconcileLedger.NamespaceRecord(seen, result.outcomes()));
        if (result.failed()) {
            // Recorded first, so status names the failure; the exception makes JOSDK retry with backoff.
            throw new NamespaceApplyException(name, result.firstError());
        }
        return UpdateControl.noUpdate();
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

    /** Thrown after a namespace's failures were recorded, so JOSDK retries it with backoff. */
    public static final class NamespaceApplyException extends RuntimeException {
        public NamespaceApplyException(String namespace, String message) {
            super("namespace " + namespace + ": " + message);
        }
    }
}
