package dev.isolation.operator.reconcile;

import dev.isolation.operator.config.OperatorConfig;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's defaults as a plain value, for tests and benchmarks that build an
 * {@link OperatorRuntime} by hand instead of through Quarkus's configuration.
 */
public record TestOperatorConfig(int reconcileThreads, String namespace, boolean leaderElectionEnabled,
                                 String leaderIdentity) implements OperatorConfig {

    public static TestOperatorConfig defaults() {
        return new TestOperatorConfig(16, "isolation-operator", false, "test-replica");
    }

    public TestOperatorConfig withThreads(int threads) {
        return new TestOperatorConfig(threads, namespace, leaderElectionEnabled, leaderIdentity);
    }

    public TestOperatorConfig withLeaderElection() {
        return new TestOperatorConfig(reconcileThreads, namespace, true, leaderIdentity);
    }

    /** Leader election as one of several replicas, each with its own identity. */
    public TestOperatorConfig withLeaderElection(String identity) {
        return new TestOperatorConfig(reconcileThreads, namespace, true, identity);
    }

    @Override
    public List<String> protectedNamespaces() {
        return List.of("kube-system", "kube-public", "kube-node-lease");
    }

    @Override
    public boolean protectedNamespacesReplaceDefaults() {
        return false;
    }

    @Override
    public Optional<String> operatorNamespace() {
        return Optional.of(namespace);
    }

    @Override
    public boolean startOnBoot() {
        return false;
    }

    @Override
    public boolean installCrd() {
        return false;
    }

    @Override
    public Duration statusRefreshDelay() {
        return Duration.ofMillis(300);
    }

    @Override
    public Duration statusWriteInterval() {
        return Duration.ofSeconds(5);
    }

    @Override
    public Duration eventInterval() {
        return Duration.ofMinutes(1);
    }

    @Override
    public Cni cni() {
        return new Cni() {
            @Override
            public Optional<List<String>> systemNamespaces() {
                return Optional.empty();
            }

            @Override
            public String catalogConfigMap() {
                return "isolation-operator-cni-catalog";
            }

            @Override
            public Duration debounce() {
                return Duration.ofMillis(200);
            }

            @Override
            public Duration syncTimeout() {
                return Duration.ofSeconds(60);
            }
        };
    }

    /** The probe with timings short enough for tests against a simulated kubelet. */
    @Override
    public Probe probe() {
        return new Probe() {
            @Override
            public String namespace() {
                return "isolation-probe";
            }

            @Override
            public String image() {
                return "registry.k8s.io/e2e-test-images/agnhost:2.53";
            }

            @Override
            public Duration interval() {
                return Duration.ofHours(6);
            }

            @Override
            public Duration settleTime() {
                return Duration.ofMillis(20);
            }

            @Override
            public Duration podDeadline() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration pollInterval() {
                return Duration.ofMillis(25);
            }
        };
    }

    @Override
    public Retry retry() {
        return new Retry() {
            @Override
            public Duration permanentInterval() {
                return Duration.ofMinutes(10);
            }

            @Override
            public Duration conflictRecheckMax() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration deletionReportAfter() {
                return Duration.ofSeconds(15);
            }
        };
    }

    @Override
    public Liveness liveness() {
        return new Liveness() {
            @Override
            public Duration informerGrace() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration reconcileTimeout() {
                return Duration.ofMinutes(5);
            }
        };
    }

    @Override
    public Dashboard dashboard() {
        return () -> true;
    }

    @Override
    public LeaderElection leaderElection() {
        return new LeaderElection() {
            @Override
            public boolean enabled() {
                return leaderElectionEnabled;
            }

            @Override
            public String leaseName() {
                return "isolation-operator-leader";
            }

            @Override
            public Optional<String> leaseNamespace() {
                return Optional.empty();
            }

            @Override
            public Optional<String> identity() {
                return Optional.of(leaderIdentity);
            }

            /** Tests stop an elected operator and go on in the same JVM. */
            @Override
            public boolean exitOnStopLeading() {
                return false;
            }
        };
    }
}
