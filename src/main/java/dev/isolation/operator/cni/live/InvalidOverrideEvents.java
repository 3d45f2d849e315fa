package dev.isolation.operator.cni.live;

import dev.isolation.operator.cni.CatalogException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tells the admin where they look (kubectl describe configmap / kubectl get events) that their
 * catalog override was rejected: a core/v1 Warning Event on the ConfigMap, in the operator's
 * namespace, which is where the operator's Role allows creating events.
 */
final class InvalidOverrideEvents {

    static final String REASON = "InvalidCatalogOverride";
    private static final String COMPONENT = "isolation-operator";
    private static final Logger LOG = Logger.getLogger(InvalidOverrideEvents.class);

    private final KubernetesClient client;

    InvalidOverrideEvents(KubernetesClient client) {
        this.client = client;
    }

    /** Best effort: failing to record the Event must not affect detection. */
    void report(ConfigMap map, CatalogException problem) {
        String namespace = map.getMetadata().getNamespace();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                // The <object>.<random hex> naming kubectl and client-go use; explicit, since the
                // test API server does not implement generateName.
                .withName(map.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1))
                .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("v1").withKind("ConfigMap")
                .withNamespace(namespace).withName(map.getMetadata().getName())
                .withUid(map.getMetadata().getUid()).withResourceVersion(map.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(REASON)
                .withMessage("key " + CatalogOverride.KEY + " is not a valid CNI capability catalog, the built-in "
                        + "catalog stays in use: " + problem.getMessage())
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record Event %s for ConfigMap %s/%s: %s", REASON, namespace,
                    map.getMetadata().getName(), e.getMessage());
        }
    }
}
