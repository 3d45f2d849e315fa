package dev.isolation.operator.dashboard;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.ConditionType;
import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.Feature;
import dev.isolation.operator.reconcile.NamespaceOutcome;
import dev.isolation.operator.reconcile.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns cached cluster objects into what the dashboard shows. Pure: no client, no cache, so
 * every page is a function of what the informers already hold.
 */
final class DashboardViews {

    /** Failing namespaces first, then not-yet-ready ones, then by name: what needs attention leads. */
    private static final Comparator<Map.Entry<String, NamespaceOutcome>> ATTENTION_FIRST =
            Comparator.<Map.Entry<String, NamespaceOutcome>>comparingInt(e -> e.getValue().failed() ? 0
                            : e.getValue().ready() ? 2 : 1)
                    .thenComparing(Map.Entry::getKey);

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private DashboardViews() {
    }

    static ProfileRow row(IsolationProfile profile) {
        // Defaults applied, as the operator sees the spec (an old object may lack server defaults).
        EffectiveSpec spec = EffectiveSpec.of(profile.getSpec());
        IsolationProfileStatus status = profile.getStatus();
        int selected = 0;
        int ready = 0;
        int failed = 0;
        int desired = 0;
        int applied = 0;
        if (status != null && status.getNamespaces() != null) {
            selected = status.getNamespaces().getSelected();
            ready = status.getNamespaces().getReady();
            failed = status.getNamespaces().getFailed();
        }
        if (status != null && status.getPolicies() != null) {
            desired = status.getPolicies().getDesired();
            applied = status.getPolicies().getApplied();
        }
        int progress = selected == 0 ? 100 : (int) Math.floor(100.0 * ready / selected);
        return new ProfileRow(profile.getMetadata().getName(),
                spec.mode().name(), spec.verification().name(),
                badge(status, ConditionType.Ready), badge(status, ConditionType.Enforced),
                badge(status, ConditionType.Reconciling), badge(status, ConditionType.Stalled),
                status == null || status.getCni() == null ? null : status.getCni().getName(),
                selected, ready, failed, desired, applied, progress,
                profile.getMetadata().getDeletionTimestamp() != null);
    }

    /**
     * @param outcomes  the profile's last outcome per selected namespace
     * @param labels    a namespace's labels from the cache (empty when it is gone)
     */
    static ProfileDetail detail(IsolationProfile profile, Map<String, NamespaceOutcome> outcomes,
                                Function<String, Map<String, String>> labels, int offset, int limit) {
        IsolationProfileStatus status = Optional.ofNullable(profile.getStatus()).orElseGet(IsolationProfileStatus::new);
        int from = Math.max(0, Math.min(offset, outcomes.size()));
        List<NamespaceRow> page = outcomes.entrySet().stream().sorted(ATTENTION_FIRST).skip(from).limit(limit)
                .map(e -> namespaceRow(e.getKey(), e.getValue(), labels.apply(e.getKey()))).toList();
        return new ProfileDetail(row(profile), List.copyOf(status.getConditions()),
                List.copyOf(status.getUnsupportedFeatures()), status.getVerification(),
                List.copyOf(status.getFailedNamespaces()),
                status.getDryRun() == null ? List.of() : List.copyOf(status.getDryRun().getNetworkPolicies()),
                outcomes.size(), from, limit, page);
    }

    static NamespaceRow namespaceRow(String namespace, NamespaceOutcome outcome, Map<String, String> labels) {
        String reason = outcome.reason() == null ? null : outcome.reason().name();
        return new NamespaceRow(namespace, outcome.ready(), reason, outcome.message(), outcome.desired(),
                outcome.applied(), labels);
    }

    static NamespaceDetail namespaceDetail(String profile, NamespaceRow namespace, List<NetworkPolicy> policies) {
        List<PolicyView> views = policies.stream()
                .sorted(Comparator.comparing(np -> np.getMetadata().getName()))
                .map(np -> new PolicyView(np.getMetadata().getName(), YAML.asYaml(withoutServerFields(np))))
                .toList();
        return new NamespaceDetail(profile, namespace, views);
    }

    /** What a reader needs of a policy: managedFields and the like are noise on a page. */
    private static NetworkPolicy withoutServerFields(NetworkPolicy policy) {
        NetworkPolicy copy = YAML.clone(policy);
        copy.getMetadata().setManagedFields(null);
        return copy;
    }

    static CniPanel cni(CniVerdict verdict, boolean overrideValid, List<IsolationProfile> profiles) {
        CniVerdict v = verdict == null ? CniVerdict.UNKNOWN : verdict;
        Map<String, String> features = new LinkedHashMap<>();
        features.put("Ingress", v.capabilities().ingress().name());
        for (Feature f : Feature.values()) {
            features.put(f.name(), v.capabilities().support(f).name());
        }
        List<CniPanel.ProfileVerification> verifications = new ArrayList<>();
        profiles.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).forEach(p -> {
            var ver = p.getStatus() == null ? null : p.getStatus().getVerification();
            if (ver != null) {
                verifications.add(new CniPanel.ProfileVerification(p.getMetadata().getName(), ver.getMethod(),
                        ver.getResult(), ver.getCheckedAt(), ver.getMessage()));
            }
        });
        return new CniPanel(v.name(), v.version(), v.detectedFrom(), v.enforcesNetworkPolicy(), features,
                v.capabilities().note(), overrideValid, verifications);
    }

    private static Badge badge(IsolationProfileStatus status, ConditionType type) {
        return Badge.of(type.name(), StatusBuilder.find(status, type.name()));
    }
}
