package dev.isolation.operator.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether the operator is wedged, for the liveness probe: restarting the pod is the cure
 * only for what a restart fixes, so it fails when
 * <ul>
 *   <li>informers have been unable to (re)sync with the API server for longer than a grace period
 *   (a watch that never comes back, a cache that stopped), or</li>
 *   <li>the reconcile executor is stuck: one reconcile has been running longer than a bound, or work
 *   was queued and no reconcile started or finished for that long.</li>
 * </ul>
 * Fed by {@link WatchdogMetrics} from JOSDK's reconcile callbacks; the clock is injectable so the
 * rules are tested without waiting.
 */
public final class ReconcileWatchdog {

    private record Running(String what, Instant since) {
    }

    private final Clock clock;
    private final Duration informerGrace;
    private final Duration reconcileTimeout;
    /** Keyed by thread: JOSDK reports start and finish of a reconcile on the thread that runs it. */
    private final Map<Thread, Running> running = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> waitingSince = new AtomicReference<>();
    private final AtomicReference<Instant> informersUnhealthySince = new AtomicReference<>();

    public ReconcileWatchdog(Clock clock, Duration informerGrace, Duration reconcileTimeout) {
        this.clock = clock;
        this.informerGrace = informerGrace;
        this.reconcileTimeout = reconcileTimeout;
    }

    void submitted() {
        waitingSince.compareAndSet(null, clock.instant());
    }

    void started(String what) {
        running.put(Thread.currentThread(), new Running(what, clock.instant()));
        waitingSince.set(null);
    }

    void finished() {
        running.remove(Thread.currentThread());
        waitingSince.set(null);
    }

    /** Called with the informers' current health each time liveness is asked. */
    public void informers(boolean healthy) {
        if (healthy) {
            informersUnhealthySince.set(null);
        } else {
            informersUnhealthySince.compareAndSet(null, clock.instant());
        }
    }

    /** Why the operator is wedged, or empty while it is not. */
    public Optional<String> problem() {
        Instant now = clock.instant();
        Instant unhealthy = informersUnhealthySince.get();
        if (unhealthy != null && olderThan(unhealthy, informerGrace, now)) {
            return Optional.of("informers have not been synced and watching for " + age(unhealthy, now));
        }
        Optional<Running> oldest = running.values().stream().min(Comparator.comparing(Running::since));
        if (oldest.isPresent() && olderThan(oldest.get().since(), reconcileTimeout, now)) {
            return Optional.of("reconcile of " + oldest.get().what() + " has been running for "
                    + age(oldest.get().since(), now));
        }
        Instant waiting = waitingSince.get();
        if (waiting != null && olderThan(waiting, reconcileTimeout, now)) {
            return Optional.of("reconciles have been queued for " + age(waiting, now)
                    + " without any reconcile starting or finishing");
        }
        return Optional.empty();
    }

    private static boolean olderThan(Instant since, Duration bound, Instant now) {
        return Duration.between(since, now).compareTo(bound) > 0;
    }

    private static String age(Instant since, Instant now) {
        return Duration.between(since, now).toSeconds() + "s";
    }
}
