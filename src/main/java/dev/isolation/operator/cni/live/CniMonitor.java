package dev.isolation.operator.cni.live;

import dev.isolation.operator.cache.Slim;
import dev.isolation.operator.cache.SlimStore;
import dev.isolation.operator.cni.CapabilityCatalog;
import dev.isolation.operator.cni.ClusterInventory;
import dev.isolation.operator.cni.CniDetector;
import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.SystemNamespaces;
import dev.isolation.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Keeps the cluster's {@link CniVerdict} current: watches what {@link CniDetector} looks at and
 * re-runs detection, debounced, whenever any of it changes. No polling.
 *
 * <p>Plain fabric8 informers rather than JOSDK InformerEventSources: the verdict belongs to no
 * primary resource and to neither controller (both react to it), so a controller-owned event
 * source would need a fake primary mapping, and its lifecycle is the runtime's, not a
 * controller's. The Node informer duplicates the namespace controller's; nodes are few compared
 * with namespaces, and sharing would tie detection to that controller's start.
 *
 * <p>All detection runs on one thread, so verdicts are computed and published in order.
 */
public final class CniMonitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CniMonitor.class);

    private final KubernetesClient client;
    private final Duration debounce;
    private final Optional<String> operatorNamespace;
    private final String catalogConfigMap;
    private final SystemNamespaces systemNamespaces;
    private final CatalogOverride override = new CatalogOverride();
    private final InvalidOverrideEvents events;
    private final List<Consumer<CniVerdict>> listeners = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cni-detection");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final List<SharedIndexInformer<DaemonSet>> daemonSets = new ArrayList<>();
    private final List<SharedIndexInformer<Deployment>> deployments = new ArrayList<>();
    private SharedIndexInformer<CustomResourceDefinition> crds;
    private SharedIndexInformer<Node> nodes;
    private final List<SharedIndexInformer<ConfigMap>> configMaps = new ArrayList<>();

    private volatile CniVerdict current;
    private volatile boolean overrideValid = true;

    public CniMonitor(KubernetesClient client, OperatorConfig.Cni config, Optional<String> operatorNamespace) {
        this.client = client;
        this.debounce = config.debounce();
        this.operatorNamespace = operatorNamespace.filter(ns -> !ns.isBlank());
        this.catalogConfigMap = config.catalogConfigMap();
        this.systemNamespaces = SystemNamespaces.withExtra(config.systemNamespaces().orElse(List.of()));
        this.events = new InvalidOverrideEvents(client);
    }

    /** Called on the detection thread after every change of the verdict, including the first one. */
    public void addListener(Consumer<CniVerdict> listener) {
        listeners.add(listener);
    }

    /** The verdict in effect; null until the informers synced and detection ran once. */
    public CniVerdict current() {
        return current;
    }

    /** False while the override ConfigMap is present but rejected (the built-in catalog is used). */
    public boolean overrideValid() {
        return overrideValid;
    }

    /**
     * Starts the informers and waits (bounded) for them to sync, so the controllers start with a
     * real verdict instead of publishing a provisional Unknown first.
     */
    public void start(Duration syncTimeout) {
        // Evidence comes only from the system namespaces (API contract, "Trust rules"), so only those are
        // watched: a tenant's look-alike workload never reaches the cache, and the cache stays small.
        // Readiness is evidence too: a DaemonSet whose first pod becomes ready changes the verdict.
        for (String ns : systemNamespaces.names()) {
            daemonSets.add(watch(client.apps().daemonSets().inNamespace(ns).runnableInformer(0),
                    (a, b) -> !Objects.equals(a.getSpec(), b.getSpec()) || CniDetector.ready(a) != CniDetector.ready(b)));
            deployments.add(watch(client.apps().deployments().inNamespace(ns).runnableInformer(0),
                    (a, b) -> !Objects.equals(a.getSpec(), b.getSpec()) || CniDetector.ready(a) != CniDetector.ready(b)));
        }
        // Only names matter, so updates never do, and only names are cached: CRDs carry large
        // OpenAPI schemas, tens of megabytes in a cluster with a few hundred of them.
        crds = watch(client.apiextensions().v1().customResourceDefinitions().runnableInformer(0)
                .itemStore(new SlimStore<>(Slim.identityOnly(CustomResourceDefinition::new))), (a, b) -> false);
        // Heartbeats update node status every few seconds; detection reads only these fields, and
        // only they are cached (a Node's image list alone can be tens of kilobytes).
        nodes = watch(client.nodes().runnableInformer(0).itemStore(new SlimStore<>(Slim::detectionFacts)),
                (a, b) -> !Objects.equals(nodeFacts(a), nodeFacts(b)));
        Set<String> namespaces = new TreeSet<>(systemNamespaces.names());
        operatorNamespace.ifPresent(namespaces::add);
        for (String ns : namespaces) {
            configMaps.add(watch(client.configMaps().inNamespace(ns).runnableInformer(0),
                    (a, b) -> !Objects.equals(a.getData(), b.getData())));
        }
        CompletableFuture<?>[] started = informers.stream()
                .map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new);
        CompletableFuture<Void> all = CompletableFuture.allOf(started);
        all.whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(error, "CNI detection informers failed to start; enforcement stays Unknown");
            } else {
                schedule();
            }
        });
        try {
            all.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
            worker.submit(this::recompute).get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warnf("CNI detection not ready after %s; controllers start anyway and enforcement stays "
                    + "Unknown until it is: %s", syncTimeout, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Readiness: every informer listed and is watching. */
    public boolean healthy() {
        return !informers.isEmpty() && informers.stream().allMatch(i -> i.hasSynced() && i.isWatching());
    }

    @Override
    public void close() {
        worker.shutdownNow();
        informers.forEach(SharedIndexInformer::stop);
    }

    private <T> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer, BiPredicate<T, T> relevantUpdate) {
        // fabric8's default gives up on an informer whose first list fails (one 500, 503 or 429
        // at start) and detection would stay Unknown until a restart; list and watch are retried
        // with backoff instead, and readiness says not ready meanwhile.
        informer.exceptionHandler((started, error) -> true);
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                schedule();
            }

            @Override
            public void onUpdate(T before, T after) {
                if (relevantUpdate.test(before, after)) {
                    schedule();
                }
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                schedule();
            }
        });
        informers.add(informer);
        return informer;
    }

    /** Debounce: the first change arms one recomputation, later ones ride along with it. */
    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.schedule(this::recompute, debounce.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed: nothing to keep current any more
            }
        }
    }

    private void recompute() {
        scheduled.set(false);
        if (!informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
            return; // a partial inventory could name the wrong CNI; the sync completion schedules again
        }
        try {
            CniVerdict next = CniDetector.detect(inventory(), catalog(), systemNamespaces);
            if (!next.equals(current)) {
                CniVerdict previous = current;
                current = next;
                LOG.infof("CNI %s: %s, enforces NetworkPolicy: %s", previous == null ? "detected" : "changed",
                        next.describe(), next.enforcesNetworkPolicy());
                publish(next);
            }
        } catch (RuntimeException e) {
            // Keep the last verdict; the next cluster change tries again.
            LOG.errorf(e, "CNI detection failed; keeping %s", current == null ? "no verdict" : current.describe());
        }
    }

    private void publish(CniVerdict verdict) {
        for (Consumer<CniVerdict> listener : listeners) {
            try {
                listener.accept(verdict);
            } catch (RuntimeException e) {
                LOG.errorf(e, "CNI verdict listener failed for %s", verdict.describe());
            }
        }
    }

    private ClusterInventory inventory() {
        List<ConfigMap> maps = configMaps.stream().flatMap(i -> i.getStore().list().stream())
                .filter(cm -> systemNamespaces.contains(cm.getMetadata().getNamespace())).toList();
        Set<String> crdNames = crds.getStore().list().stream().map(c -> c.getMetadata().getName())
                .collect(Collectors.toSet());
        return new ClusterInventory(daemonSets.stream().flatMap(i -> i.getStore().list().stream()).toList(),
                deployments.stream().flatMap(i -> i.getStore().list().stream()).toList(), maps, crdNames,
                nodes.getStore().list());
    }

    private CapabilityCatalog catalog() {
        ConfigMap map = operatorNamespace.flatMap(ns -> configMaps.stream()
                .map(i -> i.getStore().getByKey(Cache.namespaceKeyFunc(ns, catalogConfigMap)))
                .filter(Objects::nonNull).findFirst()).orElse(null);
        CatalogOverride.Outcome outcome = override.resolve(map);
        overrideValid = outcome.valid();
        if (outcome.fresh() && map != null) {
            String where = map.getMetadata().getNamespace() + "/" + map.getMetadata().getName();
            if (outcome.valid()) {
                LOG.infof("CNI capability catalog override from ConfigMap %s is in effect", where);
            } else {
                LOG.warnf("CNI capability catalog override in ConfigMap %s, key %s, rejected at %s: %s; "
                                + "the built-in catalog stays in use", where, CatalogOverride.KEY,
                        outcome.problem().path(), outcome.problem().getMessage());
                events.report(map, outcome.problem());
            }
        }
        return outcome.catalog();
    }

    /** What detection reads of a Node (k3s labels/annotations and kubelet version). */
    private static List<Object> nodeFacts(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        String kubelet = node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
                : node.getStatus().getNodeInfo().getKubeletVersion();
        return java.util.Arrays.asList(labels, annotations, kubelet);
    }
}
