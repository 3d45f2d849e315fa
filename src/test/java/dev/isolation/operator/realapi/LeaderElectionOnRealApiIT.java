package dev.isolation.operator.realapi;

import dev.isolation.operator.api.IsolationProfile;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.policyNames;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static dev.isolation.operator.realapi.RealApiOperator.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HA overlay's setup on a real server: two replicas, one Lease in the operator's namespace,
 * only the shipped Role granting lease access. The first replica leads and reconciles; when it
 * stops, the second takes the lease over and reconciles; nothing is ever forbidden.
 */
class LeaderElectionOnRealApiIT extends FleetOnRealApi {

    private static final String LEASE = "isolation-operator-leader";

    private static String holder() {
        Lease lease = admin.leases().inNamespace(ShippedInstall.NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void twoReplicasShareOneLeaseAndTheSecondTakesOver() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        namespace(admin, "le-" + id, Map.of("suite", id));
        RealApiOperator second = null;
        RealApiOperator first = RealApiOperator.start(ShippedInstall.operatorClient(server, admin), Optional.of("replica-a-" + id));
        try {
            await().atMost(TIMEOUT).until(() -> ("replica-a-" + id).equals(holder()));
            second = RealApiOperator.start(ShippedInstall.operatorClient(server, admin), Optional.of("replica-b-" + id));
            create(admin, profile("first-" + id, Map.of("suite", id)));
            await().atMost(TIMEOUT).until(() -> conditionIs(admin, "first-" + id, "Ready", "True", "Reconciled"));
            assertThat(holder()).isEqualTo("replica-a-" + id);

            first.close();
            first = null;
            await().atMost(TIMEOUT).until(() -> ("replica-b-" + id).equals(holder()));
            create(admin, profile("second-" + id, Map.of("suite", id)));
            await().atMost(TIMEOUT).until(() -> conditionIs(admin, "second-" + id, "Ready", "True", "Reconciled"));
            assertThat(policyNames(admin, "le-" + id)).hasSize(4);

            for (String name : List.of("first-" + id, "second-" + id)) {
                admin.resources(IsolationProfile.class).withName(name).delete();
                await().atMost(TIMEOUT).until(() -> get(admin, name) == null);
            }
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
        List<RealApiServer.AuditedRequest> leaseRequests = server.audited().stream()
                .filter(r -> r.user().equals(ShippedInstall.USER) && r.uri().contains("/leases")).toList();
        assertThat(leaseRequests).isNotEmpty();
        assertThat(server.forbidden(ShippedInstall.USER)).isEmpty();
    }
}
