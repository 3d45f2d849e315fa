package dev.isolation.operator.web;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.reconcile.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Operator-level gauges on /q/metrics, read from the informer caches at scrape time (no API
 * calls). JOSDK's own reconciliation metrics are registered by {@link OperatorLauncher}.
 */
@ApplicationScoped
public class OperatorMetrics {

    private static final List<String> CONDITION_STATES = List.of("True", "False", "Unknown");

    @Inject
    MeterRegistry registry;
    @Inject
    OperatorLauncher launcher;

    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    /** Suppliers are held strongly: Micrometer keeps only weak references by default, which read as NaN once collected. */
    void register(@Observes StartupEvent event) {
        for (String state : CONDITION_STATES) {
            meters.add(Gauge.builder("isolation.profiles", () -> countProfiles(StatusBuilder.READY, state))
                    .description("IsolationProfiles by the status of their Ready condition")
                    .tag("ready", state).strongReference(true).register(registry));
            meters.add(Gauge.builder("isolation.profiles.enforced", () -> countProfiles(StatusBuilder.ENFORCED, state))
                    .description("IsolationProfiles by the status of their Enforced condition")
                    .tag("enforced", state).strongReference(true).register(registry));
        }
        meters.add(Gauge.builder("isolation.namespaces.selected",
                        () -> launcher.runtime().map(r -> (double) r.ledger().selectedNamespaceCount()).orElse(0.0))
                .description("Namespaces selected by at least one IsolationProfile").strongReference(true).register(registry));
        meters.add(Gauge.builder("isolation.networkpolicies.managed",
                        () -> launcher.runtime().map(r -> (double) r.view().managedPolicyCount()).orElse(0.0))
                .description("NetworkPolicies managed by isolation-operator").strongReference(true).register(registry));
    }

    /**
     * The injected registry is Micrometer's global one, which outlives this application when it
     * is restarted in the same JVM (test classes, dev mode). Left behind, these gauges would read
     * a stopped application, and the restarted one's registrations would be ignored as duplicates.
     */
    void unregister(@Observes ShutdownEvent event) {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private double countProfiles(String conditionType, String state) {
        return launcher.runtime().filter(r -> r.view().attached()).map(r -> r.view().profiles().stream()
                .filter(p -> state.equals(conditionStatus(p, conditionType))).count()).orElse(0L);
    }

    /** A profile without the condition yet counts as Unknown. */
    private static String conditionStatus(IsolationProfile profile, String type) {
        Condition condition = StatusBuilder.find(profile.getStatus(), type);
        return condition == null ? "Unknown" : condition.getStatus();
    }
}
