package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;

import java.time.Duration;

/**
 * Event source of the profile controller through which namespace reconciles ask for a profile's
 * status to be recomputed. Requests are coalesced over a short delay: ten thousand namespaces
 * converging should cause a handful of status aggregations, not ten thousand.
 */
public final class ProfileRefresher extends TriggerEventSource<IsolationProfile> {

    public ProfileRefresher(Duration delay) {
        super(IsolationProfile.class, "profile-refresh", delay);
    }

    public void refresh(String profile) {
        trigger(profile);
    }
}
