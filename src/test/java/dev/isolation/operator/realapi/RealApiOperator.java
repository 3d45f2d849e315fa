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
    /** Killed or closed: closing again does nothing. */
    private volatile boolean gone;

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

    /**
     * The closest in-process equivalent of {@code kill -9}: the instance's HTTP client is closed at
     * once, so from this moment on nothing of it reaches the API server. Requests in flight are
     * aborted on our side (one the server already received may still complete there, as after a
     * real kill), no reconcile gets to finish its remaining writes, the Lease is neither renewed nor
     * released (a standby must wait for it to expire), and no status or Event is written on the way
     * out.
     *
     * <p>What it does not emulate: the instance's threads do not vanish with the process. They are
     * stopped afterwards on a daemon thread, for the test JVM's sake; that stop runs against the
     * closed client, so none of it (its Lease release included) can reach the server.
     */
    void kill() {
        gone = true;
        client.close();
        Thread reaper = new Thread(() -> {
            try {
                runtime.stop();
            } catch (RuntimeException expected) {
                // Its client is closed: whatever it tried to tell the server failed, as after a kill -9.
            }
        }, "killed-operator-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    @Override
    public void close() {
        if (gone) {
            return;
        }
        gone = true;
        runtime.stop();
        client.close();
    }
}
