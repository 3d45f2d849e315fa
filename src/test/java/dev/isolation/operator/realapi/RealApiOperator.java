package dev.isolation.operator.realapi;

import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.reconcile.OperatorRuntime;
import dev.isolation.operator.reconcile.TestOperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;

import java.time.Duration;
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
        OperatorConfig config = leaderIdentity.map(defaults::withLeaderElection).orElse(defaults);
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
}
