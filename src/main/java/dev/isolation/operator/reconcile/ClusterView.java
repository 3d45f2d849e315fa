package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.render.ClusterFacts;
import dev.isolation.operator.render.ManagedLabels;
import dev.isolation.operator.render.OwnedKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Read access to the informer caches the namespace controller owns, shared with the profile
 * controller so the cluster is held in memory once. Nothing here calls the API server.
 */
public final class ClusterView {

    static final String POLICIES_BY_OWNER_UID = "by-owner-uid";
    static final String NAMESPACES_BY_OWNER = "by-owning-profile";

    private static final String PROFILE_KIND = "IsolationProfile";

    private volatile IndexerResourceCache<Namespace> namespaces;
    private volatile InformerEventSource<NetworkPolicy, Namespace> policies;
    private volatile InformerEventSource<IsolationProfile, Namespace> profiles;
    private volatile InformerEventSource<Node, Namespace> nodes;
    private volatile InformerEventSource<EndpointSlice, Namespace> apiServerSlices;
    private final AtomicLong factsVersion = new AtomicLong();
    private volatile VersionedFacts facts;

    void attach(IndexerResourceCache<Namespace> namespaces,
                InformerEventSource<NetworkPolicy, Namespace> policies,
                InformerEventSource<IsolationProfile, Namespace> profiles,
                InformerEventSource<Node, Namespace> nodes,
                InformerEventSource<EndpointSlice, Namespace> apiServerSlices) {
        this.namespaces = namespaces;
        this.policies = policies;
        this.profiles = profiles;
        this.nodes = nodes;
        this.apiServerSlices = apiServerSlices;
    }

    /**
     * Indexers must exist before the informers start, so they are declared here once. An indexer
     * that throws fails the informer's whole list-and-watch, which would keep the operator from
     * starting or freeze its caches; they read untrusted objects, so none of them may throw.
     * Policies are indexed by the uid of the profile that controls them: labels alone are not
     * proof, since a tenant can put our labels on a policy of its own.
     */
    static Map<String, Function<NetworkPolicy, List<String>>> policyIndexers() {
        return Map.of(POLICIES_BY_OWNER_UID,
                neverThrowing(np -> controllingProfileUid(np).map(List::of).orElse(List.of())));
    }

    /**
     * A namespace whose bookkeeping is malformed indexes under no profile: the operator leaves its
     * keys alone, so waiting for them would block a profile's deletion for ever. A namespace in
     * Terminating is leaving: its keys go with it, so they hold no profile's deletion either.
     */
    static Map<String, Function<Namespace, List<String>>> namespaceIndexers() {
        return Map.of(NAMESPACES_BY_OWNER, neverThrowing(ns -> ns.getMetadata().getDeletionTimestamp() != null
                ? List.of() : List.copyOf(OwnedKeys.parse(ns.getMetadata().getAnnotations()).profiles())));
    }

    private static <T> Function<T, List<String>> neverThrowing(Function<T, List<String>> indexer) {
        return resource -> {
            try {
                return indexer.apply(resource);
            } catch (RuntimeException e) {
                return List.of();
            }
        };
    }

    /**
     * The uid in the policy's controller ownerReference to the IsolationProfile its profile label
     * names, if it has one. Parsed defensively: this runs in an informer indexer.
     */
    static Optional<String> controllingProfileUid(NetworkPolicy np) {
        ObjectMeta meta = np.getMetadata();
        String profile = meta == null || meta.getLabels() == null ? null : meta.getLabels().get(ManagedLabels.PROFILE);
        if (profile == null || meta.getOwnerReferences() == null) {
            return Optional.empty();
        }
        return meta.getOwnerReferences().stream()
                .filter(ref -> ref != null && Boolean.TRUE.equals(ref.getController()) && ref.getUid() != null
                        && PROFILE_KIND.equals(ref.getKind()) && profile.equals(ref.getName())
                        && ref.getApiVersion() != null && ref.getApiVersion().startsWith(IsolationProfile.GROUP + "/"))
                .map(OwnerReference::getUid)
                .findFirst();
    }

