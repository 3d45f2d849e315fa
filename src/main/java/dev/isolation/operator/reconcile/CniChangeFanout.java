package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.LegacyIsolationAnnotation;
import dev.isolation.operator.cni.CniVerdict;
import io.fabric8.kubernetes.api.model.Namespace;

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

    CniChangeFanout(ClusterView view, ProfileDirectory directory, ReconcileLedger ledger, ProfileRefresher profiles,
                    TriggerEventSource<Namespace> namespaces) {
        this.view = view;
        this.directory = directory;
        this.ledger = ledger;
        this.profiles = profiles;
        this.namespaces = namespaces;
    }

    @Override
    public void accept(CniVerdict verdict) {
        if (!view.attached()) {
            return; // controllers not started: their first reconciles read the verdict anyway
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
