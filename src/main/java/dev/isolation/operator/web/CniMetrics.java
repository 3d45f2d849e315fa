package dev.isolation.operator.web;

import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.live.CniMonitor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;

/**
 * CNI detection on /q/metrics: {@code isolation_cni_info{name,version,enforces} 1} (info style:
 * the labels carry the value, re-labelled whenever the verdict changes) and
 * {@code isolation_cni_catalog_override_valid} (1 when the override is valid or absent, 0 when
 * it was rejected).
 */
@ApplicationScoped
public class CniMetrics {

    @Inject
    MeterRegistry registry;

    private MultiGauge info;
    private Gauge overrideValid;
    private volatile CniMonitor monitor;

    /** Follows the monitor of a (re)started runtime; the previous runtime's monitor is let go. */
    public synchronized void follow(CniMonitor next) {
        if (info == null) {
            info = MultiGauge.builder("isolation.cni.info")
                    .description("The detected CNI; the value is always 1").register(registry);
            overrideValid = Gauge.builder("isolation.cni.catalog.override.valid", this, CniMetrics::overrideValid)
                    .description("1 when the CNI catalog override ConfigMap is valid or absent, 0 when rejected")
                    .register(registry);
        }
        monitor = next;
        next.addListener(this::publish);
    }

    /** Same reason as {@link OperatorMetrics#unregister}: the global registry outlives a restart. */
    synchronized void unregister(@Observes ShutdownEvent event) {
        if (info != null) {
            info.register(List.of(), true);
            registry.remove(overrideValid);
            info = null;
        }
    }

    private synchronized void publish(CniVerdict verdict) {
        if (info == null) {
            return;
        }
        Tags tags = Tags.of("name", verdict.name(),
                "version", verdict.version() == null ? "unknown" : verdict.version(),
                "enforces", verdict.enforcesNetworkPolicy());
        // overwrite: the previous verdict's series disappears instead of lingering at 1.
        info.register(List.of(MultiGauge.Row.of(tags, 1)), true);
    }

    private double overrideValid() {
        CniMonitor m = monitor;
        return m == null || m.overrideValid() ? 1 : 0;
    }
}