    /**
     * The operator's own policy: its controller ownerReference points at the existing profile its
     * label names (uid match). A look-alike a tenant created — our labels, maybe a finalizer, no
     * or a stale reference — is never deleted, waited on or counted.
     */
    public boolean owned(NetworkPolicy np) {
        Optional<String> uid = controllingProfileUid(np);
        return uid.isPresent() && profiles.get(new ResourceID(np.getMetadata().getLabels().get(ManagedLabels.PROFILE)))
                .map(p -> uid.get().equals(p.getMetadata().getUid())).orElse(false);
    }

    public boolean attached() {
        return namespaces != null;
    }

    /**
     * Every cache here has completed its initial list. Each JOSDK controller starts once its
     * own informers synced, so the profile controller can run before these are complete.
     */
    public boolean synced() {
        return attached() && Stream.of(namespaces, policies, profiles, nodes, apiServerSlices)
                .allMatch(ClusterView::synced);
    }

    /** The profile cache completed its initial list: only then is a profile missing from it known not to exist. */
    public boolean profilesSynced() {
        return attached() && synced(profiles);
    }

    private static boolean synced(Object cache) {
        return !(cache instanceof ManagedInformerEventSource<?, ?, ?> informer)
                || informer.informerHealthIndicators().values().stream().allMatch(InformerHealthIndicator::hasSynced);
    }

    public Set<String> namespaceNames() {
        return namespaces.list().map(ns -> ns.getMetadata().getName()).collect(Collectors.toSet());
    }

    /**
     * The number of namespaces in the cache, without building anything per namespace ({@code keys()}
     * would parse a ResourceID out of every cache key: 5% of the CPU of a 10,000-namespace rollout).
     */
    public long namespaceCount() {
        return namespaces.list().count();
    }

    public Optional<Namespace> namespace(String name) {
        return namespaces.get(new ResourceID(name));
    }

    public List<IsolationProfile> profiles() {
        return profiles.list().toList();
    }

    /**
     * The managed policies of a namespace, including the ones this operator wrote a moment ago:
     * those sit in JOSDK's temporary cache until the informer catches up, which a plain list
     * does not consult, and missing them would mean trying to create them twice.
     */
    public Map<String, NetworkPolicy> managedPoliciesIn(String namespace, Collection<String> justWritten) {
        // The informer's namespace index: list(namespace, ...) would scan every cached policy,
        // which at 10,000 namespaces costs more than everything else in a reconcile.
        Map<String, NetworkPolicy> result = policies.byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .filter(this::owned)
                .collect(Collectors.toMap(np -> np.getMetadata().getName(), np -> np, (a, b) -> a, HashMap::new));
        for (String name : justWritten) {
            policies.get(new ResourceID(name, namespace)).filter(this::owned).ifPresent(np -> result.put(name, np));
        }
        return result;
    }

    /** The policies a profile has in one namespace, from the namespace index (for the dashboard). */
    public List<NetworkPolicy> policiesOf(String profile, String namespace) {
        return policies.byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .filter(np -> np.getMetadata().getLabels() != null
                        && profile.equals(np.getMetadata().getLabels().get(ManagedLabels.PROFILE)))
                .toList();
    }

    /*
     * What JOSDK's getSecondaryResources(namespace) answers, computed from the caches when asked
     * (nothing in the operator asks today). Without such a mapper JOSDK keeps a primary-to-secondary
     * index of its own, filled from the secondary-to-primary mapper: one entry per (namespace,
     * related object). For profiles, Nodes and the API server's EndpointSlice every object relates
     * to every namespace it renders for, so 50 profiles over 10,000 namespaces held 500,000
     * entries (measured: ~40 MiB, a full heap in the 512Mi pod) and 1,000 Nodes under a nodes
     * preset would hold 10 million.
     */

