package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An event source that carries no resources of its own: code outside a controller uses it to ask
 * for cluster-scoped primaries to be reconciled by name. Requests are coalesced over a short
 * delay, so a burst of requests for one name causes one reconcile.
 */
public class TriggerEventSource<R extends HasMetadata> extends AbstractEventSource<R, R> {

    private final Duration delay;
    private volatile ResourceCache<R> primaries;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    public TriggerEventSource(Class<R> type, String name, Duration delay) {
        super(type, name);
        this.delay = delay;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public void trigger(String name) {
        if (pending.add(name)) {
            timer.schedule(() -> fire(name), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Callers may learn of a primary before the controller's own informer does; such a trigger
     * is dropped, since the informer's add event reconciles the primary anyway.
     */
    void watch(ResourceCache<R> primaries) {
        this.primaries = primaries;
    }

    private void fire(String name) {
        pending.remove(name);
        ResourceID id = new ResourceID(name);
        if (isRunning() && primaries != null && primaries.contains(id)) {
            getEventHandler().handleEvent(new Event(id));
        }
    }

    /** Pure trigger: it carries no resources of its own. */
    @Override
    public Set<R> getSecondaryResources(R primary) {
        return Set.of();
    }

    @Override
    public void stop() {
        super.stop();
        timer.shutdownNow();
    }
}
