package dev.isolation.operator.reconcile;

import dev.isolation.operator.cache.Slim;
import dev.isolation.operator.cache.SlimStore;
import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.live.CniMonitor;
import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.probe.live.ProbeRunner;
import dev.isolation.operator.probe.live.ProbeScheduler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One running instance of the operator: the JOSDK {@link Operator}, both controllers, CNI
 * detection and the in-memory state they share. A restart builds a new one, exactly like a new
 * pod would.
 */
public final class OperatorRuntime {

    /** Well inside the pod's terminationGracePeriodSeconds (30s by default). */
    static final Duration RECONCILIATION_TERMINATION_TIMEOUT = Duration.ofSeconds(10);

    private final Operator operator;
    private final ClusterView view = new ClusterView();
    private final ReconcileLedger ledger = new ReconcileLedger();
    private final CniMonitor cni;
    private final CniChangeFanout cniFanout;
    private final Duration cniSyncTimeout;
    private final ReconcileWatchdog watchdog;
    /** Null without leader election. */
    private final LeaderLease lease;
    private final ProbeScheduler probe;

    public OperatorRuntime(KubernetesClient client, OperatorConfig config, Metrics metrics) {
        ProfileDirectory directory = new ProfileDirectory(config.operatorNamespace().orElse(null));
        ProfileRefresher refresher = new ProfileRefresher(config.statusRefreshDelay());
        this.cni = new CniMonitor(client, config.cni(), config.operatorNamespace());
        this.cniSyncTimeout = config.cni().syncTimeout();
        this.watchdog = new ReconcileWatchdog(Clock.systemUTC(), config.liveness().informerGrace(),
                config.liveness().reconcileTimeout());
        ProfileEvents events = new ProfileEvents(client, Clock.systemUTC(), config.eventInterval());
        TriggerEventSource<Namespace> namespaceTrigger = new TriggerEventSource<>(Namespace.class, "namespace-trigger",
                config.statusRefreshDelay());
        this.lease = config.leaderElection().enabled() ? leaderLease(client, config) : null;
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // The mock API server used in tests rejects server-side apply, and the operator
                    // must behave identically there and on a real cluster.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withExecutorService(new ProfileFirstExecutor(config.reconcileThreads()))
                    // Shutdown is bounded: reconciliations still running after this are abandoned
                    // (each write is idempotent and the next leader redoes it).
                    .withReconciliationTerminationTimeout(RECONCILIATION_TERMINATION_TIMEOUT)
                    // A failed initial list (a 500, 503 or 429 of a busy API server) is retried
                    // with backoff instead of stopping the informer for good and the operator with
                    // it. Nothing acts on an incomplete cache: deletes need the owning profile in
                    // the cache, and status waits until every cache synced (ClusterView.synced).
                    .withStopOnInformerErrorDuringStartup(false)
                    .withMetrics(new WatchdogMetrics(metrics, watchdog));
            if (lease != null) {
                o.withLeaderElectionConfiguration(lease.configuration());
            }
        });
        // Transient failures are retried with capped exponential backoff for as long as they fail;
        // status already says why. Permanent ones are not thrown (NamespaceReconciler.next).
        GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2)
                .setMaxInterval(60_000).withoutMaxAttempts();
        NamespaceReconciler namespaces = new NamespaceReconciler(view, directory, ledger, refresher,
                new NamespaceWriter(client, view), protectedNamespaces(config), this::readsLegacyAnnotation,
                namespaceTrigger, config.retry());
        ProbeEnforcement enforcement = new ProbeEnforcement(new CniEnforcement(view, cni::current), view, directory);
        this.probe = new ProbeScheduler(new ProbeRunner(client, config.probe(),
                ns -> view.attached() && view.namespace(ns).isPresent(), Clock.systemUTC()),
                enforcement::demand, config.probe().interval());
        enforcement.use(probe);
        // A finished run may change the Enforced condition of every Probe profile.
        probe.addListener(run -> view.profiles().stream().map(directory::view).filter(enforcement::asksForProbe)
                .forEach(p -> refresher.refresh(p.name())));
        cni.addListener(verdict -> probe.cniChanged());
        ProfileReconciler profiles = new ProfileReconciler(view, directory, ledger, refresher,
                enforcement, events, protectedNamespaces(config),
                config.statusWriteInterval(), Clock.systemUTC(), config.retry().deletionReportAfter());
        this.cniFanout = new CniChangeFanout(view, directory, ledger, refresher, namespaceTrigger);
        cni.addListener(cniFanout);
        // All events, deletions included: a namespace that goes Terminating or disappears must
        // leave the ledger (and the profiles' counts) at once. JOSDK skips those otherwise.
        // The namespace cache drops managedFields (see Slim). Safe for writes: NamespaceWriter sends a
        // JSON patch of the label and annotation maps pinned to the resourceVersion, never the copy.
        operator.register(namespaces, o -> o.withRetry(retry).withTriggerReconcilerOnAllEvents(true)
                .withItemStore(new SlimStore<>(Slim::compact))
                .withInformerListLimit(NamespaceReconciler.LIST_PAGE));
        operator.register(profiles, o -> o.withRetry(retry));
    }

    private static LeaderLease leaderLease(KubernetesClient client, OperatorConfig config) {
        OperatorConfig.LeaderElection election = config.leaderElection();
        String namespace = election.leaseNamespace().or(config::operatorNamespace).orElseGet(client::getNamespace);
        // Known up front (not generated inside JOSDK) so a graceful stop can release the Lease it holds.
        String identity = election.identity().filter(id -> !id.isBlank()).orElseGet(() -> UUID.randomUUID().toString());
        return new LeaderLease(client, namespace, election.leaseName(), identity, election.exitOnStopLeading());
    }

    /**
     * Configured namespaces are added to the defaults: a list that replaced them (e.g.
     * ISOLATION_PROTECTED_NAMESPACES=cert-manager) would silently let selectors pick kube-system.
     * Only the explicit protected-namespaces-replace-defaults=true drops the defaults.
     */
    static Set<String> protectedNamespaces(OperatorConfig config) {
        Set<String> result = new TreeSet<>(config.protectedNamespaces());
        if (!config.protectedNamespacesReplaceDefaults()) {
            result.addAll(List.of(OperatorConfig.DEFAULT_PROTECTED_NAMESPACES.split(",")));
        }
        config.operatorNamespace().ifPresent(result::add);
        // Probe pods must see exactly the policies of their check; a profile's would falsify every result.
        result.add(config.probe().namespace());
        return result;
    }

    /** The legacy annotation is per cluster (the CNI reads it or not); until detection ran, it does not. */
    private boolean readsLegacyAnnotation() {
        CniVerdict verdict = cni.current();
        return verdict != null && verdict.readsLegacyAnnotation();
    }

    /** Detection first, so the controllers' first status writes already carry the real verdict. */
    public void start() {
        cni.start(cniSyncTimeout);
        CniVerdict beforeStart = cni.current();
        operator.start();
        cniFanout.activate(beforeStart, cni.current());
        probe.start();
    }

    /** Bounded (see RECONCILIATION_TERMINATION_TIMEOUT); a leader hands its Lease over once its controllers stopped. */
    public void stop() {
        probe.close();
        if (lease != null) {
            lease.stopping();
        }
        operator.stop();
        if (lease != null) {
            lease.release();
        }
        cni.close();
    }

    public boolean healthy() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy()
                && cni.healthy();
    }

    /**
     * Why the operator is wedged (liveness), or empty: informers unable to sync for too long, or
     * the reconcile executor stuck.
     */
    public Optional<String> wedged() {
        watchdog.informers(operator.getRuntimeInfo().allEventSourcesAreHealthy() && cni.healthy());
        return watchdog.problem();
    }

    public ClusterView view() {
        return view;
    }

    public ReconcileLedger ledger() {
        return ledger;
    }

    public CniMonitor cni() {
        return cni;
    }

    public ProbeScheduler probe() {
        return probe;
    }
}
