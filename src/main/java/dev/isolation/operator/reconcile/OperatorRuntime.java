package dev.isolation.operator.reconcile;

import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.live.CniMonitor;
import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.probe.live.ProbeRunner;
import dev.isolation.operator.probe.live.ProbeScheduler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * One running instance of the operator: the JOSDK {@link Operator}, both controllers, CNI
 * detection and the in-memory state they share. A restart builds a new one, exactly like a new
 * pod would.
 */
public final class OperatorRuntime {

    private final Operator operator;
    private final ClusterView view = new ClusterView();
    private final ReconcileLedger ledger = new ReconcileLedger();
    private final CniMonitor cni;
    private final CniChangeFanout cniFanout;
    private final Duration cniSyncTimeout;
    private final ProbeScheduler probe;

    public OperatorRuntime(KubernetesClient client, OperatorConfig config, Metrics metrics) {
        ProfileDirectory directory = new ProfileDirectory();
        ProfileRefresher refresher = new ProfileRefresher(config.statusRefreshDelay());
        this.cni = new CniMonitor(client, config.cni(), config.operatorNamespace());
        this.cniSyncTimeout = config.cni().syncTimeout();
        TriggerEventSource<Namespace> namespaceTrigger = new TriggerEventSource<>(Namespace.class, "namespace-trigger",
                config.statusRefreshDelay());
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // The mock API server used in tests rejects server-side apply, and the operator
                    // must behave identically there and on a real cluster.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(config.reconcileThreads())
                    .withMetrics(metrics);
            if (config.leaderElection().enabled()) {
                OperatorConfig.LeaderElection election = config.leaderElection();
                var lease = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(election.leaseName())
                        .withLeaseNamespace(election.leaseNamespace().or(config::operatorNamespace).orElse(null));
                election.identity().ifPresent(lease::withIdentity);
                // JOSDK reserves "keep running after losing the lease" for tests (a restart in
                // one JVM); in a pod the process exits and Kubernetes starts a clean one.
                o.withLeaderElectionConfiguration(election.exitOnStopLeading() ? lease.build() : lease.buildForTest(false));
            }
        });
        // Failed writes are retried with backoff for as long as they fail; status already says why.
        GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2)
                .setMaxInterval(60_000).withoutMaxAttempts();
        NamespaceReconciler namespaces = new NamespaceReconciler(view, directory, ledger, refresher,
                new NamespaceWriter(client, view), protectedNamespaces(config), this::readsLegacyAnnotation,
                namespaceTrigger);
        ProbeEnforcement enforcement = new ProbeEnforcement(new CniEnforcement(view, cni::current), view, directory);
        this.probe = new ProbeScheduler(new ProbeRunner(client, config.probe(),
                ns -> view.attached() && view.namespaceNames().contains(ns), Clock.systemUTC()),
                enforcement::demand, config.probe().interval());
        enforcement.use(probe);
        // A finished run may change the Enforced condition of every Probe profile.
        probe.addListener(run -> view.profiles().stream().map(directory::view).filter(enforcement::asksForProbe)
                .forEach(p -> refresher.refresh(p.name())));
        cni.addListener(verdict -> probe.cniChanged());
        ProfileReconciler profiles = new ProfileReconciler(view, directory, ledger, refresher, enforcement,
                Clock.systemUTC());
        this.cniFanout = new CniChangeFanout(view, directory, ledger, refresher, namespaceTrigger);
        cni.addListener(cniFanout);
        operator.register(namespaces, o -> o.withRetry(retry));
        operator.register(profiles, o -> o.withRetry(retry));
    }

    static Set<String> protectedNamespaces(OperatorConfig config) {
        Set<String> result = new TreeSet<>(config.protectedNamespaces());
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

    public void stop() {
        probe.close();
        operator.stop();
        cni.close();
    }

    public boolean healthy() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy()
                && cni.healthy();
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
