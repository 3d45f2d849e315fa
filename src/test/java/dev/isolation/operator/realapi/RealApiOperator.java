package dev.isolation.operator.realapi;

import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.reconcile.OperatorRuntime;
import dev.isolation.operator.reconcile.TestOperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * One operator instance on the real API server, started by hand like a pod would start it: its
 * own client authenticated as the shipped ServiceAccount, the operator's defaults, and (for the
 * HA tests) leader election with its own identity.
 */
final class RealApiOperator implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final OperatorRuntime runtime;

    private RealApiOperator(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.runtime = new OperatorRuntime(client, config, Metrics.NOOP);
    }

    /** Starts an instance and waits until its controllers and CNI detection are synced. */
    static RealApiOperator start(KubernetesClient operatorClient, Optional<String> leaderIdentity) {
        TestOperatorConfig defaults = TestOperatorConfig.defaults().withThreads(4);
        OperatorConfig config = leaderIdentity.<OperatorConfig>map(id -> new Elected(defaults.withLeaderElection(), id))
                .orElse(defaults);
        RealApiOperator operator = new RealApiOperator(operatorClient, config);
        operator.runtime.start();
        if (leaderIdentity.isEmpty()) {
            await().atMost(TIMEOUT).until(operator.runtime::healthy);
        }
        return operator;
    }

    OperatorRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.stop();
        client.close();
    }

    /** The test defaults with a per-instance leader-election identity (two replicas, one lease). */
    private record Elected(TestOperatorConfig base, String identity) implements OperatorConfig {
        @Override
        public List<String> protectedNamespaces() {
            return base.protectedNamespaces();
        }

        @Override
        public Optional<String> operatorNamespace() {
            return base.operatorNamespace();
        }

        @Override
        public int reconcileThreads() {
            return base.reconcileThreads();
        }

        @Override
        public boolean startOnBoot() {
            return false;
        }

        @Override
        public boolean installCrd() {
            return false;
        }

        @Override
        public Duration statusRefreshDelay() {
            return base.statusRefreshDelay();
        }

        @Override
        public Cni cni() {
            return base.cni();
        }

        @Override
        public LeaderElection leaderElection() {
            LeaderElection election = base.leaderElection();
            return new LeaderElection() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public String leaseName() {
                    return election.leaseName();
                }

                @Override
                public Optional<String> leaseNamespace() {
                    return election.leaseNamespace();
                }

                @Override
                public Optional<String> identity() {
                    return Optional.of(identity);
                }

                @Override
                public boolean exitOnStopLeading() {
                    return false;
                }
            };
        }
    }
}
