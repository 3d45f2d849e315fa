package dev.isolation.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.api.ConditionType;
import dev.isolation.operator.api.DryRunStatus;
import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.NamespaceCounts;
import dev.isolation.operator.api.PolicyCounts;
import dev.isolation.operator.api.StatusLimits;
import dev.isolation.operator.api.VerificationMethod;
import dev.isolation.operator.api.VerificationStatus;
import dev.isolation.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place status is computed. Pure: the same inputs give the same status, and times are
 * carried over from the previous status unless the thing they time actually changed, so a
 * reconcile that changes nothing produces an identical status and no write.
 */
public final class StatusBuilder {

    /** The condition type names, for callers that look conditions up by name. */
    public static final String READY = ConditionType.Ready.name();
    public static final String ENFORCED = ConditionType.Enforced.name();

    private static final String TRUE = "True";
    private static final String FALSE = "False";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Failed namespaces named in a condition message; the rest are in failedNamespaces. */
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
            status.setFailedNamespaces(summary.failedNamespaces().stream().limit(StatusLimits.MAX_FAILED_NAMESPACES)
                    .map(f -> new FailedNamespace(f.getName(), f.getReason(), StatusText.cap(f.getMessage())))
                    .collect(Collectors.toCollection(ArrayList::new)));
            status.setPolicies(new PolicyCounts(summary.desiredPolicies(), summary.appliedPolicies()));
            status.setNamespaceSummary(summary.ready() + "/" + summary.selected());
            if (view.spec().dryRun()) {
                status.setDryRun(new DryRunStatus(summary.wouldWrite().stream()
                        .limit(StatusLimits.MAX_DRY_RUN_ENTRIES).collect(Collectors.toCollection(ArrayList::new))));
            }
        }

        status.setCni(enforcement.cni());
        status.setUnsupportedFeatures(new ArrayList<>(enforcement.unsupported()));
        status.setVerification(verification(view, previous, enforcement, now));

        List<Condition> conditions = new ArrayList<>();
        conditions.add(readyCondition(view, summary, generation, previous, now));
        conditions.add(condition(ConditionType.Enforced, enforcement.status(), enforcement.reason(),
                enforcement.message(), generation, previous, now));
        if (view.valid() && reconciling(summary)) {
            conditions.add(condition(ConditionType.Reconciling, TRUE, ConditionReason.Progressing.name(),
                    progress(summary), generation, previous, now));
        }
        stalled(view, summary).ifPresent(problem -> conditions.add(condition(ConditionType.Stalled, TRUE,
                problem.reason().name(), problem.message(), generation, previous, now)));
        status.setConditions(conditions);
        return status;
    }

    /** True when writing {@code next} would change nothing. */
    public static boolean sameStatus(IsolationProfileStatus current, IsolationProfileStatus next) {
        JsonNode a = current == null ? JSON.nullNode() : JSON.valueToTree(current);
        JsonNode b = JSON.valueToTree(next);
        return a.equals(b);
    }

    /** Whether {@code status} has condition {@code type} with status True. */
    public static boolean isTrue(IsolationProfileStatus status, ConditionType type) {
        Condition condition = find(status, type.name());
        return condition != null && TRUE.equals(condition.getStatus());
    }

    /**
     * The current version has not reached every selected namespace yet, or writes that may still
     * succeed are being retried.
     */
    private static boolean reconciling(ProfileSummary summary) {
        return summary.pending() > 0 || summary.transientFailures() > 0;
    }

    /** "4,200/10,000 namespaces" (ready of selected), then what is still under way. */
    private static String progress(ProfileSummary summary) {
        StringBuilder message = new StringBuilder(String.format(Locale.ROOT, "%,d/%,d namespaces",
                summary.ready(), summary.selected()));
        if (summary.pending() > 0) {
            message.append(String.format(Locale.ROOT, "; %,d not yet reconciled", summary.pending()));
        }
        if (summary.transientFailures() > 0) {
            message.append(String.format(Locale.ROOT, "; retrying %,d failed", summary.transientFailures()));
        }
        return message.toString();
    }

    private record Problem(ConditionReason reason, String message) {
    }

    /** Progress is impossible without a change: an invalid spec, a conflict, or writes rejected for good. */
    private static Optional<Problem> stalled(ProfileView view, ProfileSummary summary) {
        if (!view.valid()) {
            return Optional.of(new Problem(ConditionReason.InvalidSpec, invalidSpecMessage(view)));
        }
        if (summary.conflicts() > 0) {
            return Optional.of(new Problem(ConditionReason.Conflict, failures(summary, ConditionReason.Conflict,
                    summary.conflicts(), " with a conflict that needs a change to a profile or the cluster: ")));
        }
        if (summary.permanentFailures() > 0) {
            return Optional.of(new Problem(ConditionReason.ApplyFailed, failures(summary, ConditionReason.ApplyFailed,
                    summary.permanentFailures(), " whose writes were rejected; they are retried only after a change: ")));
        }
        return Optional.empty();
    }

    private static String failures(ProfileSummary summary, ConditionReason reason, int count, String what) {
        List<String> messages = summary.failedNamespaces().stream().filter(f -> reason.name().equals(f.getReason()))
                .limit(MESSAGE_ITEMS).map(FailedNamespace::getMessage).toList();
        return StatusText.join(String.format(Locale.ROOT, "%,d namespaces", count) + what, messages, count);
    }

    private static String invalidSpecMessage(ProfileView view) {
        return StatusText.join("invalid spec, nothing was changed: ",
                view.errors().stream().map(FieldError::toString).toList(), view.errors().size());
    }

    private static Condition readyCondition(ProfileView view, ProfileSummary summary, Long generation,
                                            IsolationProfileStatus previous, Instant now) {
        if (!view.valid()) {
            return ready(FALSE, ConditionReason.InvalidSpec, invalidSpecMessage(view), generation, previous, now);
        }
        if (summary.failed() > 0) {
            List<String> details = summary.failedNamespaces().stream().limit(MESSAGE_ITEMS)
                    .map(FailedNamespace::getMessage).toList();
            String message = StatusText.join(String.format(Locale.ROOT, "%,d of %,d namespaces are not ready: ",
                    summary.failed(), summary.selected()), details, summary.failed());
            return ready(FALSE, summary.conflicts() > 0 ? ConditionReason.Conflict : ConditionReason.ApplyFailed,
                    message, generation, previous, now);
        }
        if (summary.pending() > 0) {
            return ready(FALSE, ConditionReason.Progressing, progress(summary), generation, previous, now);
        }
        if (view.spec().dryRun()) {
            int pending = summary.wouldWrite().size();
            String message = "DryRun: nothing is written; " + (pending == 0
                    ? "all " + summary.desiredPolicies() + " NetworkPolicies in " + summary.selected()
                    + " namespaces are already in place"
                    : pending + (pending >= StatusLimits.MAX_DRY_RUN_ENTRIES ? "+" : "")
                    + " NetworkPolicies would be created or updated in " + summary.selected() + " selected namespaces");
            return ready(TRUE, ConditionReason.DryRun, message, generation, previous, now);
        }
        if (summary.selected() == 0) {
            return ready(TRUE, ConditionReason.NoNamespacesSelected,
                    "no namespace matches spec.namespaceSelector or spec.namespaces", generation, previous, now);
        }
        String message = summary.selected() + " namespaces selected, " + summary.appliedPolicies()
                + " NetworkPolicies in place";
        return ready(TRUE, ConditionReason.Reconciled, message, generation, previous, now);
    }

    private static Condition ready(String status, ConditionReason reason, String message, Long generation,
                                   IsolationProfileStatus previous, Instant now) {
        return condition(ConditionType.Ready, status, reason.name(), message, generation, previous, now);
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
    static Condition condition(ConditionType type, String status, String reason, String message, Long generation,
                               IsolationProfileStatus previous, Instant now) {
        Condition before = find(previous, type.name());
        String transition = before != null && status.equals(before.getStatus()) && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime()
                : now.toString();
        return new ConditionBuilder().withType(type.name()).withStatus(status).withReason(reason)
                .withMessage(StatusText.cap(message))
                .withObservedGeneration(generation).withLastTransitionTime(transition).build();
    }

    public static Condition find(IsolationProfileStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
