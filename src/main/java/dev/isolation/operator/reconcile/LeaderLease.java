package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This replica's side of leader election, around JOSDK's LeaderElectionManager (5.3.x), which
 * neither releases the Lease when the operator stops nor exits cleanly during shutdown:
 * <ul>
 *   <li>JOSDK is told never to {@code System.exit} itself: it would do so from the thread that
 *   stops the operator, i.e. from inside the JVM's shutdown hook, where {@code System.exit}
 *   blocks forever and the pod hangs until SIGKILL.</li>
 *   <li>Leadership lost while running (renewal failed, another replica took the Lease) still ends
 *   the process, from a thread of its own, so a fresh pod starts from clean caches instead of a
 *   replica that keeps reconciling without the Lease.</li>
 *   <li>A graceful stop hands the Lease over: once the controllers have stopped, the holder is
 *   cleared (leaseDurationSeconds 1), so a standby takes over at its next retry (about 2s)
 *   instead of waiting for the Lease to expire.</li>
 * </ul>
 */
final class LeaderLease {

    private static final Logger LOG = Logger.getLogger(LeaderLease.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final boolean exitOnLostLeadership;
    private final AtomicBoolean stopping = new AtomicBoolean();

    LeaderLease(KubernetesClient client, String namespace, String name, String identity, boolean exitOnLostLeadership) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.exitOnLostLeadership = exitOnLostLeadership;
    }

    LeaderElectionConfiguration configuration() {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(name)
                .withLeaseNamespace(namespace)
                .withIdentity(identity)
                .withLeaderCallbacks(new LeaderCallbacks(() -> LOG.infof("%s leads (Lease %s/%s)", identity, namespace, name),
                        this::stoppedLeading, leader -> LOG.debugf("new leader: %s", leader)))
                // build() leaves JOSDK's own exit off; stoppedLeading decides.
                .build();
    }

    private void stoppedLeading() {
        if (stopping.get()) {
            return;
        }
        if (!exitOnLostLeadership) {
            LOG.warnf("%s lost the Lease %s/%s", identity, namespace, name);
            return;
        }
        LOG.errorf("%s lost the Lease %s/%s; exiting so a fresh replica takes over", identity, namespace, name);
        // Never on the calling thread: it may be one the shutdown waits for.
        Thread exit = new Thread(() -> System.exit(1), "lost-leadership-exit");
        exit.setDaemon(true);
        exit.start();
    }

    /** Called before the operator stops: losing leadership from now on is expected. */
    void stopping() {
        stopping.set(true);
    }

    /**
     * Clears the holder if this replica still holds the Lease. Call only once the controllers
     * have stopped. Never throws: an unreleased Lease only delays the standby by one lease duration.
     */
    void release() {
        try {
            LeaseLock lock = new LeaseLock(namespace, name, identity);
            LeaderElectionRecord current = lock.get(client);
            if (current == null || !identity.equals(current.getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            // The same record fabric8's LeaderElector#release writes: no holder, expired in a second.
            lock.update(client, new LeaderElectionRecord("", Duration.ofSeconds(1), now, now,
                    current.getLeaderTransitions()));
            LOG.infof("%s released the Lease %s/%s", identity, namespace, name);
        } catch (KubernetesClientException e) {
            LOG.warnf("could not release the Lease %s/%s (%s); a standby takes over when it expires",
                    namespace, name, e.getMessage());
        }
    }
}
