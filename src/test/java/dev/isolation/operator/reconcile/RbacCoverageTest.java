package dev.isolation.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.isolation.operator.OperatorLauncher;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves the RBAC in kustomize/base is exactly what the operator needs: every request the operator
 * sent to the mock API server during the whole operator test suite (recorded by {@link ApiTraffic})
 * must be granted by the ClusterRole, or by the Role in the operator's namespace, and every granted
 * rule must have been used at least once. Runs last (surefire sets Quarkus's secondary class orderer to @Order).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@Order(Integer.MAX_VALUE)
class RbacCoverageTest {

    private static final String OPERATOR_NAMESPACE = "isolation-operator";
    private static final String PROBE_NAMESPACE = "isolation-probe";
    private static final Set<String> SELF_REVIEWS = Set.of("selfsubjectrulesreviews", "selfsubjectaccessreviews");
    private static final Set<Grant> LEASE_RIGHTS_JOSDK_CHECKS = Set.of(
            new Grant("coordination.k8s.io", "leases", "get"), new Grant("coordination.k8s.io", "leases", "create"),
            new Grant("coordination.k8s.io", "leases", "update"));

    /** The Lease verbs JOSDK 5.3's LeaderElectionManager demands in a SelfSubjectRulesReview. */
    private static final Set<Grant> ELECTION_ACCESS_CHECK = Set.of(
            new Grant("coordination.k8s.io", "leases", "get"), new Grant("coordination.k8s.io", "leases", "create"),
            new Grant("coordination.k8s.io", "leases", "update"));

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    OperatorLauncher launcher;
    @Inject
    KubernetesClient operatorClient;

    /** A rule flattened to one (group, resource, verb) triple. */
    record Grant(String group, String resource, String verb) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
        }
    }

    @Test
    void everyRequestIsGrantedAndEveryGrantIsUsed() throws IOException {
        exerciseLeaderElection();
        List<ApiTraffic.Request> traffic = ApiTraffic.drain(server.getKubernetesMockServer());

        Set<Grant> clusterWide = grants("kustomize/base/clusterrole.yaml");
        Set<Grant> inOwnNamespace = grants("kustomize/base/role.yaml");
        // The probe's Role: requests in the probe namespace are judged against it first.
        Set<Grant> inProbeNamespace = grants("kustomize/base/probe-role.yaml");
        Set<Grant> usedInProbeNamespace = new java.util.HashSet<>();
        Set<String> missing = new TreeSet<>();
        Set<Grant> used = new java.util.HashSet<>();
        int operatorRequests = 0;
        for (ApiTraffic.Request request : traffic) {
            if (!request.fromOperator()) {
                continue;
            }
            Optional<ApiRequestVerb> info = ApiRequestVerb.of(request.method(), request.path());
            if (info.isEmpty() || SELF_REVIEWS.contains(info.get().resource())) {
                // Discovery, /version and self reviews: granted to every authenticated user by the
                // default ClusterRoles system:discovery and system:basic-user.
                continue;
            }
            operatorRequests++;
            ApiRequestVerb v = info.get();
            Grant needed = new Grant(v.group(), v.resource(), v.verb());
            if (PROBE_NAMESPACE.equals(v.namespace()) && inProbeNamespace.contains(needed)) {
                usedInProbeNamespace.add(needed);
            } else if (clusterWide.contains(needed)) {
                used.add(needed);
            } else if (OPERATOR_NAMESPACE.equals(v.namespace()) && inOwnNamespace.contains(needed)) {
                used.add(needed);
            } else {
                missing.add(needed + (v.namespace() == null ? "" : " in " + v.namespace())
                        + "   <- " + request.method() + " " + request.path());
            }
        }
        // JOSDK refuses to elect unless a SelfSubjectRulesReview shows get, create and update on
        // leases, although it renews with a patch: the check itself uses those three grants.
        used.addAll(LEASE_RIGHTS_JOSDK_CHECKS);
        assertThat(operatorRequests).as("operator requests recorded across the suite").isGreaterThan(100);
        assertThat(missing).as("requests the operator sent that kustomize/base does not grant").isEmpty();
        // Needed although never sent: JOSDK's access check before electing (exerciseLeaderElection
        // got elected, so the shipped Role passed it).
        used.addAll(ELECTION_ACCESS_CHECK);

        Set<Grant> unused = new TreeSet<>(java.util.Comparator.comparing(Grant::toString));
        clusterWide.stream().filter(g -> !used.contains(g)).forEach(unused::add);
        inOwnNamespace.stream().filter(g -> !used.contains(g)).forEach(unused::add);
        inProbeNamespace.stream().filter(g -> !usedInProbeNamespace.contains(g)).forEach(unused::add);
        assertThat(unused).as("granted but never used by the operator: remove them, or test the code path").isEmpty();
    }

    /**
     * The HA overlay runs with leader election; run one operator that way so its Lease traffic
     * is judged too.
     */
    private void exerciseLeaderElection() {
        // JOSDK checks its Lease rights with a SelfSubjectRulesReview before electing; the mock
        // rejects the metadata-less review a real API server accepts (and knows no RBAC).
        // It is answered from the shipped rules, so a verb missing there stops the election here too.
        ShippedRbac.answerRulesReviews(server.getKubernetesMockServer());
        launcher.stop();
        KubernetesClient client = OperatorTestSupport.testClient(server.getKubernetesMockServer());
        OperatorRuntime elected = new OperatorRuntime(operatorClient, TestOperatorConfig.defaults().withLeaderElection(),
                MicrometerMetrics.withoutPerResourceMetrics(new SimpleMeterRegistry()));
        try {
            elected.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Lease lease = client.leases().inNamespace(OPERATOR_NAMESPACE).withName("isolation-operator-leader").get();
                // A renewal (update) has happened once renewTime moved past acquireTime.
                return lease != null && "test-replica".equals(lease.getSpec().getHolderIdentity())
                        && lease.getSpec().getRenewTime() != null
                        && lease.getSpec().getAcquireTime() != null
                        && lease.getSpec().getRenewTime().isAfter(lease.getSpec().getAcquireTime());
            });
        } finally {
            elected.stop();
        }
        OperatorTestSupport.boot(client, launcher);
    }

    private static Set<Grant> grants(String file) throws IOException {
        JsonNode role = new ObjectMapper(new YAMLFactory()).readTree(new File(file));
        Set<Grant> result = new java.util.HashSet<>();
        for (JsonNode rule : role.path("rules")) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        result.add(new Grant(group.asText(), resource.asText(), verb.asText()));
                    }
                }
            }
        }
        return result;
    }
}
