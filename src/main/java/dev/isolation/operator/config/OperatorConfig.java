package dev.isolation.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every operator setting, from application.properties or ISOLATION_* environment variables. */
@ConfigMapping(prefix = "isolation")
public interface OperatorConfig {

    /** Always protected, whatever protectedNamespaces lists (unless protectedNamespacesReplaceDefaults). */
    String DEFAULT_PROTECTED_NAMESPACES = "kube-system,kube-public,kube-node-lease";

    /**
     * Namespaces a namespaceSelector never selects; only an explicit entry in spec.namespaces does.
     * Added to {@link #DEFAULT_PROTECTED_NAMESPACES}, never replacing them; the operator's own
     * namespace is always protected in addition.
     */
    @WithDefault(DEFAULT_PROTECTED_NAMESPACES)
    List<String> protectedNamespaces();

    /**
     * Opt-out: protectedNamespaces replaces the defaults instead of adding to them, so that e.g.
     * kube-system can be selected by a namespaceSelector. Rarely what anyone wants.
     */
    @WithDefault("false")
    boolean protectedNamespacesReplaceDefaults();

    /** The namespace the operator runs in (the Deployment passes it by the downward API). */
    Optional<String> operatorNamespace();

    /** Namespaces reconciled in parallel: JOSDK's reconciliation thread pool. */
    @WithDefault("16")
    int reconcileThreads();

    /** Start the operator with the application; tests that drive it by hand turn this off. */
    @WithDefault("true")
    boolean startOnBoot();

    /**
     * Create or update the IsolationProfile CRD at start-up. For running locally against a
     * kubeconfig context; the cluster install applies the CRD itself and grants no CRD rights.
     */
    @WithDefault("false")
    boolean installCrd();

    /** How long profile status refreshes are coalesced while many namespaces converge. */
    @WithDefault("300ms")
    Duration statusRefreshDelay();

    /**
     * While a profile rolls out, its status is rewritten at most this often (its first status of a
     * generation and its final one are written at once).
     */
    @WithDefault("5s")
    Duration statusWriteInterval();

    /** At most one Event per profile and reason in this time. */
    @WithDefault("1m")
    Duration eventInterval();

    LeaderElection leaderElection();

    Dashboard dashboard();

    Cni cni();

    Retry retry();

    Liveness liveness();

    /**
     * How failed writes are retried. Transient failures (5xx, 429, 409, timeouts) are retried with
     * capped exponential backoff (0.5 s doubling up to 60 s), at least as late as a 429's Retry-After.
     */
    interface Retry {
        /**
         * A namespace whose writes fail with a non-retryable error (403, 422, 400, admission denial)
         * is marked failed and tried again only on a relevant change or at this interval.
         */
        @WithDefault("10m")
        Duration permanentInterval();

        /**
         * Longest wait between looks at a Conflict with a user's unlabelled NetworkPolicy of the same
         * name (starting at 1 s, doubling). No informer sees that policy, so its removal is noticed
         * only by looking again.
         */
        @WithDefault("30s")
        Duration conflictRecheckMax();

        /** A profile whose deletion has waited this long says in status and an Event what holds it. */
        @WithDefault("15s")
        Duration deletionReportAfter();
    }

    /** When /q/health/live fails, so that Kubernetes restarts a wedged operator. */
    interface Liveness {
        /** Informers unable to (re)sync with the API server for this long. */
        @WithDefault("5m")
        Duration informerGrace();

        /** One reconcile running this long, or queued work not starting while nothing finishes for this long. */
        @WithDefault("5m")
        Duration reconcileTimeout();
    }

    Probe probe();

    /** The traffic probe of profiles with {@code verification: Probe} (docs/probe.md). */
    interface Probe {
        /** Where probe pods and policies live; installed by the kustomize base, never selected by a profile. */
        @WithDefault("isolation-probe")
        String namespace();

        /** agnhost image for servers (netexec) and clients (connect); air-gapped clusters point this at their mirror. */
        @WithDefault("registry.k8s.io/e2e-test-images/agnhost:2.53")
        String image();

        /** A new run this often while any profile asks for the probe. */
        @WithDefault("6h")
        Duration interval();

        /** How long a check's NetworkPolicies exist before its client starts, so the CNI has programmed them. */
        @WithDefault("5s")
        Duration settleTime();

        /** How long a pod may take to start (servers) or to terminate (clients); also its activeDeadlineSeconds. */
        @WithDefault("60s")
        Duration podDeadline();

        /** How often pod status is read while waiting. */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Cni {
        /**
         * Namespaces CNI evidence is taken from, ADDED to the contract's defaults (kube-system,
         * kube-flannel, calico-system, tigera-operator, cilium, ovn-kubernetes,
         * openshift-ovn-kubernetes; dev.isolation.operator.cni.SystemNamespaces): never replacing
         * them. Only DaemonSets, Deployments and ConfigMaps of these namespaces are watched.
         */
        Optional<List<String>> systemNamespaces();

        /** ConfigMap in the operator's namespace whose key catalog.yaml overrides the capability catalog. */
        @WithDefault("isolation-operator-cni-catalog")
        String catalogConfigMap();

        /** Cluster changes are collected this long before the CNI verdict is recomputed once. */
        @WithDefault("200ms")
        Duration debounce();

        /** How long start-up waits for the detection informers before starting the controllers anyway. */
        @WithDefault("60s")
        Duration syncTimeout();
    }

    interface Dashboard {
        /** Serve the read-only dashboard at / and its JSON at /api/v1/; health and metrics stay either way. */
        @WithDefault("true")
        boolean enabled();
    }

    interface LeaderElection {
        /** Run several replicas with one active leader, elected through a Lease. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("isolation-operator-leader")
        String leaseName();

        /** Defaults to the operator's namespace. */
        Optional<String> leaseNamespace();

        /** This replica's name in the Lease; the Deployment passes the pod name (POD_NAME). */
        Optional<String> identity();

        /**
         * Exit the process when leadership is lost, so a fresh pod starts from clean caches
         * instead of a half-stopped operator (the standard for controllers). Only tests that
         * restart the operator inside one JVM turn this off.
         */
        @WithDefault("true")
        boolean exitOnStopLeading();
    }
}
