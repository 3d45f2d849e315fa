package dev.isolation.operator.reconcile;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcileWatchdogTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final ReconcileWatchdog watchdog = new ReconcileWatchdog(clock, Duration.ofMinutes(5), Duration.ofMinutes(2));

    @Test
    void informersUnhealthyLongerThanTheGraceMakeItWedged() {
        watchdog.informers(false);
        clock.advance(Duration.ofMinutes(4));
        watchdog.informers(false);
        assertThat(watchdog.problem()).as("a short outage is not a reason to restart").isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(watchdog.problem()).hasValueSatisfying(p -> assertThat(p).contains("informers").contains("360s"));
        watchdog.informers(true);
        assertThat(watchdog.problem()).isEmpty();
    }

    @Test
    void aReconcileRunningTooLongMakesItWedged() {
        watchdog.submitted();
        watchdog.started("Namespace ns-a");
        clock.advance(Duration.ofMinutes(1));
        assertThat(watchdog.problem()).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(watchdog.problem()).hasValueSatisfying(p -> assertThat(p).contains("ns-a").contains("180s"));
        watchdog.finished();
        assertThat(watchdog.problem()).isEmpty();
    }

    @Test
    void queuedWorkThatNeverStartsMakesItWedged() {
        watchdog.submitted();
        clock.advance(Duration.ofMinutes(1));
        watchdog.submitted();
        assertThat(watchdog.problem()).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(watchdog.problem()).hasValueSatisfying(p -> assertThat(p).contains("queued"));
        watchdog.started("Namespace ns-b");
        watchdog.finished();
        assertThat(watchdog.problem()).isEmpty();
    }

    @Test
    void anIdleOperatorIsAlive() {
        watchdog.submitted();
        watchdog.started("Namespace ns-c");
        watchdog.finished();
        watchdog.informers(true);
        clock.advance(Duration.ofHours(3));
        assertThat(watchdog.problem()).isEmpty();
    }

    @Test
    void jOsdksReconcileCallbacksFeedTheWatchdogAndReachTheRealMetrics() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        io.javaoperatorsdk.operator.api.monitoring.Metrics real = new io.javaoperatorsdk.operator.api.monitoring.Metrics() {
            @Override
            public void reconciliationStarted(io.fabric8.kubernetes.api.model.HasMetadata resource,
                                              java.util.Map<String, Object> metadata) {
                seen.add("started");
            }

            @Override
            public void reconciliationFinished(io.fabric8.kubernetes.api.model.HasMetadata resource,
                                               io.javaoperatorsdk.operator.api.reconciler.RetryInfo retryInfo,
                                               java.util.Map<String, Object> metadata) {
                seen.add("finished");
            }
        };
        WatchdogMetrics metrics = new WatchdogMetrics(real, watchdog);
        io.fabric8.kubernetes.api.model.Namespace ns = new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("ns-d").endMetadata().build();
        metrics.reconciliationSubmitted(ns, null, java.util.Map.of());
        metrics.reconciliationStarted(ns, java.util.Map.of());
        clock.advance(Duration.ofMinutes(3));
        assertThat(watchdog.problem()).hasValueSatisfying(p -> assertThat(p).contains("ns-d"));
        metrics.reconciliationFinished(ns, null, java.util.Map.of());
        assertThat(watchdog.problem()).isEmpty();
        assertThat(seen).containsExactly("started", "finished");
    }
}