    /** Every profile concerns every namespace: its selector may match any of them. */
    PrimaryToSecondaryMapper<Namespace> everyProfile() {
        return namespace -> ids(profiles == null ? Stream.empty() : profiles.list());
    }

    /** Node addresses are facts of every namespace that renders the nodes preset. */
    PrimaryToSecondaryMapper<Namespace> everyNode() {
        return namespace -> ids(nodes == null ? Stream.empty() : nodes.list());
    }

    /** The API server's endpoints are facts of every namespace that renders the kubeApiServer preset. */
    PrimaryToSecondaryMapper<Namespace> everyApiServerSlice() {
        return namespace -> ids(apiServerSlices == null ? Stream.empty() : apiServerSlices.list());
    }

    /** The labelled policies in the namespace, from the informer's namespace index. */
    PrimaryToSecondaryMapper<Namespace> policiesInNamespace() {
        return namespace -> ids(policies == null ? Stream.empty()
                : policies.byIndex(Cache.NAMESPACE_INDEX, namespace.getMetadata().getName()).stream());
    }

    private static Set<ResourceID> ids(Stream<? extends HasMetadata> objects) {
        return objects.map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    public InformerEventSource<NetworkPolicy, Namespace> policySource() {
        return policies;
    }

    /** The operator's own policies; look-alikes carrying our labels are not counted. */
    public long managedPolicyCount() {
        return policies == null ? 0 : policies.list().filter(this::owned).count();
    }

    /**
     * What the profile wrote that is still in the cluster: its policies (in any namespace) and
     * the namespaces that still carry its keys (not counting namespaces being deleted). Empty
     * once cleanup is complete.
     */
    public List<String> remainingStateOf(IsolationProfile profile) {
        List<String> result = new ArrayList<>();
        policies.byIndex(POLICIES_BY_OWNER_UID, profile.getMetadata().getUid()).stream()
                .sorted(Comparator.comparing((NetworkPolicy np) -> np.getMetadata().getNamespace())
                        .thenComparing(np -> np.getMetadata().getName()))
                .forEach(np -> result.add("namespace " + np.getMetadata().getNamespace() + ": NetworkPolicy "
                        + np.getMetadata().getName() + pendingDeletion(np.getMetadata())));
        namespaces.byIndex(NAMESPACES_BY_OWNER, profile.getMetadata().getName()).stream()
                .map(ns -> ns.getMetadata().getName()).sorted()
                .forEach(ns -> result.add("namespace " + ns + ": labels/annotations"));
        return result;
    }

    private static String pendingDeletion(ObjectMeta meta) {
        if (meta.getDeletionTimestamp() == null) {
            return "";
        }
        List<String> finalizers = meta.getFinalizers() == null ? List.of() : meta.getFinalizers();
        return " (deletion requested, waiting for finalizers " + finalizers + ")";
    }

    /**
     * The facts the kubeApiServer and nodes presets are rendered from. Every namespace reconcile
     * asks; with a thousand nodes recomputing each time would dominate, so the result is kept
     * until a Node or API server EndpointSlice event invalidates it.
     */
    public ClusterFacts facts() {
        long version = factsVersion.get();
        VersionedFacts cached = facts;
        if (cached != null && cached.version() == version) {
            return cached.facts();
        }
        ClusterFacts fresh = ClusterFacts.from(apiServerSlices.list().toList(), nodes.list().toList());
        // Stored with the version read before computing: if an event arrived meanwhile, the next
        // call sees a newer version and computes again.
        facts = new VersionedFacts(version, fresh);
        return fresh;
    }

    /** Called for every Node or EndpointSlice event that passed its filter (after the cache saw it). */
    void invalidateFacts() {
        factsVersion.incrementAndGet();
    }

    private record VersionedFacts(long version, ClusterFacts facts) {
    }
}
