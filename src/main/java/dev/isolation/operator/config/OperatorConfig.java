package dev.isolation.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every operator setting, from application.properties or ISOLATION_* environment variables. */
@ConfigMapping(prefix = "isolation")
public interface OperatorConfig {

    /**
     * Namespaces a namespaceSelector never selects; only an explicit entry in spec.namespaces does.
     * The operator's own namespace is always protected in addition.
     */
    @WithDefault("kube-system,kube-public,kube-node-lease")
    List<String> protectedNamespaces();

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

    LeaderElection leaderElection();

    Cni cni();

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
         * Namespaces whose ConfigMaps CNI detection reads (e.g. kube-system/amazon-vpc-cni,
         * calico-config). Watching only these keeps every other ConfigMap out of memory. The
         * operator's namespace is added for the catalog override.
         */
        @WithDefault("kube-system,kube-flannel,calico-system,tigera-operator")
        List<String> configMapNamespaces();

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
