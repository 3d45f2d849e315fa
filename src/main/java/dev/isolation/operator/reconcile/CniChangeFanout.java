package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.LegacyIsolationAnnotation;
import dev.isolation.operator.cni.CniVerdict;
import io.fabric8.kubernetes.api.model.Namespace;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reacts to a new CNI verdict: every profile's Enforced condition may change, and so may the
 * legacy isolation annotation on namespaces of profiles that leave it to detection (Auto).
 */
final class CniChangeFanout implements Consumer<CniVerdict> {

    private final ClusterView view;
    private final ProfileDirectory directory;
    private final ReconcileLedger ledger;
    private final ProfileRefresher profiles;
    private final TriggerEventSource<Namespace> namespaces;
    private volatile boolean active;

    CniChangeFanout(ClusterView view, ProfileDirectory directory, ReconcileLedger ledger, ProfileRefresher profiles,
                    TriggerEventSource<Namespace> namespaces) {
        this.view = view;
        this.directory = directory;
        this.ledger = ledger;
        this.profiles = profiles;
        this.namespaces = namespaces;
    }

    /**
     * Called once the controllers run. Before that, their caches cannot be read and their first
     * reconciles read the verdict themselves; only a change that happened while they were
     * starting could have been missed, and that shows as a difference between the two verdicts.
     */
    void activate(CniVerdict beforeStart, CniVerdict now) {
        active = true;
        if (now != null && !Objects.equals(beforeStart, now)) {
            accept(now);
        }
    }

    @Override
    public void accept(CniVerdict verdict) {
        if (!active) {
            return;
        }
        for (IsolationProfile profile : view.profiles()) {
            ProfileView p = directory.view(profile);
            profiles.refresh(p.name());
            if (p.valid() && p.spec().legacyIsolationAnnotation() == LegacyIsolationAnnotation.Auto) {
                ledger.namespacesSelectedBy(p.name()).forEach(namespaces::trigger);
            }
        }
    }
}
