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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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

    /**
     * Why one object could not be put in place.
     *
     * @param permanent a retry cannot help until something changes (Conflict, 403, 422, admission denial)
     * @param recheck   a Conflict with an object the informers do not see (a user's unlabelled policy
     *                  of the same name): nothing announces its removal, so it is looked at again soon
     */
    private record Problem(ConditionReason reason, String message, boolean permanent, Duration retryAfter, boolean recheck) {
        static Problem conflict(String message) {
            return new Problem(ConditionReason.Conflict, message, true, null, false);
        }

        static Problem unseenConflict(String message) {
            return new Problem(ConditionReason.Conflict, message, true, null, true);
        }

        static Problem failed(String message, ApiErrors.Classification classification) {
            return new Problem(ConditionReason.ApplyFailed, message, classification.permanent(), classification.retryAfter(), false);
        }

        /** Retried as soon as the cause changes (a cluster fact arrives): no backoff, not permanent. */
        static Problem waiting(String message) {
            return new Problem(ConditionReason.ApplyFailed, message, false, null, false);
        }

        static Problem rejected(String message) {
            return new Problem(ConditionReason.ApplyFailed, message, true, null, false);
        }

        boolean retryable() {
            return reason == ConditionReason.ApplyFailed && !permanent;
        }
    }

    /**
     * @param transientErrors failures a retry with backoff can fix
     * @param retryAfter      the longest Retry-After the API server asked for, or null
     * @param permanentErrors failures only a change can fix (including those of deletes, which
     *                        belong to no selecting profile)
     * @param recheck         a Conflict with an object no informer reports on: look again soon
     */
    public record Result(Map<String, NamespaceOutcome> outcomes, List<String> transientErrors, Duration retryAfter,
                         List<String> permanentErrors, boolean recheck) {
    }

    /** Collects what went wrong in one converge. */
    private static final class Failures {
        final List<String> transientErrors = new ArrayList<>();
        final List<String> permanentErrors = new ArrayList<>();
        Duration retryAfter;
        boolean recheck;

        void add(Problem problem) {
            recheck |= problem.recheck();
            if (problem.retryAfter() != null && (retryAfter == null || problem.retryAfter().compareTo(retryAfter) > 0)) {
                retryAfter = problem.retryAfter();
            }
            if (problem.retryable()) {
                transientErrors.add(problem.message());
            } else if (problem.permanent() && problem.reason().equals(ConditionReason.ApplyFailed)) {
                permanentErrors.add(problem.message());
            }
        }
    }

    public Result converge(Namespace namespace, MetadataPlan plan, List<ProfileView> profiles,
                           Map<String, DesiredNamespaceState> desired, Map<String, NetworkPolicy> live) {
        String ns = namespace.getMetadata().getName();
        Map<String, ProfileView> byName = profiles.stream().collect(Collectors.toMap(ProfileView::name, p -> p, (a, b) -> a));
        Map<String, List<Problem>> problems = new HashMap<>();
        Failures failures = new Failures();

        Problem metadataProblem = patchMetadata(namespace, plan);
        if (metadataProblem != null) {
            failures.add(metadataProblem);
            plan.selectedBy().forEach(p -> problems.computeIfAbsent(p, k -> new ArrayList<>()).add(metadataProblem));
        }

        // Policies of profiles that are being deleted or no longer select the namespace go; those
        // of frozen (invalid / DryRun) profiles stay exactly as they are.
        removeUnwanted(live.values(), policy -> {
            String owner = policy.getMetadata().getLabels().get(ManagedLabels.PROFILE);
            ProfileView profile = byName.get(owner);
            if (profile != null && profile.role() == MetadataCandidate.Role.FROZEN) {
                return true;
            }
            return profile != null && plan.selectedBy().contains(owner)
                    && (containsPolicy(desired.get(owner), policy.getMetadata().getName())
                    || desired.get(owner).retainedPolicyNames().contains(policy.getMetadata().getName()));
        }).forEach(failures::add);

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
                    failures.add(problem);
                }
            }
            for (String retained : state.retainedPolicyNames()) {
                mine.add(Problem.waiting("namespace " + ns + ": " + retained + " cannot be rendered because its cluster"
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
        return new Result(outcomes, failures.transientErrors, failures.retryAfter, failures.permanentErrors,
                failures.recheck);
    }

    /**
     * In a namespace that is being deleted nothing new can be created, but the policies of
     * profiles being deleted are removed at once, so a namespace stuck in Terminating does not
     * hold a profile's deletion. Everything else goes with the namespace.
     */
    public Result releaseDeleted(Map<String, NetworkPolicy> live, List<ProfileView> profiles) {
        Map<String, ProfileView> byName = profiles.stream().collect(Collectors.toMap(ProfileView::name, p -> p, (a, b) -> a));
        Failures failures = new Failures();
        removeUnwanted(live.values(), policy -> {
            ProfileView owner = byName.get(policy.getMetadata().getLabels().get(ManagedLabels.PROFILE));
            return owner != null && !owner.deleting();
        }).forEach(failures::add);
        return new Result(Map.of(), failures.transientErrors, failures.retryAfter, failures.permanentErrors, false);
    }

    private List<Problem> removeUnwanted(Collection<NetworkPolicy> live, Predicate<NetworkPolicy> keep) {
        List<Problem> result = new ArrayList<>();
        for (NetworkPolicy policy : live) {
            if (!keep.test(policy) && policy.getMetadata().getDeletionTimestamp() == null) {
                Problem problem = delete(policy);
                if (problem != null) {
                    result.add(problem);
                }
            }
        }
        return result;
    }

    /**
     * Conflicts name the reason when present: they need a person, not a retry. The outcome is
     * permanent when no problem is one a retry could fix.
     */
    private static NamespaceOutcome outcome(ProfileView profile, int desired, int applied, List<Problem> problems) {
        if (problems.isEmpty()) {
            return new NamespaceOutcome(profile.fingerprint(), desired, applied, true, null, null, List.of(), false);
        }
        ConditionReason reason = problems.stream().anyMatch(pr -> pr.reason() == ConditionReason.Conflict)
                ? ConditionReason.Conflict : ConditionReason.ApplyFailed;
        String message = problems.stream().map(Problem::message).collect(Collectors.joining("; "));
        boolean permanent = problems.stream().allMatch(Problem::permanent);
        return new NamespaceOutcome(profile.fingerprint(), desired, applied, false, reason, message, List.of(), permanent);
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
        // The API server would reject an invalid object (422); never send one, even if a cluster
        // fact (an odd node address, say) produced it.
        List<FieldError> invalid = NetworkPolicySpecValidator.validate("spec", desired.getSpec());
        if (!invalid.isEmpty()) {
            return Problem.rejected("namespace " + ns + ": NetworkPolicy " + name + " would be invalid: " + invalid.get(0));
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
            return Problem.failed("namespace " + ns + ": writing NetworkPolicy " + name + " failed: " + describe(e),
                    ApiErrors.classify(e));
        }
    }

    /**
     * Create answered 409. If the object is one of ours the cache was behind: a transient failure,
     * retried. Otherwise somebody else owns that name — a user's policy, or a look-alike carrying
     * our labels without our controller reference: a conflict, left alone. An unlabelled one is
     * invisible to the informers, so its removal is noticed only by looking again.
     */
    private Problem alreadyExists(String ns, String name) {
        NetworkPolicy current;
        try {
            current = client.network().v1().networkPolicies().inNamespace(ns).withName(name).get();
        } catch (KubernetesClientException e) {
            return Problem.failed("namespace " + ns + ": reading NetworkPolicy " + name + " failed: " + describe(e),
                    ApiErrors.classify(e));
        }
        if (current == null || view.owned(current)) {
            return Problem.failed("namespace " + ns + ": NetworkPolicy " + name + " was created or deleted concurrently;"
                    + " retrying", new ApiErrors.Classification(ApiErrors.Kind.TRANSIENT, null));
        }
        Map<String, String> labels = current.getMetadata().getLabels();
        boolean watched = labels != null && ManagedLabels.MANAGED_BY_VALUE.equals(labels.get(ManagedLabels.MANAGED_BY));
        String message = "namespace " + ns + ": NetworkPolicy " + name + " already exists and is not managed by"
                + " isolation-operator (no controller reference to this profile); it was left untouched";
        return watched ? Problem.conflict(message) : Problem.unseenConflict(message);
    }

    private Problem delete(NetworkPolicy policy) {
        try {
            client.network().v1().networkPolicies().inNamespace(policy.getMetadata().getNamespace())
                    .withName(policy.getMetadata().getName()).delete();
            return null;
        } catch (KubernetesClientException e) {
            return e.getCode() == 404 ? null : Problem.failed("namespace " + policy.getMetadata().getNamespace()
                    + ": deleting NetworkPolicy " + policy.getMetadata().getName() + " failed: " + describe(e),
                    ApiErrors.classify(e));
        }
    }

    /**
     * Writes the planned labels and annotations as one JSON Patch (RFC 6902) that also pins
     * metadata.resourceVersion: if the namespace changed since it was cached, the API server
     * answers 409 and the reconcile retries on fresh data, so a stale cache never removes a key
     * somebody just added. (A JSON merge patch could not remove keys portably.)
     */
    private Problem patchMetadata(Namespace namespace, MetadataPlan plan) {
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
            return Problem.failed("namespace " + namespace.getMetadata().getName() + ": updating labels/annotations failed: "
                    + describe(e), ApiErrors.classify(e));
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
