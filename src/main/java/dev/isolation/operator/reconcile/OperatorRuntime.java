package dev.isolation.operator.reconcile;

import dev.isolation.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;

import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One running instance of the operator: the JOSDK {@link Operator}, both controllers and the
 * in-memory state they share. A restart builds a new one, exactly like a new pod would.
 */
public final class OperatorRuntime {

    private final Operator operator;
    private final ClusterView view = new ClusterView();
    private final ReconcileLedger ledger = new ReconcileLedger();
    private final ProfileRefresher refresher;

    public OperatorRuntime(KubernetesClient client, OperatorConfig config, Metrics metrics,
                           Function<ProfileView, EnforcementReport> enforcement, Predicate<String> cniReadsLegacyAnnotation) {
        ProfileDirectory directory = new ProfileDirectory();
        this.refresher = new ProfileRefresher(config.statusRefreshDelay());
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
                // JOSDK reserves "keep running after losing the lease" for tests (a restart in
                // one JVM); in a pod the process exits and Kubernetes starts a clean one.
                o.withLeaderElectionConfiguration(election.exitOnStopLeading() ? lease.build() : lease.buildForTest(false));
            }
        });
        // Failed writes are retried with backoff for as long as they fail; status already says why.
        GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2)
                .setMaxInterval(60_000).withoutMaxAttempts();
        NamespaceReconciler namespaces = new NamespaceReconciler(view, directory, ledger, refresher,
                new NamespaceWriter(client, view), protectedNamespaces(config), cniReadsLegacyAnnotation);
        ProfileReconciler profiles = new ProfileReconciler(view, directory, ledger, refresher, enforcement,
                Clock.systemUTC());
        operator.register(namespaces, o -> o.withRetry(retry));
        operator.register(profiles, o -> o.withRetry(retry));
    }

    static Set<String> protectedNamespaces(OperatorConfig config) {
        Set<String> result = new TreeSet<>(config.protectedNamespaces());
        config.operatorNamespace().ifPresent(result::add);
        return result;
    }

    public void start() {
        operator.start();
    }

    public void stop() {
        operator.stop();
    }

    public boolean healthy() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    public ClusterView view() {
        return view;
    }

    public ReconcileLedger ledger() {
        return ledger;
    }

    public ProfileRefresher refresher() {
        return refresher;
    }
}
