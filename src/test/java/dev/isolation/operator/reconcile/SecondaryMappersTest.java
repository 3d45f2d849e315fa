package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.managedPolicies;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.policyNames;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary-to-secondary mappers the namespace controller gives JOSDK in place of its default
 * index (which would hold namespaces × profiles, × Nodes): computed from the caches, they must
 * still answer what the index would have.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SecondaryMappersTest extends OperatorMockTest {

    @Test
    void everyProfileAndNodeRelatesToEveryNamespaceAndPoliciesToTheirOwn() {
        Namespace a = namespace(client, ns("a"), sel());
        Namespace b = namespace(client, ns("b"), Map.of("other", id));
        create(client, profile("p-" + id, sel()));
        create(client, profile("q-" + id, Map.of("other", id)));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-" + id).endMetadata().build()).create();
        await().atMost(TIMEOUT).until(() -> policyNames(client, a.getMetadata().getName()).size() == 2
                && policyNames(client, b.getMetadata().getName()).size() == 2);
        ClusterView view = launcher.runtime().orElseThrow().view();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (Namespace namespace : List.of(a, b)) {
                assertThat(view.everyProfile().toSecondaryResourceIDs(namespace))
                        .contains(new ResourceID("p-" + id), new ResourceID("q-" + id));
                assertThat(view.everyNode().toSecondaryResourceIDs(namespace)).contains(new ResourceID("node-" + id));
                Set<ResourceID> own = managedPolicies(client, namespace.getMetadata().getName()).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet());
                assertThat(view.policiesInNamespace().toSecondaryResourceIDs(namespace)).hasSize(2)
                        .containsExactlyInAnyOrderElementsOf(own);
            }
        });
    }
}
