package dev.isolation.operator.dashboard;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.reconcile.NamespaceOutcome;
import dev.isolation.operator.reconcile.OperatorRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what the dashboard shows from the running operator's informer caches and in-memory
 * ledger. It holds no client: a page view never reaches the API server, however often it is
 * refreshed, and it can never write.
 */
@ApplicationScoped
public class DashboardReader {

    /** Namespaces shown per page of a profile's drill-down: a profile may select 10,000. */
    static final int PAGE = 100;

    @Inject
    OperatorLauncher launcher;

    /** Empty until the operator runs and its caches synced: a half-filled cache would mislead. */
    private Optional<OperatorRuntime> runtime() {
        return launcher.runtime().filter(r -> r.view().synced());
    }

    public boolean available() {
        return runtime().isPresent();
    }

    public List<ProfileRow> profiles() {
        return runtime().map(r -> r.view().profiles().stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(DashboardViews::row).toList()).orElse(List.of());
    }

    public Optional<ProfileDetail> profile(String name, int offset) {
        return runtime().flatMap(r -> find(r, name).map(p -> DashboardViews.detail(p, r.ledger().outcomesOf(name),
                ns -> labels(r, ns), offset, PAGE)));
    }

    public Optional<NamespaceDetail> namespace(String profile, String namespace) {
        return runtime().flatMap(r -> find(r, profile).flatMap(p -> {
            NamespaceOutcome outcome = r.ledger().outcomesOf(profile).get(namespace);
            if (outcome == null) {
                return Optional.empty();
            }
            return Optional.of(DashboardViews.namespaceDetail(profile,
                    DashboardViews.namespaceRow(namespace, outcome, labels(r, namespace)),
                    r.view().policiesOf(profile, namespace)));
        }));
    }

    public Optional<CniPanel> cni() {
        return runtime().map(r -> DashboardViews.cni(r.cni().current(), r.cni().overrideValid(), r.view().profiles()));
    }

    private static Optional<IsolationProfile> find(OperatorRuntime runtime, String name) {
        return runtime.view().profiles().stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst();
    }

    private static Map<String, String> labels(OperatorRuntime runtime, String namespace) {
        return runtime.view().namespace(namespace)
                .map(ns -> ns.getMetadata().getLabels() == null ? Map.<String, String>of() : ns.getMetadata().getLabels())
                .orElse(Map.of());
    }
}
