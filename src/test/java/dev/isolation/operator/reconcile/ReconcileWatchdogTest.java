package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    void josdkReconcileCallbacksFeedTheWatchdogAndReachTheRealMetrics() {
        List<String> seen = new ArrayList<>();
        Metrics real = new Metrics() {
            @Override
            public void reconciliationStarted(HasMetadata resource,
                                              Map<String, Object> metadata) {
                seen.add("started");
            }

            @Override
            public void reconciliationFinished(HasMetadata resource,
                                               RetryInfo retryInfo,
                                               Map<String, Object> metadata) {
                seen.add("finished");
            }
        };
        WatchdogMetrics metrics = new WatchdogMetrics(real, watchdog);
        Namespace ns = new NamespaceBuilder()
                .withNewMetadata().withName("ns-d").endMetadata().build();
        metrics.reconciliationSubmitted(ns, null, Map.of());
        metrics.reconciliationStarted(ns, Map.of());
        clock.advance(Duration.ofMinutes(3));
        assertThat(watchdog.problem()).hasValueSatisfying(p -> assertThat(p).contains("ns-d"));
        metrics.reconciliationFinished(ns, null, Map.of());
        assertThat(watchdog.problem()).isEmpty();
        assertThat(seen).containsExactly("started", "finished");
    }
}
