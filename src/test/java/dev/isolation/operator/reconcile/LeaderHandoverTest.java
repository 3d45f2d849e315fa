package dev.isolation.operator.reconcile;

import dev.isolation.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas with leader election against one API server: a graceful stop of the leader
 * returns within a bound and hands the Lease over, so the standby leads (and reconciles) well
 * within one lease duration instead of waiting for the Lease to expire.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderHandoverTest {

    private static final String NS = "isolation-operator";
    private static final String LEASE = "isolation-operator-leader";
    /** JOSDK's default; without a hand-over the standby waits at least this long after the last renewal. */
    private static final Duration LEASE_DURATION = LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE;

    KubernetesMockServer server;
    KubernetesClient client;

    private final List<OperatorRuntime> running = new ArrayList<>();

    @BeforeEach
    void installCrdAndAccessReview() throws IOException {
        ShippedRbac.answerRulesReviews(server);
        try (InputStream in = new FileInputStream("crds/isolationprofiles.isolation.dev-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions()
                    .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
        }
    }

    @AfterEach
    void stopAll() {
        running.forEach(OperatorRuntime::stop);
    }

    @Test
    void gracefulStopHandsTheLeaseToTheStandbyWithinOneLeaseDuration() {
        // The leader is configured like a pod (exit when leadership is lost): a System.exit during
        // its graceful stop would end this test JVM and fail the build.
        OperatorRuntime leader = start(replica("replica-a", true));
        await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder()));
        OperatorRuntime standby = start(replica("replica-b", false));

        OperatorTestSupport.namespace(client, "tenant-a", Map.of("tier", "web"));
        OperatorTestSupport.create(client, OperatorTestSupport.profile("web", Map.of("tier", "web")));
        await().atMost(OperatorTestSupport.TIMEOUT)
                .until(() -> OperatorTestSupport.policyNames(client, "tenant-a").contains("web-default-deny"));

        long stopStarted = System.nanoTime();
        assertTimeoutPreemptively(OperatorRuntime.RECONCILIATION_TERMINATION_TIMEOUT.plusSeconds(5), leader::stop,
                "a graceful stop of the leader is bounded");
        running.remove(leader);
        Lease released = client.leases().inNamespace(NS).withName(LEASE).get();
        assertThat(released.getSpec().getHolderIdentity()).as("holder after the leader's graceful stop").isNullOrEmpty();

        // The standby's acquire loop retries every 2s (+jitter): far less than the lease duration,
        // which is what it would wait for an unreleased Lease.
        await().atMost(LEASE_DURATION.dividedBy(2)).until(() -> "replica-b".equals(holder()));
        assertThat(Duration.ofNanos(System.nanoTime() - stopStarted)).isLessThan(LEASE_DURATION);

        // ... and it reconciles: a namespace labelled now gets its policies from the new leader only.
        OperatorTestSupport.namespace(client, "tenant-b", Map.of("tier", "web"));
        await().atMost(OperatorTestSupport.TIMEOUT)
                .until(() -> OperatorTestSupport.policyNames(client, "tenant-b").contains("web-default-deny"));
        assertThat(standby.healthy()).isTrue();
    }

    @Test
    void stoppingAStandbyLeavesTheLeadersLeaseAlone() {
        start(replica("replica-a", false));
        await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder()));
        OperatorRuntime standby = start(replica("replica-b", false));
        assertTimeoutPreemptively(OperatorRuntime.RECONCILIATION_TERMINATION_TIMEOUT.plusSeconds(5), standby::stop);
        running.remove(standby);
        assertThat(holder()).isEqualTo("replica-a");
    }

    /** The shipped Role without the verb JOSDK checks before electing: the operator must refuse to start, as on a cluster. */
    @Test
    void electionNeedsTheVerbsJosdkChecks() {
        assertThat(ShippedRbac.rulesInOperatorNamespace())
                .anySatisfy(r -> assertThat(r.getResources()).contains("leases"));
        server.clearExpectations();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                        .withNewStatus().addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "patch").endResourceRule().withIncomplete(false).endStatus().build())
                .always();
        OperatorRuntime runtime = new OperatorRuntime(client, replica("replica-a", false),
                MicrometerMetrics.withoutPerResourceMetrics(new SimpleMeterRegistry()));
        assertThatThrownBy(runtime::start).rootCause().hasMessageContaining("missing required verbs: [update]");
        runtime.stop();
    }

    private OperatorRuntime start(OperatorConfig config) {
        OperatorRuntime runtime = new OperatorRuntime(client, config,
                MicrometerMetrics.withoutPerResourceMetrics(new SimpleMeterRegistry()));
        running.add(runtime);
        runtime.start();
        return runtime;
    }

    private String holder() {
        Lease lease = client.leases().inNamespace(NS).withName(LEASE).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** The test defaults with leader election on, as replica {@code identity}. */
    private static OperatorConfig replica(String identity, boolean exitOnStopLeading) {
        OperatorConfig base = TestOperatorConfig.defaults().withLeaderElection();
        OperatorConfig.LeaderElection election = new OperatorConfig.LeaderElection() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public String leaseName() {
                return LEASE;
            }

            @Override
            public Optional<String> leaseNamespace() {
                return Optional.empty();
            }

            @Override
            public Optional<String> identity() {
                return Optional.of(identity);
            }

            @Override
            public boolean exitOnStopLeading() {
                return exitOnStopLeading;
            }
        };
        return (OperatorConfig) Proxy.newProxyInstance(OperatorConfig.class.getClassLoader(),
                new Class<?>[] {OperatorConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("leaderElection")) {
                        return election;
                    }
                    try {
                        return method.invoke(base, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
