package dev.isolation.operator.web;

import dev.isolation.operator.api.VerificationResult;
import dev.isolation.operator.probe.ProbeRunResult;
import dev.isolation.operator.probe.live.ProbeScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The probe on /q/metrics: {@code isolation_probe_runs_total{result}},
 * {@code isolation_probe_last_run_timestamp_seconds} and {@code isolation_probe_check{check,result} 1}
 * (info style: one series per check, labelled with its latest result).
 */
@ApplicationScoped
public class ProbeMetrics {

    @Inject
    MeterRegistry registry;

    private final AtomicLong lastRun = new AtomicLong();
    private final List<Meter> meters = new ArrayList<>();
    private MultiGauge checks;
    private volatile ProbeScheduler scheduler;

    /** Follows the scheduler of a (re)started runtime. */
    public synchronized void follow(ProbeScheduler next) {
        if (checks == null) {
            for (VerificationResult r : List.of(VerificationResult.Passed, VerificationResult.Failed, VerificationResult.Inconclusive)) {
                meters.add(Counter.builder("isolation.probe.runs").description("Probe runs by result")
                        .tag("result", r.name()).register(registry));
            }
            meters.add(Gauge.builder("isolation.probe.last.run.timestamp.seconds", lastRun, AtomicLong::get)
                    .description("When the last probe run finished (Unix seconds; 0: never)").register(registry));
            checks = MultiGauge.builder("isolation.probe.check")
                    .description("Latest result of each probe check; the value is always 1").register(registry);
        }
        scheduler = next;
        next.addListener(this::publish);
    }

    synchronized void unregister(@Observes ShutdownEvent event) {
        meters.forEach(registry::remove);
        meters.clear();
        if (checks != null) {
            checks.register(List.of(), true);
            checks = null;
        }
    }

    private synchronized void publish(ProbeRunResult run) {
        if (checks == null) {
            return;
        }
        registry.counter("isolation.probe.runs", "result", run.result().name()).increment();
        lastRun.set(run.finishedAt().getEpochSecond());
        ProbeScheduler current = scheduler;
        var latest = current == null ? run.checks() : current.latest();
        checks.register(latest.values().stream().map(r -> MultiGauge.Row.of(
                Tags.of("check", r.check().checkName(), "result", r.result().name()), 1)).toList(), true);
    }
}
