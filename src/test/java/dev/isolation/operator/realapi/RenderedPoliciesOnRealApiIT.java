package dev.isolation.operator.realapi;

import dev.isolation.operator.ContractExample;
import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.DefaultDeny;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.render.ApiServerEndpoint;
import dev.isolation.operator.render.ClusterFacts;
import dev.isolation.operator.render.ProfileRenderer;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every NetworkPolicy the renderer produces (each preset, both directions, the contract's
 * example) passes the real API server's validation (server-side dry run: no 422) for IPv4,
 * IPv6 and dual-stack API server endpoints and node addresses.
 */
class RenderedPoliciesOnRealApiIT {

    private static final String NAMESPACE = "rendered-policies";
    private static KubernetesClient admin;

    @BeforeAll
    static void namespace() {
        admin = RealApiServer.get().adminClientWith(NAMESPACE);
    }

    @AfterAll
    static void close() {
        if (admin != null) {
            admin.close();
        }
    }

    static Stream<Arguments> clusters() {
        return Stream.of(
                arguments("IPv4", ClusterFacts.of(List.of(new ApiServerEndpoint("10.96.0.1", 6443, "TCP")),
                        List.of("192.168.10.7", "192.168.10.8"))),
                arguments("IPv6", ClusterFacts.of(List.of(new ApiServerEndpoint("fd00:10:96::1", 6443, "TCP")),
                        List.of("fd00:10:244::17", "2001:db8::1"))),
                arguments("dual-stack, several endpoints", ClusterFacts.of(List.of(
                                new ApiServerEndpoint("10.96.0.1", 443, "TCP"),
                                new ApiServerEndpoint("fd00:10:96::1", 6443, "TCP"),
                                new ApiServerEndpoint("fd00:10:96::2", 6443, "TCP")),
                        List.of("192.168.10.7", "fd00:10:244::17", "::ffff:10.1.2.3"))));
    }

    private static IsolationProfile everyPreset(boolean ingress, boolean egress) {
        IsolationProfile profile = new KubernetesSerialization().unmarshal(ContractExample.yaml(), IsolationProfile.class);
        profile.getMetadata().setUid(UUID.randomUUID().toString());
        profile.getSpec().setDefaultDeny(new DefaultDeny(ingress, egress));
        Allow allow = new Allow();
        allow.setSameNamespace(true);
        allow.setDns(true);
        allow.setKubeApiServer(true);
        allow.setNodes(true);
        allow.setFromNamespaces(List.of(
                new LabelSelectorBuilder().addToMatchLabels("kubernetes.io/metadata.name", "ingress-nginx").build(),
                new LabelSelectorBuilder().addNewMatchExpression().withKey("team").withOperator("In")
                        .withValues("a", "b").endMatchExpression().build()));
        profile.getSpec().setAllow(allow);
        return profile;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("clusters")
    void everyRenderedPolicyIsAcceptedByTheServer(String cluster, ClusterFacts facts) {
        int rendered = 0;
        for (boolean[] deny : new boolean[][] {{true, true}, {true, false}, {false, true}}) {
            List<NetworkPolicy> policies = ProfileRenderer.render(everyPreset(deny[0], deny[1]), NAMESPACE, facts)
                    .networkPolicies();
            for (NetworkPolicy policy : policies) {
                try {
                    admin.network().v1().networkPolicies().inNamespace(NAMESPACE).resource(policy).dryRun().create();
                } catch (KubernetesClientException e) {
                    throw new AssertionError(cluster + ": the server rejected " + policy.getMetadata().getName()
                            + ": " + e.getMessage(), e);
                }
                rendered++;
            }
        }
        // every preset and the contract's policy at least once: 6 presets + db-ingress
        assertThat(rendered).isGreaterThanOrEqualTo(7);
    }
}
