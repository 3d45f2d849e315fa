package dev.isolation.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.render.DesiredNamespaceState;
import dev.isolation.operator.render.ManagedLabels;
import dev.isolation.operator.render.MetadataCandidate;
import dev.isolation.operator.render.MetadataPlan;
import dev.isolation.operator.render.PolicyComparison;
import dev.isolation.operator.validation.FieldError;
import dev.isolation.operator.validation.NetworkPolicySpecValidator;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Applies one namespace's plan: namespace metadata first (one guarded patch), then
 * NetworkPolicies. Only differences are written; nothing is written for a profile that is invalid
 * or in DryRun; a failure is recorded against the profiles it affects and never causes a delete.
 */
public class NamespaceWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final ClusterView view;

    public NamespaceWriter(KubernetesClient client, ClusterView view) {
        this.client = client;
        this.view = view;
    }

    /** Why one object could not be put in place: Conflict (stable, not retried) or ApplyFailed. */
    private record Problem(ConditionReason reason, String message) {
        static Problem conflict(String message) {
            return new Problem(ConditionReason.Conflict, message);
        }

        static Problem failed(String message) {
            return new Problem(ConditionReason.ApplyFailed, message);
        }
    }

    public record Result(Map<String, NamespaceOutcome> outcomes, List<String> errors) {
        public boolean failed() {
            return !errors.isEmpty();
        }

        public String firstError() {
            return errors.isEmpty() ? null : errors.get(0);
        }
    }

    public Result converge(Namespace namespace, MetadataPlan plan, List<ProfileView> profiles,
                           Map<String, DesiredNamespaceState> desired, Map<String, NetworkPolicy> live) {
        String ns = namespace.getMetadata().getName();
        Map<String, ProfileView> byName = profiles.stream().collect(Collectors.toMap(ProfileView::name, p -> p, (a, b) -> a));
        Map<String, List<Problem>> problems = new HashMap<>();
        List<String> errors = new ArrayList<>();

        String metadataError = patchMetadata(namespace, plan);
        if (metadataError != null) {
            errors.add(metadataError);
            plan.selectedBy().forEach(p -> problems.computeIfAbsent(p, k -> new ArrayList<>()).add(Problem.failed(metadataError)));
        }

        // Policies of profiles that no longer exist, are being deleted or no longer select the
        // namespace go; those of frozen (invalid / DryRun) profiles stay exactly as they are.
        for (NetworkPolicy policy : live.values()) {
            String owner = policy.getMetadata().getLabels().get(ManagedLabels.PROFILE);
            ProfileView profile = byName.get(owner);
            if (profile != null && profile.role() == MetadataCandidate.Role.FROZEN) {
                continue;
            }
            boolean wanted = profile != null && plan.selectedBy().contains(owner)
                    && (containsPolicy(desired.get(owner), policy.getMetadata().getName())
                    || desired.get(owner).retainedPolicyNames().contains(policy.getMetadata().getName()));
            if (!wanted) {
                String error = delete(policy);
                if (error != null) {
                    errors.add(error);
                }
            }
        }

        Map<String, NamespaceOutcome> outcomes = new HashMap<>();
        for (String profileName : plan.selectedBy()) {
            ProfileView profile = byName.get(profileName);
            DesiredNamespaceState state = desired.get(profileName);
            List<Problem> mine = problems.computeIfAbsent(profileName, k -> new ArrayList<>());
            plan.conflicts().getOrDefault(profileName, List.of()).forEach(c -> mine.add(Problem.conflict(c)));
            int applied = 0;
            for (NetworkPolicy policy : state.networkPolicies()) {
                Problem problem = apply(ns, policy, live.get(policy.getMetadata().getName()));
                if (problem == null) {
                    applied++;
                } else {
                    mine.add(problem);
                    if (problem.reason() == ConditionReason.ApplyFailed) {
                        errors.add(problem.message());
                    }
                }
            }
            for (String retained : state.retainedPolicyNames()) {
                mine.add(Problem.failed("namespace " + ns + ": " + retained + " cannot be rendered because its cluster"
                        + " facts are not known yet (API server EndpointSlice or Nodes); the existing object is left as it is"));
            }
            int desiredCount = state.networkPolicies().size() + state.retainedPolicyNames().size();
            outcomes.put(profileName, outcome(profile, desiredCount, applied, mine));
        }
        // A profile caught in a selection cycle may end up not selecting the namespace; it still
        // has to hear about the cycle, or its status would claim all is well.
        plan.conflicts().forEach((profileName, conflicts) -> {
            ProfileView profile = byName.get(profileName);
            if (!outcomes.containsKey(profileName) && profile != null && profile.role() == MetadataCandidate.Role.ACTIVE) {
                outcomes.put(profileName, outcome(profile, 0, 0, conflicts.stream().map(Problem::conflict).toList()));
            }
        });
        for (String profileName : plan.frozenSelectedBy()) {
            ProfileView profile = byName.get(profileName);
            DesiredNamespaceState state = desired.get(profileName);
            if (profile != null && state != null && profile.spec().dryRun()) {
                outcomes.put(profileName, dryRunOutcome(profile, state, live));
            }
        }
        return new Result(outcomes, errors);
    }

    /** Conflicts name the reason when present: they need a person, not a retry. */
    private static NamespaceOutcome outcome(ProfileView profile, int desired, int applied, List<Problem> problems) {
        if (problems.isEmpty()) {
            return new NamespaceOutcome(profile.fingerprint(), desired, applied, true, null, null, List.of(), false);
        }
        ConditionReason reason = problems.stream().anyMatch(pr -> pr.reason() == ConditionReason.Conflict)
                ? ConditionReason.Conflict : ConditionReason.ApplyFailed;
        String message = problems.stream().map(Problem::message).collect(Collectors.joining("; "));
        return new NamespaceOutcome(profile.fingerprint(), desired, applied, false, reason, message, List.of(), false);
    }

    private static NamespaceOutcome dryRunOutcome(ProfileView profile, DesiredNamespaceState state,
                                                  Map<String, NetworkPolicy> live) {
        List<String> wouldWrite = new ArrayList<>();
        int matching = 0;
        for (NetworkPolicy policy : state.networkPolicies()) {
            NetworkPolicy existing = live.get(policy.getMetadata().getName());
            if (existing != null && PolicyComparison.matches(policy, existing)) {
                matching++;
            } else {
                wouldWrite.add(state.namespace() + "/" + policy.getMetadata().getName());
            }
        }
        return new NamespaceOutcome(profile.fingerprint(), state.networkPolicies().size(), matching,
                wouldWrite.isEmpty(), null, null, wouldWrite, false);
    }

    private static boolean containsPolicy(DesiredNamespaceState state, String name) {
        return state != null && state.networkPolicies().stream().anyMatch(p -> p.getMetadata().getName().equals(name));
    }

    /** Creates or updates one policy when it differs; returns what stood in the way, or null. */
    private Problem apply(String ns, NetworkPolicy desired, NetworkPolicy existing) {
        String name = desired.getMetadata().getName();
        if (existing != null && PolicyComparison.matches(desired, existing)) {
            return null;
        }
        String holder = existing == null ? null : existing.getMetadata().getLabels().get(ManagedLabels.PROFILE);
        if (existing != null && !desired.getMetadata().getLabels().get(ManagedLabels.PROFILE).equals(holder)) {
            // Profile "a" with policy "b-default-deny" and profile "a-b" name the same object.
            // Whoever holds it keeps it; taking it over would make the two profiles flap.
            return Problem.conflict("namespace " + ns + ": NetworkPolicy " + name + " is already managed by profile " + holder);
        }
        Optional<OwnerReference> foreign = foreignController(desired, existing);
        if (foreign.isPresent()) {
            return Problem.conflict("namespace " + ns + ": NetworkPolicy " + name + " is controlled by "
                    + foreign.get().getKind() + " " + foreign.get().getName() + "; it was left untouched");
        }
        // The API server would reject an invalid object (422); never send one, even if a cluster
        // fact (an odd node address, say) produced it.
        List<FieldError> invalid = NetworkPolicySpecValidator.validate("spec", desired.getSpec());
        if (!invalid.isEmpty()) {
            return Problem.failed("namespace " + ns + ": NetworkPolicy " + name + " would be invalid: " + invalid.get(0));
        }
        try {
            if (existing == null) {
                NetworkPolicy created = client.network().v1().networkPolicies().inNamespace(ns).resource(desired).create();
                view.policySource().handleRecentResourceCreate(ResourceID.fromResource(created), created);
            } else {
                NetworkPolicy merged = PolicyComparison.merge(desired, existing);
                NetworkPolicy updated = client.network().v1().networkPolicies().inNamespace(ns).resource(merged).update();
                view.policySource().handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, existing);
            }
            return null;
        } catch (KubernetesClientException e) {
            if (existing == null && e.getCode() == 409) {
                return alreadyExists(ns, name);
            }
            return Problem.failed("namespace " + ns + ": writing NetworkPolicy " + name + " failed: " + describe(e));
        }
    }

    /**
     * Create answered 409. If the object is one of ours the cache was behind: a transient failure,
     * retried. Otherwise a user owns that name: a conflict, left alone.
     */
    private Problem alreadyExists(String ns, String name) {
        NetworkPolicy current = client.network().v1().networkPolicies().inNamespace(ns).withName(name).get();
        Map<String, String> labels = current == null ? null : current.getMetadata().getLabels();
        if (labels != null && ManagedLabels.MANAGED_BY_VALUE.equals(labels.get(ManagedLabels.MANAGED_BY))) {
            return Problem.failed("namespace " + ns + ": NetworkPolicy " + name + " was created concurrently; retrying");
        }
        return Problem.conflict("namespace " + ns + ": NetworkPolicy " + name + " already exists and is not"
                + " managed by isolation-operator; it was left untouched");
    }

    /**
     * Somebody other than an IsolationProfile controls the live object: adding our controller
     * reference would give it two, which the API server rejects.
     */
    private static Optional<OwnerReference> foreignController(NetworkPolicy desired, NetworkPolicy existing) {
        if (existing == null) {
            return Optional.empty();
        }
        OwnerReference ours = desired.getMetadata().getOwnerReferences().get(0);
        return PolicyComparison.foreignController(existing, ours.getUid())
                .filter(ref -> !ours.getKind().equals(ref.getKind()));
    }

    private String delete(NetworkPolicy policy) {
        try {
            client.network().v1().networkPolicies().inNamespace(policy.getMetadata().getNamespace())
                    .withName(policy.getMetadata().getName()).delete();
            return null;
        } catch (KubernetesClientException e) {
            return e.getCode() == 404 ? null : "namespace " + policy.getMetadata().getNamespace()
                    + ": deleting NetworkPolicy " + policy.getMetadata().getName() + " failed: " + describe(e);
        }
    }

    /**
     * Writes the planned labels and annotations as one JSON Patch (RFC 6902) that also pins
     * metadata.resourceVersion: if the namespace changed since it was cached, the API server
     * answers 409 and the reconcile retries on fresh data, so a stale cache never removes a key
     * somebody just added. (A JSON merge patch could not remove keys portably.)
     */
    private String patchMetadata(Namespace namespace, MetadataPlan plan) {
        Map<String, String> labels = namespace.getMetadata().getLabels();
        Map<String, String> annotations = namespace.getMetadata().getAnnotations();
        if (!plan.changes(labels, annotations)) {
            return null;
        }
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "replace").put("path", "/metadata/resourceVersion")
                .put("value", namespace.getMetadata().getResourceVersion());
        patch.addObject().put("op", "add").put("path", "/metadata/labels").set("value", JSON.valueToTree(plan.labels()));
        patch.addObject().put("op", "add").put("path", "/metadata/annotations")
                .set("value", JSON.valueToTree(plan.annotations()));
        try {
            // Through resource(...): withName(...).patch would first GET the namespace again.
            client.namespaces().resource(namespace).patch(PatchContext.of(PatchType.JSON), patch.toString());
            return null;
        } catch (KubernetesClientException e) {
            return "namespace " + namespace.getMetadata().getName() + ": updating labels/annotations failed: " + describe(e);
        }
    }

    private static String describe(KubernetesClientException e) {
        return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + firstLine(e.getMessage()) : firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
