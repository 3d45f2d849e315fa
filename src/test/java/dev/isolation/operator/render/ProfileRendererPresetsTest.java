package dev.isolation.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.IsolationProfileSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.isolation.operator.render.Fixtures.NS;
import static dev.isolation.operator.render.Fixtures.names;
import static dev.isolation.operator.render.Fixtures.nsSelector;
import static dev.isolation.operator.render.Fixtures.policy;
import static dev.isolation.operator.render.Fixtures.profile;
import static dev.isolation.operator.render.Fixtures.someFacts;
import static dev.isolation.operator.render.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** Which presets exist for which deny combination, and their exact shape. */
class ProfileRendererPresetsTest {

    /** Every deny combination crossed with every combination of the five allow switches. */
    static Stream<Arguments> matrix() {
        List<Arguments> args = new ArrayList<>();
        for (int deny = 0; deny < 4; deny++) {
            for (int allow = 0; allow < 32; allow++) {
                args.add(Arguments.of((deny & 1) != 0, (deny & 2) != 0,
                        (allow & 1) != 0, (allow & 2) != 0, (allow & 4) != 0, (allow & 8) != 0, (allow & 16) != 0));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "in={0} out={1} same={2} dns={3} api={4} nodes={5} fromNs={6}")
    @MethodSource("matrix")
    void presetsExistExactlyWhenTheirDirectionIsDenied(boolean in, boolean out, boolean same, boolean dns,
                                                       boolean api, boolean nodes, boolean fromNs) {
        IsolationProfileSpec spec = Fixtures.spec(in, out);
        Allow allow = spec.getAllow();
        allow.setSameNamespace(same);
        allow.setDns(dns);
        allow.setKubeApiServer(api);
        allow.setNodes(nodes);
        allow.setFromNamespaces(fromNs ? List.of(nsSelector("team", "x")) : List.of());

        DesiredNamespaceState state = ProfileRenderer.render(profile("p", spec), NS, someFacts());

        TreeSet<String> expected = new TreeSet<>();
        if (in || out) {
            expected.add("p-default-deny");
        }
        if (same && (in || out)) {
            expected.add("p-allow-same-namespace");
        }
        if (dns && out) {
            expected.add("p-allow-dns");
        }
        if (api && out) {
            expected.add("p-allow-kube-apiserver");
        }
        if (nodes && in) {
            expected.add("p-allow-nodes");
        }
        if (fromNs && in) {
            expected.add("p-allow-from-namespaces");
        }
        assertThat(names(state)).containsExactlyElementsOf(expected);
        assertThat(state.retainedPolicyNames()).isEmpty();
        // No rendered preset may isolate a direction that the profile does not deny: an Egress
        // policy alone would cut all other egress of the selected pods.
        for (NetworkPolicy np : state.networkPolicies()) {
            assertThat(np.getSpec().getPolicyTypes()).isNotEmpty();
            if (!out) {
                assertThat(np.getSpec().getPolicyTypes()).doesNotContain("Egress");
                assertThat(np.getSpec().getEgress()).isEmpty();
            }
            if (!in) {
                assertThat(np.getSpec().getPolicyTypes()).doesNotContain("Ingress");
                assertThat(np.getSpec().getIngress()).isEmpty();
            }
        }
    }

    @Test
    void contractDefaultsRenderDefaultDenyIngressAndSameNamespaceOnly() {
        DesiredNamespaceState state = ProfileRenderer.render(profile("p", null), NS, ClusterFacts.unknown());

        assertThat(names(state)).containsExactly("p-allow-same-namespace", "p-default-deny");
        assertThat(state.retainedPolicyNames()).isEmpty();
        EffectiveSpec defaults = EffectiveSpec.of(profile("p", null).getSpec());
        assertThat(NamespaceMetadata.labels(defaults)).isEmpty();
        assertThat(NamespaceMetadata.annotations(defaults, false)).isEmpty();
    }

    @ParameterizedTest(name = "in={0} out={1}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | false | {"podSelector":{},"policyTypes":["Ingress"]}
            false | true  | {"podSelector":{},"policyTypes":["Egress"]}
            true  | true  | {"podSelector":{},"policyTypes":["Ingress","Egress"]}
            """)
    void defaultDenyHasNoRulesAndTheDeniedTypesIngressFirst(boolean in, boolean out, String json) throws Exception {
        NetworkPolicy np = policy(render(Fixtures.spec(in, out)), "p-default-deny");

        assertThat(tree(np.getSpec())).isEqualTo(Fixtures.JSON.readTree(json));
        assertThat(np.getSpec().getIngress()).isEmpty();
        assertThat(np.getSpec().getEgress()).isEmpty();
    }

    @Test
    void neitherDirectionDeniedRendersNoPresetsAtAll() {
        IsolationProfileSpec spec = allPresetsOn(false, false);
        assertThat(render(spec).networkPolicies()).isEmpty();
    }

    @ParameterizedTest(name = "in={0} out={1}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | false | {"podSelector":{},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{}}]}]}
            false | true  | {"podSelector":{},"policyTypes":["Egress"],"egress":[{"to":[{"podSelector":{}}]}]}
            true  | true  | {"podSelector":{},"policyTypes":["Ingress","Egress"],"ingress":[{"from":[{"podSelector":{}}]}],"egress":[{"to":[{"podSelector":{}}]}]}
            """)
    void sameNamespaceAllowsOnlyTheDeniedDirections(boolean in, boolean out, String json) throws Exception {
        NetworkPolicy np = policy(render(Fixtures.spec(in, out)), "p-allow-same-namespace");

        assertThat(tree(np.getSpec())).isEqualTo(Fixtures.JSON.readTree(json));
        // podSelector {} (same namespace) — never a namespaceSelector, which would widen it to other namespaces
        np.getSpec().getIngress().forEach(r -> assertThat(r.getFrom().get(0).getNamespaceSelector()).isNull());
    }

    @Test
    void dnsIsOnePeerCombiningNamespaceAndPodSelectorOnUdpAndTcp53() throws Exception {
        NetworkPolicy np = policy(render(Fixtures.spec(true, true)), "p-allow-dns");

        assertThat(tree(np.getSpec())).isEqualTo(Fixtures.JSON.readTree("""
                {"podSelector":{},"policyTypes":["Egress"],
                 "egress":[{"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},
                                   "podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}],
                            "ports":[{"protocol":"UDP","port":53},{"protocol":"TCP","port":53}]}]}
                """));
        // One peer with both selectors (AND), not two peers (OR: all of kube-system, or kube-dns pods anywhere)
        assertThat(np.getSpec().getEgress().get(0).getTo()).hasSize(1);
        assertThat(np.getSpec().getEgress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(53);
    }

    @Test
    void fromNamespacesHasOnePeerPerSelectorInOneRule() throws Exception {
        IsolationProfileSpec spec = Fixtures.spec(true, false);
        spec.getAllow().setFromNamespaces(List.of(
                nsSelector("kubernetes.io/metadata.name", "ingress-nginx"),
                new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                        .addNewMatchExpression().withKey("team").withOperator("In").withValues("a", "b").endMatchExpression()
                        .build()));

        NetworkPolicy np = policy(render(spec), "p-allow-from-namespaces");

        assertThat(tree(np.getSpec())).isEqualTo(Fixtures.JSON.readTree("""
                {"podSelector":{},"policyTypes":["Ingress"],
                 "ingress":[{"from":[
                   {"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}}},
                   {"namespaceSelector":{"matchExpressions":[{"key":"team","operator":"In","values":["a","b"]}]}}]}]}
                """));
    }

    @Test
    void emptyFromNamespacesListRendersNothing() {
        IsolationProfileSpec spec = Fixtures.spec(true, false);
        spec.getAllow().setFromNamespaces(List.of());
        assertThat(names(render(spec))).doesNotContain("p-allow-from-namespaces");
    }

    @Test
    void kubeApiServerGroupsEndpointIpsByPortWithHostCidrs() throws Exception {
        ClusterFacts facts = Fixtures.facts(List.of(
                new ApiServerEndpoint("10.0.0.2", 6443, "TCP"),
                new ApiServerEndpoint("10.0.0.1", 6443, "TCP"),
                new ApiServerEndpoint("fd00::1", 6443, "TCP"),
                new ApiServerEndpoint("10.0.0.1", 443, null)), List.of());

        NetworkPolicy np = policy(render(allPresetsOn(true, true), facts), "p-allow-kube-apiserver");

        assertThat(tree(np.getSpec())).isEqualTo(Fixtures.JSON.readTree("""
                {"podSelector":{},"policyTypes":["Egress"],
                 "egress":[
                   {"to":[{"ipBlock":{"cidr":"10.0.0.1/32"}}],"ports":[{"protocol":"TCP","port":443}]},
                   {"to":[{"ipBlock":{"cidr":"10.0.0.1/32"}},{"ipBlock":{"cidr":"10.0.0.2/32"}},{"ipBlock":{"cidr":"fd00::1/128"}}],
                    "ports":[{"protocol":"TCP","port":6443}]}]}
                """));
    }

    @Test
    void kubeApiServerKeepsProtocolsApart() {
        ClusterFacts facts = Fixtures.facts(List.of(
                new ApiServerEndpoint("10.0.0.1", 6443, "TCP"),
                new ApiServerEndpoint("10.0.0.9", 6443, "SCTP")), List.of());

        NetworkPolicySpec spec = policy(render(allPresetsOn(true, true), facts), "p-allow-kube-apiserver").getSpec();

        assertThat(spec.getEgress()).hasSize(2);
        assertThat(spec.getEgress()).allSatisfy(r -> assertThat(r.getTo()).hasSize(1));
        assertThat(spec.getEgress().stream().map(r -> r.getPorts().get(0).getProtocol())).containsExactlyInAnyOrder("TCP", "SCTP");
    }

    @Test
    void nodesAllowsIngressFromEveryNodeIpV4AndV6() throws Exception {
        ClusterFacts facts = Fixtures.facts(List.of(), List.of("192.168.0.11", "2001:db8::a", "192.168.0.10"));

        NetworkPolicy np = policy(render(allPresetsOn(true, true), facts), "p-allow-nodes");

        assertThat(tree(np.getSpec())).isEqualTo(Fixtures.JSON.readTree("""
                {"podSelector":{},"policyTypes":["Ingress"],
                 "ingress":[{"from":[{"ipBlock":{"cidr":"192.168.0.10/32"}},{"ipBlock":{"cidr":"192.168.0.11/32"}},
                                     {"ipBlock":{"cidr":"2001:db8::a/128"}}]}]}
                """));
    }

    @Test
    void unknownFactsRetainTheirPresetsInsteadOfRenderingThem() {
        DesiredNamespaceState state = render(allPresetsOn(true, true), ClusterFacts.unknown());

        assertThat(names(state)).doesNotContain("p-allow-kube-apiserver", "p-allow-nodes");
        assertThat(state.retainedPolicyNames()).containsExactly("p-allow-kube-apiserver", "p-allow-nodes");
        assertThat(names(state)).contains("p-default-deny");
    }

    @Test
    void unknownFactsOfOnePresetDoNotRetainTheOther() {
        DesiredNamespaceState state = render(allPresetsOn(true, true),
                Fixtures.facts(null, List.of("10.1.1.1")));

        assertThat(state.retainedPolicyNames()).containsExactly("p-allow-kube-apiserver");
        assertThat(names(state)).contains("p-allow-nodes");
    }

    @Test
    void unknownFactsAreNotRetainedWhenThePresetIsOff() {
        // A disabled preset must be deleted, not kept alive by unknown facts.
        DesiredNamespaceState state = render(allPresetsOn(true, false), ClusterFacts.unknown());
        assertThat(state.retainedPolicyNames()).containsExactly("p-allow-nodes");

        IsolationProfileSpec off = allPresetsOn(true, true);
        off.getAllow().setNodes(false);
        off.getAllow().setKubeApiServer(false);
        assertThat(render(off, ClusterFacts.unknown()).retainedPolicyNames()).isEmpty();
    }

    @Test
    void knownEmptyFactsRenderPoliciesThatAllowNothing() throws Exception {
        DesiredNamespaceState state = render(allPresetsOn(true, true), Fixtures.facts(List.of(), List.of()));

        NetworkPolicy api = policy(state, "p-allow-kube-apiserver");
        NetworkPolicy nodes = policy(state, "p-allow-nodes");
        assertThat(api.getSpec().getEgress()).isNotNull().isEmpty();
        assertThat(nodes.getSpec().getIngress()).isNotNull().isEmpty();
        // policyTypes stay explicit, so "no rules" means "allow nothing" in that direction
        assertThat(tree(api.getSpec())).isEqualTo(Fixtures.JSON.readTree("{\"podSelector\":{},\"policyTypes\":[\"Egress\"]}"));
        assertThat(tree(nodes.getSpec())).isEqualTo(Fixtures.JSON.readTree("{\"podSelector\":{},\"policyTypes\":[\"Ingress\"]}"));
        assertThat(state.retainedPolicyNames()).isEmpty();
    }

    @Test
    void noRenderedRuleEverHasAnEmptyPeerList() {
        // An empty from/to would mean "everywhere"; check all presets with known-empty and populated facts.
        for (ClusterFacts facts : List.of(Fixtures.facts(List.of(), List.of()), someFacts())) {
            for (NetworkPolicy np : render(allPresetsOn(true, true), facts).networkPolicies()) {
                if (np.getMetadata().getName().equals("p-default-deny")) {
                    continue;
                }
                np.getSpec().getIngress().forEach(r -> assertThat(r.getFrom()).as(np.getMetadata().getName()).isNotEmpty());
                np.getSpec().getEgress().forEach(r -> assertThat(r.getTo()).as(np.getMetadata().getName()).isNotEmpty());
            }
        }
    }

    @Test
    void everyPresetSelectsAllPodsOfTheNamespace() {
        for (NetworkPolicy np : render(allPresetsOn(true, true), someFacts()).networkPolicies()) {
            JsonNode selector = tree(np.getSpec()).get("podSelector");
            assertThat(selector).as(np.getMetadata().getName()).isNotNull();
            assertThat(selector.isEmpty()).as(np.getMetadata().getName()).isTrue();
        }
    }

    static IsolationProfileSpec allPresetsOn(boolean in, boolean out) {
        IsolationProfileSpec spec = Fixtures.spec(in, out);
        spec.getAllow().setSameNamespace(true);
        spec.getAllow().setDns(true);
        spec.getAllow().setKubeApiServer(true);
        spec.getAllow().setNodes(true);
        spec.getAllow().setFromNamespaces(List.of(nsSelector("team", "x")));
        return spec;
    }

    private static DesiredNamespaceState render(IsolationProfileSpec spec) {
        return render(spec, someFacts());
    }

    private static DesiredNamespaceState render(IsolationProfileSpec spec, ClusterFacts facts) {
        return ProfileRenderer.render(profile("p", spec), NS, facts);
    }
}
