package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.CniStatus;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.Enforcement;
import dev.isolation.operator.cni.EnforcementAssessor;
import dev.isolation.operator.cni.FeatureAnalyzer;
import dev.isolation.operator.render.ProfileRenderer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.List;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Enforced condition, status.cni and status.unsupportedFeatures of one profile: the features
 * its NetworkPolicies use, judged against the current CNI verdict.
 */
final class CniEnforcement implements Function<ProfileView, EnforcementReport> {

    /**
     * Presets render the same policy specs in every namespace (only names and namespaces differ),
     * so one rendering for a name no namespace can have shows every feature the profile uses.
     */
    private static final String ANY_NAMESPACE = "_";

    private final ClusterView view;
    private final Supplier<CniVerdict> verdict;

    CniEnforcement(ClusterView view, Supplier<CniVerdict> verdict) {
        this.view = view;
        this.verdict = verdict;
    }

    @Override
    public EnforcementReport apply(ProfileView profile) {
        CniVerdict current = verdict.get();
        if (current == null) {
            return EnforcementReport.unknown("CNI detection has not completed yet; enforcement cannot be judged");
        }
        Enforcement e = EnforcementAssessor.assess(current, FeatureAnalyzer.featuresUsed(renderedSpecs(profile)));
        CniStatus cni = new CniStatus(current.name(), current.version(), current.detectedFrom(),
                current.enforcesNetworkPolicy());
        return new EnforcementReport(e.status(), e.reason(), e.message(), cni, e.unsupportedNames());
    }

    /** The specs of the NetworkPolicies the profile writes (the same in every namespace). */
    List<NetworkPolicySpec> renderedSpecs(ProfileView profile) {
        if (profile.valid() && view.attached()) {
            return ProfileRenderer.render(profile.profile(), ANY_NAMESPACE, view.facts())
                    .networkPolicies().stream().map(NetworkPolicy::getSpec).toList();
        }
        // An invalid profile renders nothing; its own policy templates still say what it asks for.
        return profile.spec().policies().stream().map(PolicyTemplate::getSpec).toList();
    }
}
