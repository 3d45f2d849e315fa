package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Map;

/**
 * JOSDK's metrics callbacks are its one hook into the reconcile executor: this passes every call on
 * to the real metrics and tells the {@link ReconcileWatchdog} when reconciles are queued, start and
 * finish.
 */
final class WatchdogMetrics implements Metrics {

    private final Metrics delegate;
    private final ReconcileWatchdog watchdog;

    WatchdogMetrics(Metrics delegate, ReconcileWatchdog watchdog) {
        this.delegate = delegate;
        this.watchdog = watchdog;
    }

    @Override
    public void controllerRegistered(Controller<? extends HasMetadata> controller) {
        delegate.controllerRegistered(controller);
    }

    @Override
    public void eventReceived(Event event, Map<String, Object> metadata) {
        delegate.eventReceived(event, metadata);
    }

    @Override
    public void reconciliationSubmitted(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        watchdog.submitted();
        delegate.reconciliationSubmitted(resource, retryInfo, metadata);
    }

    @Override
    public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
        watchdog.started(resource == null ? "?" : resource.getKind() + " " + ResourceID.fromResource(resource));
        delegate.reconciliationStarted(resource, metadata);
    }

    @Override
    public void reconciliationFailed(HasMetadata resource, RetryInfo retry, Exception exception,
                                     Map<String, Object> metadata) {
        delegate.reconciliationFailed(resource, retry, exception, metadata);
    }

    @Override
    public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
        delegate.reconciliationSucceeded(resource, metadata);
    }

    @Override
    public void reconciliationFinished(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        watchdog.finished();
        delegate.reconciliationFinished(resource, retryInfo, metadata);
    }

    @Override
    public void cleanupDone(ResourceID resourceID, Map<String, Object> metadata) {
        delegate.cleanupDone(resourceID, metadata);
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        return delegate.timeControllerExecution(execution);
    }
}
