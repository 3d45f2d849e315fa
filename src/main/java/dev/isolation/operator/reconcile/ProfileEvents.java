package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ConditionReason;
import dev.isolation.operator.api.ConditionType;
import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.NamespaceCounts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kubernetes Events on a profile, so {@code kubectl describe isop} shows what happened: transitions
 * of Ready, Enforced and Stalled, and failed writes and conflicts. They are derived from two
 * consecutive statuses (never from single namespace reconciles), so ten thousand failing namespaces
 * make one Event that names a few of them; and each (profile, reason) is rate-limited.
 */
public class ProfileEvents {

    /** Namespaces named in one failure Event; status.failedNamespaces has more. */
    static final int NAMES_PER_EVENT = 5;
    private static final String COMPONENT = "isolation-operator";
    private static final String NORMAL = "Normal";
    private static final String WARNING = "Warning";
    private static final Logger LOG = Logger.getLogger(ProfileEvents.class);

    /**
     * One Event to record: core/v1 type (Normal | Warning), reason and message.
     *
     * @param key what the rate limit counts per profile: a transition to one state, or the failures of one reason
     */
    public record Planned(String key, String type, String reason, String message) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration minInterval;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

    /**
     * @param minInterval at most one Event per profile and reason in this time
     */
    public ProfileEvents(KubernetesClient client, Clock clock, Duration minInterval) {
        this.client = client;
        this.clock = clock;
        this.minInterval = minInterval;
    }

    /** Records the Events for a status that was just written over {@code previous}. Best effort. */
    public void statusWritten(IsolationProfile profile, IsolationProfileStatus previous, IsolationProfileStatus next) {
        for (Planned planned : plan(previous, next)) {
            String key = profile.getMetadata().getName() + "/" + planned.key();
            Instant now = clock.instant();
            Instant last = lastSent.get(key);
            if (last != null && Duration.between(last, now).compareTo(minInterval) < 0) {
                continue;
            }
            lastSent.put(key, now);
            send(profile, planned, now);
        }
    }

    /**
     * A Warning about the profile itself that no status transition carries (e.g. a deletion held
     * up by a namespace), rate-limited like the others per profile, subject and reason.
     */
    public void warn(IsolationProfile profile, String subject, String reason, String message) {
        Planned planned = new Planned("warn/" + subject + "/" + reason, WARNING, reason, message);
        String key = profile.getMetadata().getName() + "/" + planned.key();
        Instant now = clock.instant();
        Instant last = lastSent.get(key);
        if (last != null && Duration.between(last, now).compareTo(minInterval) < 0) {
            return;
        }
        lastSent.put(key, now);
        send(profile, planned, now);
    }

    /** The profile is gone: its rate-limit entries go too. */
    public void forget(String profile) {
        lastSent.keySet().removeIf(key -> key.startsWith(profile + "/"));
    }

    /**
     * What changed between two statuses, as Events: a Ready, Enforced or Stalled condition that
     * changed status or reason (Stalled also when it disappears), and per failure reason one
     * aggregated Event whenever a rollout ends with other failures than the last one. Failures are
     * not reported from progress statuses: those name only the namespaces done so far, and the
     * rate limit would then swallow the complete list at the end of the rollout.
     */
    static List<Planned> plan(IsolationProfileStatus previous, IsolationProfileStatus next) {
        List<Planned> events = new ArrayList<>();
        for (ConditionType type : List.of(ConditionType.Ready, ConditionType.Enforced, ConditionType.Stalled)) {
            Condition before = StatusBuilder.find(previous, type.name());
            Condition after = StatusBuilder.find(next, type.name());
            if (after != null && (before == null || !Objects.equals(before.getStatus(), after.getStatus())
                    || !Objects.equals(before.getReason(), after.getReason()))) {
                events.add(new Planned(type.name() + "=" + after.getStatus() + "/" + after.getReason(),
                        warning(type, after) ? WARNING : NORMAL, after.getReason(),
                        type.name() + "=" + after.getStatus() + ": " + after.getMessage()));
            } else if (after == null && before != null && type == ConditionType.Stalled) {
                events.add(new Planned(type.name() + "=False", NORMAL, "StallResolved", "Stalled cleared: " + before.getReason() + " no longer applies"));
            }
        }
        if (!StatusBuilder.isTrue(next, ConditionType.Reconciling) && failuresChanged(previous, next)) {
            int failed = next.getNamespaces().getFailed();
            for (ConditionReason reason : List.of(ConditionReason.Conflict, ConditionReason.ApplyFailed)) {
                List<String> names = next.getFailedNamespaces().stream().filter(f -> reason.name().equals(f.getReason()))
                        .map(FailedNamespace::getName).toList();
                if (!names.isEmpty()) {
                    String first = next.getFailedNamespaces().stream().filter(f -> reason.name().equals(f.getReason()))
                            .map(FailedNamespace::getMessage).filter(Objects::nonNull).findFirst().orElse(null);
                    events.add(new Planned("failed/" + reason.name(), WARNING, reason.name(),
                            failureMessage(reason, failed, names, first)));
                }
            }
        }
        return events;
    }

    /** Something needs attention: Stalled=True, or Ready/Enforced not True other than while rolling out. */
    private static boolean warning(ConditionType type, Condition condition) {
        boolean isTrue = "True".equals(condition.getStatus());
        if (type == ConditionType.Stalled) {
            return isTrue;
        }
        return !isTrue && !ConditionReason.Progressing.name().equals(condition.getReason());
    }

    private static boolean failuresChanged(IsolationProfileStatus previous, IsolationProfileStatus next) {
        NamespaceCounts counts = next.getNamespaces();
        if (counts == null || counts.getFailed() == 0) {
            return false;
        }
        NamespaceCounts before = previous == null ? null : previous.getNamespaces();
        return before == null || StatusBuilder.isTrue(previous, ConditionType.Reconciling) || before.getFailed() != counts.getFailed()
                || !names(previous.getFailedNamespaces()).equals(names(next.getFailedNamespaces()));
    }

    private static List<String> names(List<FailedNamespace> failed) {
        return failed == null ? List.of() : failed.stream().map(f -> f.getName() + "/" + f.getReason()).toList();
    }

    /** "ApplyFailed in ns-a, ns-b, … (first 5); 10,000 namespaces failed in all, see status.failedNamespaces". */
    private static String failureMessage(ConditionReason reason, int failed, List<String> names, String first) {
        List<String> shown = names.stream().limit(NAMES_PER_EVENT).toList();
        return reason.name() + " in " + String.join(", ", shown)
                + (failed > shown.size() ? ", \u2026 (first " + shown.size() + ")" : "")
                + String.format(Locale.ROOT, "; %,d namespaces failed in all, see status.failedNamespaces", failed)
                + (first == null ? "" : "; first: " + first);
    }

    /**
     * A core/v1 Event. A cluster-scoped object's Events live in namespace "default": the API server
     * accepts no other namespace for them, and {@code kubectl describe} finds them there.
     */
    private void send(IsolationProfile profile, Planned planned, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                // The <object>.<random hex> naming of client-go; explicit, since the test API
                // server does not implement generateName.
                .withName(profile.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1))
                .withNamespace("default")
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(profile.getApiVersion()).withKind(profile.getKind())
                .withName(profile.getMetadata().getName()).withUid(profile.getMetadata().getUid())
                .withResourceVersion(profile.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(planned.type())
                .withReason(planned.reason())
                .withMessage(StatusText.cap(planned.message()))
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace("default").resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record Event %s for IsolationProfile %s: %s", planned.reason(),
                    profile.getMetadata().getName(), e.getMessage());
        }
    }
}
