package dev.isolation.operator.reconcile;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ApiRequestVerbTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "GET, /api/v1/namespaces, list, '', namespaces, -",
            "GET, /api/v1/namespaces?watch=true&resourceVersion=5, watch, '', namespaces, -",
            "PATCH, /api/v1/namespaces/team-a, patch, '', namespaces, -",
            "GET, /api/v1/namespaces/team-a, get, '', namespaces, -",
            "GET, /apis/networking.k8s.io/v1/networkpolicies?labelSelector=a%3Db, list, networking.k8s.io, networkpolicies, -",
            "POST, /apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies, create, networking.k8s.io, networkpolicies, team-a",
            "PUT, /apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies/p, update, networking.k8s.io, networkpolicies, team-a",
            "DELETE, /apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies/p, delete, networking.k8s.io, networkpolicies, team-a",
            "PUT, /apis/isolation.dev/v1alpha1/isolationprofiles/db/status, update, isolation.dev, isolationprofiles/status, -",
            "PATCH, /apis/isolation.dev/v1alpha1/isolationprofiles/db, patch, isolation.dev, isolationprofiles, -",
            "GET, /api/v1/nodes?watch=1, watch, '', nodes, -",
            "POST, /api/v1/namespaces/isolation-operator/events, create, '', events, isolation-operator",
            "GET, /apis/coordination.k8s.io/v1/namespaces/op/leases/leader, get, coordination.k8s.io, leases, op"})
    void derivesWhatTheAuthorizerSees(String method, String path, String verb, String group, String resource, String ns) {
        assertThat(ApiRequestVerb.of(method, path)).contains(new ApiRequestVerb(verb, group, resource, ns));
    }

    @ParameterizedTest
    @CsvSource({"GET, /version", "GET, /apis", "GET, /api", "GET, /apis/isolation.dev/v1alpha1"})
    void discoveryIsNotAResourceRequest(String method, String path) {
        assertThat(ApiRequestVerb.of(method, path)).isEmpty();
    }
}
