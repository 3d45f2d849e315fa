package dev.isolation.operator.render;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterFactsTest {

    static Endpoint endpoint(Boolean ready, String... addresses) {
        EndpointBuilder b = new EndpointBuilder().withAddresses(addresses);
        if (ready != null) {
            b.withNewConditions().withReady(ready).endConditions();
        }
        return b.build();
    }

    static EndpointSlice slice(String namespace, String service, String addressType, List<Endpoint> endpoints,
                               Integer... ports) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata().withName(service + "-abc").withNamespace(namespace)
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType(addressType)
                .withEndpoints(endpoints);
        for (Integer port : ports) {
            b.addToPorts(new EndpointPortBuilder().withName("https").withPort(port).withProtocol("TCP").build());
        }
        return b.build();
    }

    static Node node(String name, String... typeAndAddress) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        var status = b.withNewStatus();
        for (int i = 0; i < typeAndAddress.length; i += 2) {
            status.addNewAddress().withType(typeAndAddress[i]).withAddress(typeAndAddress[i + 1]).endAddress();
        }
        return status.endStatus().build();
    }

    @Test
    void readyAndUnconditionedEndpointsCrossedWithEveryPort() {
        EndpointSlice s = slice("default", "kubernetes", "IPv4",
                List.of(endpoint(true, "10.0.0.2"), endpoint(null, "10.0.0.1"), endpoint(false, "10.0.0.3")),
                6443, 443);

        ClusterFacts facts = ClusterFacts.from(List.of(s), List.of());

        assertThat(facts.apiServerEndpoints()).contains(List.of(
                new ApiServerEndpoint("10.0.0.1", 443, "TCP"),
                new ApiServerEndpoint("10.0.0.1", 6443, "TCP"),
                new ApiServerEndpoint("10.0.0.2", 443, "TCP"),
                new ApiServerEndpoint("10.0.0.2", 6443, "TCP")));
    }

    @Test
    void portProtocolDefaultsToTcpAndNullPortsAreSkipped() {
        EndpointSlice s = slice("default", "kubernetes", "IPv4", List.of(endpoint(true, "10.0.0.1")));
        s.setPorts(new ArrayList<>(List.of(
                new EndpointPortBuilder().withPort(6443).build(),
                new EndpointPortBuilder().withProtocol("TCP").build())));

        assertThat(ClusterFacts.from(List.of(s), null).apiServerEndpoints())
                .contains(List.of(new ApiServerEndpoint("10.0.0.1", 6443, "TCP")));
    }

    @Test
    void otherServicesAndOtherNamespacesAreIgnored() {
        EndpointSlice ours = slice("default", "kubernetes", "IPv4", List.of(endpoint(true, "10.0.0.1")), 6443);
        EndpointSlice otherService = slice("default", "my-svc", "IPv4", List.of(endpoint(true, "10.9.9.9")), 6443);
        // Anyone can create a Service named "kubernetes" in their namespace; it must not widen egress.
        EndpointSlice impostor = slice("team-a", "kubernetes", "IPv4", List.of(endpoint(true, "6.6.6.6")), 443);
        EndpointSlice unlabelled = slice("default", "kubernetes", "IPv4", List.of(endpoint(true, "10.8.8.8")), 6443);
        unlabelled.getMetadata().setLabels(null);

        ClusterFacts facts = ClusterFacts.from(List.of(otherService, impostor, ours, unlabelled), null);

        assertThat(facts.apiServerEndpoints()).contains(List.of(new ApiServerEndpoint("10.0.0.1", 6443, "TCP")));
    }

    @Test
    void sliceNotSeenMeansUnknownButSeenWithoutReadyEndpointsMeansKnownEmpty() {
        assertThat(ClusterFacts.from(null, null).apiServerEndpoints()).isEmpty();
        assertThat(ClusterFacts.from(List.of(), null).apiServerEndpoints()).isEmpty();
        assertThat(ClusterFacts.from(List.of(slice("default", "my-svc", "IPv4", List.of(endpoint(true, "10.0.0.1")), 1)),
                null).apiServerEndpoints()).isEmpty();

        EndpointSlice allNotReady = slice("default", "kubernetes", "IPv4", List.of(endpoint(false, "10.0.0.1")), 6443);
        assertThat(ClusterFacts.from(List.of(allNotReady), null).apiServerEndpoints()).contains(List.of());
        EndpointSlice noEndpoints = slice("default", "kubernetes", "IPv4", null, 6443);
        assertThat(ClusterFacts.from(List.of(noEndpoints), null).apiServerEndpoints().isPresent()).isTrue();
    }

    @Test
    void endpointsFromSeveralSlicesAndFamiliesAreMergedSortedAndDeduplicated() {
        EndpointSlice v4a = slice("default", "kubernetes", "IPv4", List.of(endpoint(true, "10.0.0.2", "10.0.0.1")), 6443);
        EndpointSlice v4b = slice("default", "kubernetes", "IPv4", List.of(endpoint(true, "10.0.0.1")), 6443);
        EndpointSlice v6 = slice("default", "kubernetes", "IPv6", List.of(endpoint(true, "FD00::1")), 6443);
        EndpointSlice fqdn = slice("default", "kubernetes", "FQDN", List.of(endpoint(true, "api.example.com")), 6443);

        ClusterFacts a = ClusterFacts.from(List.of(v6, v4a, v4b, fqdn), null);
        ClusterFacts b = ClusterFacts.from(List.of(v4b, fqdn, v4a, v6), null);

        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a.apiServerEndpoints()).contains(List.of(
                new ApiServerEndpoint("10.0.0.1", 6443, "TCP"),
                new ApiServerEndpoint("10.0.0.2", 6443, "TCP"),
                new ApiServerEndpoint("fd00::1", 6443, "TCP")));
    }

    @Test
    void nodeInternalIpsOnlySortedAndDeduplicated() {
        List<Node> nodes = List.of(
                node("b", "InternalIP", "192.168.0.11", "ExternalIP", "203.0.113.5", "Hostname", "b"),
                node("a", "InternalIP", "192.168.0.10", "InternalIP", "2001:DB8::A"),
                node("c", "InternalIP", "192.168.0.10"),
                node("d", "InternalDNS", "d.internal"),
                new NodeBuilder().withNewMetadata().withName("no-status").endMetadata().build());

        assertThat(ClusterFacts.from(null, nodes).nodeIps())
                .contains(List.of("192.168.0.10", "192.168.0.11", "2001:db8::a"));
    }

    @Test
    void nodesNullIsUnknownAndEmptyIsKnownEmpty() {
        assertThat(ClusterFacts.from(null, null).nodeIps()).isEmpty();
        assertThat(ClusterFacts.from(null, null).nodeIps().isPresent()).isFalse();
        assertThat(ClusterFacts.from(null, List.of()).nodeIps()).contains(List.of());
        assertThat(ClusterFacts.from(null, List.of(node("x", "ExternalIP", "1.2.3.4"))).nodeIps()).contains(List.of());
    }

    @Test
    void equalClustersGiveEqualFactsRegardlessOfOrder() {
        List<Node> nodes = List.of(node("a", "InternalIP", "10.1.0.1"), node("b", "InternalIP", "10.1.0.2"));
        List<Node> reversed = List.of(nodes.get(1), nodes.get(0));

        assertThat(ClusterFacts.from(null, nodes)).isEqualTo(ClusterFacts.from(null, reversed));
        assertThat(ClusterFacts.from(null, nodes)).isNotEqualTo(ClusterFacts.from(null, List.of(nodes.get(0))));
        assertThat(ClusterFacts.from(null, nodes)).isNotEqualTo(ClusterFacts.from(
                List.of(slice("default", "kubernetes", "IPv4", List.of(), 6443)), nodes));
    }

    @Test
    void unknownDiffersFromKnownEmpty() {
        assertThat(ClusterFacts.unknown()).isNotEqualTo(ClusterFacts.of(List.of(), List.of()));
        assertThat(ClusterFacts.of(null, List.of())).isNotEqualTo(ClusterFacts.of(List.of(), List.of()));
        assertThat(new ClusterFacts(null, null)).isEqualTo(ClusterFacts.unknown());
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-1.example.com", "10.0.0.256", "fe80::1%eth0", "", "1.2.3"})
    void nonIpAddressesNeverBecomeIpBlocks(String address) {
        assertThat(ClusterFacts.from(null, List.of(node("n", "InternalIP", address))).nodeIps()).contains(List.of());
        EndpointSlice s = slice("default", "kubernetes", "IPv4", List.of(endpoint(true, address)), 6443);
        assertThat(ClusterFacts.from(List.of(s), null).apiServerEndpoints()).contains(List.of());
        assertThatThrownBy(() -> ClusterFacts.of(null, List.of(address))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiServerEndpoint(address, 1, "TCP")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void directlyConstructedFactsAreNormalisedToo() {
        ClusterFacts facts = ClusterFacts.of(
                List.of(new ApiServerEndpoint("10.0.0.2", 6443, null), new ApiServerEndpoint("10.0.0.2", 6443, "TCP")),
                List.of("10.0.0.9", "2001:DB8::1", "10.0.0.9"));

        assertThat(facts.apiServerEndpoints()).contains(List.of(new ApiServerEndpoint("10.0.0.2", 6443, "TCP")));
        assertThat(facts.nodeIps()).isEqualTo(Optional.of(List.of("10.0.0.9", "2001:db8::1")));
        assertThatThrownBy(() -> facts.nodeIps().get().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
