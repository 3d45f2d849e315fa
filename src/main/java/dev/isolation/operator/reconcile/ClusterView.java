package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.render.ClusterFacts;
import dev.isolation.operator.render.ManagedLabels;
import dev.isolation.operator.render.OwnedKeys;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;

import java.util.Collection;
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

    static final String POLICIES_BY_PROFILE = "by-profile";
    static final String NAMESPACES_BY_OWNER = "by-owning-profile";

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

    /** Indexers must exist before the informers start, so they are declared here once. */
    static Map<String, Function<NetworkPolicy, List<String>>> policyIndexers() {
        return Map.of(POLICIES_BY_PROFILE, np -> {
            Map<String, String> labels = np.getMetadata().getLabels();
            String profile = labels == null ? null : labels.get(ManagedLabels.PROFILE);
            return profile == null ? List.of() : List.of(profile);
        });
    }

    static Map<String, Function<Namespace, List<String>>> namespaceIndexers() {
        return Map.of(NAMESPACES_BY_OWNER, ns -> List.copyOf(OwnedKeys.parse(ns.getMetadata().getAnnotations()).profiles()));
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

    private static boolean synced(Object cache) {
        return !(cache instanceof ManagedInformerEventSource<?, ?, ?> informer)
                || informer.informerHealthIndicators().values().stream().allMatch(InformerHealthIndicator::hasSynced);
    }

    public Set<String> namespaceNames() {
        return namespaces.list().map(ns -> ns.getMetadata().getName()).collect(Collectors.toSet());
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
                .collect(Collectors.toMap(np -> np.getMetadata().getName(), np -> np, (a, b) -> a, HashMap::new));
        for (String name : justWritten) {
            policies.get(new ResourceID(name, namespace)).ifPresent(np -> result.put(name, np));
        }
        return result;
    }

    public InformerEventSource<NetworkPolicy, Namespace> policySource() {
        return policies;
    }

    public long managedPolicyCount() {
        return policies == null ? 0 : policies.keys().count();
    }

    /** True while anything the profile wrote is still in the cluster (policies or namespace keys). */
    public boolean hasStateOf(String profile) {
        return !policies.byIndex(POLICIES_BY_PROFILE, profile).isEmpty()
                || !namespaces.byIndex(NAMESPACES_BY_OWNER, profile).isEmpty();
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
