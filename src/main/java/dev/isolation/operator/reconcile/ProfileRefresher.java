package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
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
 * Event source of the profile controller through which namespace reconciles ask for a profile's
 * status to be recomputed. Requests are coalesced over a short delay: ten thousand namespaces
 * converging should cause a handful of status aggregations, not ten thousand.
 */
public final class ProfileRefresher extends AbstractEventSource<IsolationProfile, IsolationProfile> {

    private final Duration delay;
    private volatile ResourceCache<IsolationProfile> profiles;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "profile-refresh");
        t.setDaemon(true);
        return t;
    });

    public ProfileRefresher(Duration delay) {
        super(IsolationProfile.class, "profile-refresh");
        this.delay = delay;
    }

    public void refresh(String profile) {
        if (pending.add(profile)) {
            timer.schedule(() -> fire(profile), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Namespace reconciles may learn of a profile before this controller's own informer does;
     * such a refresh is dropped, since the informer's add event reconciles the profile anyway.
     */
    void watch(ResourceCache<IsolationProfile> profiles) {
        this.profiles = profiles;
    }

    private void fire(String profile) {
        pending.remove(profile);
        ResourceID id = new ResourceID(profile);
        if (isRunning() && profiles != null && profiles.contains(id)) {
            getEventHandler().handleEvent(new Event(id));
        }
    }

    /** Pure trigger: it carries no resources of its own. */
    @Override
    public Set<IsolationProfile> getSecondaryResources(IsolationProfile primary) {
        return Set.of();
    }

    @Override
    public void stop() {
        super.stop();
        timer.shutdownNow();
    }
}
