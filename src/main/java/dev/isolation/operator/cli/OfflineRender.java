package dev.isolation.operator.cli;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.cni.CniVerdict;
import dev.isolation.operator.cni.Enforcement;
import dev.isolation.operator.cni.EnforcementAssessor;
import dev.isolation.operator.cni.FeatureAnalyzer;
import dev.isolation.operator.reconcile.ProfileDirectory;
import dev.isolation.operator.reconcile.ProfileView;
import dev.isolation.operator.render.ClusterFacts;
import dev.isolation.operator.render.DesiredNamespaceState;
import dev.isolation.operator.render.MetadataCandidate;
import dev.isolation.operator.render.MetadataPlan;
import dev.isolation.operator.render.MetadataPlanner;
import dev.isolation.operator.render.NamespaceMetadata;
import dev.isolation.operator.render.ProfileRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the operator would write for a set of valid profiles in a set of namespaces, computed with
 * its own planner and renderer ({@link MetadataPlanner}, {@link ProfileRenderer}) and judged with its
 * own catalog ({@link EnforcementAssessor}). Pure: no I/O, no cluster.
 */
final class OfflineRender {

    /**
     * Files carry no uid; the renderer needs one for the ownerReference, which is printed without it
     * (the API server assigns it, and a made-up uid in a PR diff would only mislead).
     */
    private static final String PLACEHOLDER_UID = "render";
    /** A name no namespace can have: presets render the same specs everywhere (see CniEnforcement). */
    private static final String ANY_NAMESPACE = "_";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /**
     * @param objects     Namespaces (metadata only) and NetworkPolicies, sorted by namespace, kind and name
     * @param enforcement per profile, the Enforced verdict for the chosen CNI
     * @param notRendered per namespace, presets not rendered because they depend on cluster facts not given
     * @param dryRun      per DryRun profile, the NetworkPolicies it would list in status.dryRun
     * @param conflicts   per profile, metadata conflicts as the operator would report them
     */
    record Result(List<HasMetadata> objects, Map<String, Enforcement> enforcement,
                  Map<String, Set<String>> notRendered, Map<String, List<String>> dryRun,
                  Map<String, List<String>> conflicts) {
    }

    private OfflineRender() {
    }

    static Result render(List<IsolationProfile> profiles, List<Namespace> namespaces, ClusterFacts facts,
                         CniVerdict verdict, Set<String> protectedNamespaces) {
        ProfileDirectory directory = new ProfileDirectory(null);
        List<ProfileView> views = profiles.stream().map(OfflineRender::withUid).map(directory::view).toList();
        boolean legacy = verdict.readsLegacyAnnotation();

        List<HasMetadata> objects = new ArrayList<>();
        Map<String, Set<String>> notRendered = new TreeMap<>();
        Map<String, List<String>> dryRun = new TreeMap<>();
        Map<String, List<String>> conflicts = new TreeMap<>();
        for (Namespace namespace : namespaces) {
            String name = namespace.getMetadata().getName();
            Map<String, String> labels = namespace.getMetadata().getLabels();
            Map<String, String> annotations = namespace.getMetadata().getAnnotations();
            List<MetadataCandidate> candidates = views.stream().map(p -> p.candidate(name, protectedNamespaces,
                    NamespaceMetadata.labels(p.spec()), NamespaceMetadata.annotations(p.spec(), legacy))).toList();
            // The files need not hold every profile of the cluster: bookkeeping naming another profile
            // is kept as it is, never judged a ghost.
            MetadataPlan plan = MetadataPlanner.plan(name, labels, annotations, candidates, false);
            plan.conflicts().forEach((p, list) -> conflicts.computeIfAbsent(p, k -> new ArrayList<>()).addAll(list));
            if (!plan.selectedBy().isEmpty() || plan.changes(labels, annotations)) {
                objects.add(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(plan.labels())
                        .withAnnotations(plan.annotations()).endMetadata().build());
            }
            for (ProfileView p : views) {
                boolean active = plan.selectedBy().contains(p.name());
                if (!active && !plan.frozenSelectedBy().contains(p.name())) {
                    continue;
                }
                DesiredNamespaceState state = ProfileRenderer.render(p.profile(), name, facts);
                if (!state.retainedPolicyNames().isEmpty()) {
                    notRendered.computeIfAbsent(name, k -> new TreeSet<>()).addAll(state.retainedPolicyNames());
                }
                for (NetworkPolicy np : state.networkPolicies()) {
                    np.getMetadata().getOwnerReferences().forEach(ref -> ref.setUid(null));
                    if (active) {
                        objects.add(np);
                    } else {
                        dryRun.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(name + "/" + np.getMetadata().getName());
                    }
                }
            }
        }
        objects.sort(ORDER);

        Map<String, Enforcement> enforcement = new TreeMap<>();
        for (ProfileView p : views) {
            var specs = ProfileRenderer.render(p.profile(), ANY_NAMESPACE, facts).networkPolicies().stream()
                    .map(NetworkPolicy::getSpec).toList();
            enforcement.put(p.name(), EnforcementAssessor.assess(verdict, FeatureAnalyzer.featuresUsed(specs)));
        }
        return new Result(List.copyOf(objects), enforcement, notRendered, dryRun, conflicts);
    }

    /** By namespace (a Namespace object counts as its own), the Namespace first, then by name. */
    static final Comparator<HasMetadata> ORDER = Comparator
            .comparing((HasMetadata o) -> o instanceof Namespace ? o.getMetadata().getName() : o.getMetadata().getNamespace())
            .thenComparing(o -> o instanceof Namespace ? 0 : 1)
            .thenComparing(o -> o.getMetadata().getName());

    private static IsolationProfile withUid(IsolationProfile profile) {
        IsolationProfile copy = SERIALIZATION.clone(profile);
        // Distinct per profile: ProfileDirectory memoises by uid (names are unique, ProfileInput checks).
        copy.getMetadata().setUid(PLACEHOLDER_UID + "-" + copy.getMetadata().getName());
        return copy;
    }
}
