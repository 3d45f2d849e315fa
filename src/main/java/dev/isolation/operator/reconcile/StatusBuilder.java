package dev.isolation.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.isolation.operator.api.DryRunStatus;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.NamespaceCounts;
import dev.isolation.operator.api.PolicyCounts;
import dev.isolation.operator.api.VerificationMethod;
import dev.isolation.operator.api.VerificationStatus;
import dev.isolation.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The one place status is computed. Pure: the same inputs give the same status, and times are
 * carried over from the previous status unless the thing they time actually changed, so a
 * reconcile that changes nothing produces an identical status and no write.
 */
public final class StatusBuilder {

    public static final String READY = "Ready";
    public static final String ENFORCED = "Enforced";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MESSAGE_ITEMS = 3;

    private StatusBuilder() {
    }

    /**
     * @param summary null when the profile is invalid (nothing was reconciled for it)
     */
    public static IsolationProfileStatus build(IsolationProfile profile, ProfileView view, ProfileSummary summary,
                                               EnforcementReport enforcement, Instant now) {
        IsolationProfileStatus previous = profile.getStatus();
        IsolationProfileStatus status = new IsolationProfileStatus();
        Long generation = profile.getMetadata().getGeneration();
        status.setObservedGeneration(generation);

        if (summary == null) {
            // Invalid spec: nothing was written or removed, so the counts describing what is in
            // place stay as they were.
            if (previous != null) {
                status.setNamespaces(previous.getNamespaces());
                status.setFailedNamespaces(previous.getFailedNamespaces());
                status.setPolicies(previous.getPolicies());
                status.setNamespaceSummary(previous.getNamespaceSummary());
            }
        } else {
            status.setNamespaces(new NamespaceCounts(summary.selected(), summary.ready(), summary.failed()));
            status.setFailedNamespaces(new ArrayList<>(summary.failedNamespaces()));
            status.setPolicies(new PolicyCounts(summary.desiredPolicies(), summary.appliedPolicies()));
            status.setNamespaceSummary(summary.ready() + "/" + summary.selected());
            if (view.spec().dryRun()) {
                status.setDryRun(new DryRunStatus(new ArrayList<>(summary.wouldWrite())));
            }
        }

        status.setCni(enforcement.cni());
        status.setUnsupportedFeatures(new ArrayList<>(enforcement.unsupported()));
        status.setVerification(verification(view, previous, enforcement, now));

        List<Condition> conditions = new ArrayList<>();
        conditions.add(readyCondition(view, summary, generation, previous, now));
        conditions.add(condition(ENFORCED, enforcement.status(), enforcement.reason(), enforcement.message(),
                generation, previous, now));
        status.setConditions(conditions);
        return status;
    }

    /** True when writing {@code next} would change nothing. */
    public static boolean sameStatus(IsolationProfileStatus current, IsolationProfileStatus next) {
        JsonNode a = current == null ? JSON.nullNode() : JSON.valueToTree(current);
        JsonNode b = JSON.valueToTree(next);
        return a.equals(b);
    }

    private static Condition readyCondition(ProfileView view, ProfileSummary summary, Long generation,
                                            IsolationProfileStatus previous, Instant now) {
        if (!view.valid()) {
            String message = "invalid spec, nothing was changed: " + view.errors().stream()
                    .map(FieldError::toString).collect(Collectors.joining("; "));
            return condition(READY, "False", "InvalidSpec", message, generation, previous, now);
        }
        if (summary.failed() > 0) {
            boolean conflict = summary.failedNamespaces().stream().anyMatch(f -> "Conflict".equals(f.getReason()));
            String details = summary.failedNamespaces().stream().limit(MESSAGE_ITEMS)
                    .map(f -> f.getMessage()).collect(Collectors.joining("; "));
            String message = summary.failed() + " of " + summary.selected() + " namespaces are not ready: " + details
                    + (summary.failed() > MESSAGE_ITEMS ? "; ..." : "");
            return condition(READY, "False", conflict ? "Conflict" : "ApplyFailed", message, generation, previous, now);
        }
        if (view.spec().dryRun()) {
            int pending = summary.wouldWrite().size();
            String message = "DryRun: nothing is written; " + (pending == 0
                    ? "all " + summary.desiredPolicies() + " NetworkPolicies in " + summary.selected()
                    + " namespaces are already in place"
                    : pending + (pending >= ProfileSummary.MAX_DRY_RUN ? "+" : "") + " NetworkPolicies would be created or updated in "
                    + summary.selected() + " selected namespaces");
            return condition(READY, "False", "DryRun", message, generation, previous, now);
        }
        String message = summary.selected() + " namespaces selected, " + summary.appliedPolicies()
                + " NetworkPolicies in place";
        return condition(READY, "True", "Reconciled", message, generation, previous, now);
    }

    private static VerificationStatus verification(ProfileView view, IsolationProfileStatus previous,
                                                   EnforcementReport enforcement, Instant now) {
        VerificationMethod method = view.spec().verification();
        VerificationStatus next = enforcement.verification();
        if (next != null && next.getCheckedAt() != null) {
            return next;    // a probe result carries the time of the run that produced it
        }
        if (next == null) {
            next = new VerificationStatus(method.name(), "NotRun", null, "");
        }
        VerificationStatus before = previous == null ? null : previous.getVerification();
        boolean unchanged = before != null && Objects.equals(before.getMethod(), next.getMethod())
                && Objects.equals(before.getResult(), next.getResult())
                && Objects.equals(before.getMessage(), next.getMessage())
                && Objects.equals(before.getChecks(), next.getChecks());
        next.setCheckedAt(unchanged && before.getCheckedAt() != null ? before.getCheckedAt() : now.toString());
        return next;
    }

    /** A metav1.Condition; lastTransitionTime moves only when status flips. */
    static Condition condition(String type, String status, String reason, String message, Long generation,
                               IsolationProfileStatus previous, Instant now) {
        Condition before = find(previous, type);
        String transition = before != null && status.equals(before.getStatus()) && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime()
                : now.toString();
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(transition).build();
    }

    public static Condition find(IsolationProfileStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
