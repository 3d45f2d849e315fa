package dev.isolation.operator.probe.live;

import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.probe.CheckResult;
import dev.isolation.operator.probe.ProbeRunResult;
import dev.isolation.operator.probe.ProbeVerification;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * When the probe runs, one run at a time, shared by every profile with {@code verification: Probe}:
 * when a profile needs a check that has no result yet (a profile first asking included), when the
 * detected CNI changes, and every interval. A run covers every check any Probe profile needs.
 * Requests while a run is going are coalesced into one follow-up run.
 */
public final class ProbeScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);

    private final ProbeRunner runner;
    private final Supplier<Set<ProbeCheck>> demand;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "isolation-probe");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    /** A queued run that must happen even if every needed check has a result (CNI change, interval). */
    private final AtomicBoolean forced = new AtomicBoolean();
    private final List<Consumer<ProbeRunResult>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<ProbeCheck, CheckResult> latest = Map.of();
    /** Bumped on every CNI change: a run that started before it reports on a dataplane that is gone. */
    private final java.util.concurrent.atomic.AtomicLong cniGeneration = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param demand every check the current Probe profiles need (empty: nothing to run)
     */
    public ProbeScheduler(ProbeRunner runner, Supplier<Set<ProbeCheck>> demand, Duration interval) {
        this.runner = runner;
        this.demand = demand;
        this.interval = interval;
    }

    public void addListener(Consumer<ProbeRunResult> listener) {
        listeners.add(listener);
    }

    /** Deletes what a crashed operator left behind, then runs on the interval. */
    public void start() {
        executor.execute(() -> {
            try {
                runner.deleteLeftovers();
            } catch (RuntimeException e) {
                LOG.warnf("could not delete leftovers of earlier probe runs (the next run retries): %s", e.getMessage());
            }
        });
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(() -> request(true), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** A profile's view of the latest results; asks for a run when one of its checks has none. */
    public ProbeVerification verification(Set<ProbeCheck> required) {
        Map<ProbeCheck, CheckResult> current = latest;
        if (!current.keySet().containsAll(required)) {
            request(false);
        }
        return ProbeVerification.of(required, current);
    }

    /** Results from before a CNI change say nothing about the new one: forget them and run again. */
    public void cniChanged() {
        cniGeneration.incrementAndGet();
        latest = Map.of();
        request(true);
    }

    /** Results taken so far, by check. */
    public Map<ProbeCheck, CheckResult> latest() {
        return latest;
    }

    private void request(boolean force) {
        if (force) {
            forced.set(true);
        }
        if (queued.compareAndSet(false, true)) {
            try {
                executor.execute(this::runQueued);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.set(false);
            }
        }
    }

    private void runQueued() {
        queued.set(false);
        boolean force = forced.getAndSet(false);
        Set<ProbeCheck> checks = EnumSet.noneOf(ProbeCheck.class);
        try {
            checks.addAll(demand.get());
        } catch (RuntimeException e) {
            // The controllers' caches are still starting: ask again shortly instead of dropping the request.
            LOG.debugf("probe: could not tell which checks are needed yet: %s", e.getMessage());
            executor.schedule(() -> request(force), 1, TimeUnit.SECONDS);
            return;
        }
        if (checks.isEmpty() || (!force && latest.keySet().containsAll(checks))) {
            return;
        }
        long generation = cniGeneration.get();
        try {
            ProbeRunResult result = runner.run(checks);
            if (generation != cniGeneration.get()) {
                // The CNI changed during the run; the forced follow-up run is already queued.
                return;
            }
            Map<ProbeCheck, CheckResult> merged = new EnumMap<>(ProbeCheck.class);
            merged.putAll(latest);
            merged.putAll(result.checks());
            latest = Collections.unmodifiableMap(merged);
            LOG.infof("probe run %s: %s (%s)", result.runId(), result.result(), result.checks().keySet());
            for (Consumer<ProbeRunResult> listener : listeners) {
                try {
                    listener.accept(result);
                } catch (RuntimeException e) {
                    LOG.warnf("probe listener failed: %s", e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("probe run failed, retried on the next trigger: %s", e.getMessage());
        }
    }

    /** Stops runs; a run in progress is interrupted and deletes its objects on the way out. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
