package dev.isolation.operator.probe;

import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.reconcile.TestOperatorConfig;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The test defaults with other probe timings. */
record ProbeTestConfig(TestOperatorConfig base, Duration interval, Duration settleTime, Duration podDeadline,
                       Duration pollInterval) implements OperatorConfig {

    @Override public List<String> protectedNamespaces() { return base.protectedNamespaces(); }
    @Override public Optional<String> operatorNamespace() { return base.operatorNamespace(); }
    @Override public int reconcileThreads() { return base.reconcileThreads(); }
    @Override public boolean startOnBoot() { return false; }
    @Override public boolean installCrd() { return false; }
    @Override public Duration statusRefreshDelay() { return Duration.ofMillis(50); }
    @Override public LeaderElection leaderElection() { return base.leaderElection(); }
    @Override public Cni cni() { return base.cni(); }
    @Override public boolean protectedNamespacesReplaceDefaults() { return base.protectedNamespacesReplaceDefaults(); }
    @Override public Duration statusWriteInterval() { return base.statusWriteInterval(); }
    @Override public Duration eventInterval() { return base.eventInterval(); }
    @Override public Retry retry() { return base.retry(); }
    @Override public Liveness liveness() { return base.liveness(); }
    @Override public Dashboard dashboard() { return base.dashboard(); }

    @Override
    public Probe probe() {
        Probe p = base.probe();
        return new Probe() {
            @Override public String namespace() { return p.namespace(); }
            @Override public String image() { return p.image(); }
            @Override public Duration interval() { return interval; }
            @Override public Duration settleTime() { return settleTime; }
            @Override public Duration podDeadline() { return podDeadline; }
            @Override public Duration pollInterval() { return pollInterval; }
        };
    }
}
