package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.IsolationProfile;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warning Events on a profile, so {@code kubectl describe isop} shows what needs a person. At
 * most one Event per profile, subject (namespace) and reason per interval: a failure that
 * persists is not repeated on every retry. Recording never fails a reconcile.
 *
 * <p>Hook for the aggregated, rate-limited Events of status transitions: that recorder can take
 * over these calls; the keys here are per namespace, which is what permanent failures need.
 */
public class ProfileEvents {

    private static final Logger LOG = Logger.getLogger(ProfileEvents.class);
    /** Events of cluster-scoped objects live in "default", as the API server's own do. */
    static final String EVENT_NAMESPACE = "default";
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

    public ProfileEvents(KubernetesClient client, Duration interval, Clock clock) {
        this.client = client;
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * @param subject what the Event is about (a namespace name), part of the rate-limit key
     */
    public void warn(IsolationProfile profile, String subject, String reason, String message) {
        Instant now = clock.instant();
        String key = profile.getMetadata().getUid() + "/" + subject + "/" + reason;
        Instant last = lastSent.get(key);
        if (last != null && last.plus(interval).isAfter(now)) {
            return;
        }
        lastSent.put(key, now);
        prune(now);
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        try {
            client.v1().events().inNamespace(EVENT_NAMESPACE).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(EVENT_NAMESPACE)
                    .withName(profile.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                    .endMetadata()
                    .withNewInvolvedObject().withApiVersion(profile.getApiVersion()).withKind(profile.getKind())
                    .withName(profile.getMetadata().getName()).withUid(profile.getMetadata().getUid()).endInvolvedObject()
                    .withType("Warning").withReason(reason).withMessage(text)
                    .withNewSource().withComponent("isolation-operator").endSource()
                    .withReportingComponent("isolation-operator")
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.debugf("could not record Event %s for profile %s: %s", reason, profile.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /** A namespace that was deleted needs no more Events; its keys are dropped. */
    public void forgetSubject(String subject) {
        lastSent.keySet().removeIf(key -> key.contains("/" + subject + "/"));
    }

    private void prune(Instant now) {
        if (lastSent.size() > 1024) {
            lastSent.values().removeIf(sent -> sent.plus(interval).isBefore(now));
        }
    }
}
