package dev.isolation.operator;

import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.reconcile.OperatorRuntime;
import dev.isolation.operator.web.CniMetrics;
import dev.isolation.operator.web.ProbeMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Starts the JOSDK operator with Quarkus's KubernetesClient, and stops it on shutdown. The jar's
 * default command ({@link dev.isolation.operator.cli.OperatorCommand}) starts it; the other
 * commands (validate, render) never do, so they need no cluster. Tests use {@link #start()} /
 * {@link #stop()} to simulate restarts.
 */
@ApplicationScoped
public class OperatorLauncher {

    private static final Logger LOG = Logger.getLogger(OperatorLauncher.class);

    @Inject
    KubernetesClient client;
    @Inject
    OperatorConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    CniMetrics cniMetrics;
    @Inject
    ProbeMetrics probeMetrics;

    private volatile OperatorRuntime runtime;
    private MicrometerMetrics metrics;

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (runtime != null) {
            return;
        }
        if (config.installCrd()) {
            // Installing a CRD changes the cluster for everyone: say which cluster first.
            LOG.infof("installing the IsolationProfile CRD into %s", new ApiServerTarget(client.getConfiguration()).describe());
            CrdInstaller.install(client);
        }
        if (metrics == null) {
            // Per-resource meters would mean one time series per namespace: too many at scale.
            metrics = MicrometerMetrics.withoutPerResourceMetrics(registry);
        }
        OperatorRuntime next = new OperatorRuntime(client, config, metrics);
        cniMetrics.follow(next.cni());
        probeMetrics.follow(next.probe());
        next.start();
        runtime = next;
        LOG.infof("isolation-operator started against %s", new ApiServerTarget(client.getConfiguration()).describe());
    }

    public synchronized void stop() {
        if (runtime != null) {
            runtime.stop();
            runtime = null;
        }
    }

    public Optional<OperatorRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }
}
