package dev.isolation.operator.cni;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.isolation.operator.cni.Fixtures.configMap;
import static dev.isolation.operator.cni.Fixtures.container;
import static dev.isolation.operator.cni.Fixtures.daemonSet;
import static dev.isolation.operator.cni.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API contract, "Explicit switches beat version ranges": for every CNI with an on/off setting (docs/cni-catalog.md,
 * "Enforcement switches"), off is False whatever the version, on is True even for a tag that is not a version.
 */
class CniSwitchesTest {

    private static final CapabilityCatalog CATALOG = CapabilityCatalog.builtIn();

    private static CniVerdict detect(ClusterInventory inv) {
        return CniDetector.detect(inv, CATALOG, SystemNamespaces.DEFAULT);
    }

    private static ClusterInventory ds(DaemonSet... daemonSets) {
        return Fixtures.daemonSets(daemonSets);
    }

    private static Container args(Container c, String... args) {
        c.setArgs(List.of(args));
        return c;
    }

    private static ClusterInventory cilium(String tag, String flag, String configMapValue) {
        Container agent = container("cilium-agent", "quay.io/cilium/cilium:" + tag);
        if (flag != null) {
            agent.setArgs(List.of("--config-dir=/tmp/cilium/config-map", "--enable-policy=" + flag));
        }
        return new ClusterInventory(List.of(daemonSet("kube-system", "cilium", agent)), null,
                configMapValue == null ? null : List.of(configMap("kube-system", "cilium-config",
                        Map.of("enable-policy", configMapValue))), null, null);
    }

    private static ClusterInventory kubeRouter(String tag, String... args) {
        return ds(daemonSet("kube-system", "kube-router",
                args(container("kube-router", "docker.io/cloudnativelabs/kube-router:" + tag), args)));
    }

    private static ClusterInventory aws(String tag, String agentFlag) {
        return ds(daemonSet("kube-system", "aws-node",
                container("aws-node", "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:" + tag),
                container("aws-eks-nodeagent",
                        "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.2.0",
                        "--enable-network-policy=" + agentFlag)));
    }

    private static ClusterInventory kindnet(String image, String... args) {
        return ds(daemonSet("kube-system", "kindnet", args(container("kindnet-cni", image), args)));
    }

    private static ClusterInventory k3s(String kubelet, String nodeArgs) {
        Node n = Fixtures.node("server-0", Map.of("node.kubernetes.io/instance-type", "k3s"),
                nodeArgs == null ? Map.of() : Map.of("k3s.io/node-args", nodeArgs), kubelet);
        return new ClusterInventory(null, null, null, null, List.of(n));
    }

    private static ClusterInventory kubeOvn(String tag, String enableNp) {
        return new ClusterInventory(
                List.of(daemonSet("kube-system", "kube-ovn-cni", container("cni-server", "docker.io/kubeovn/kube-ovn:" + tag))),
                List.of(deployment("kube-system", "kube-ovn-controller", 1, args(container("kube-ovn-controller",
                        "docker.io/kubeovn/kube-ovn:" + tag), "--enable-lb=true", "--enable-np=" + enableNp))),
                null, null, null);
    }

    private static ClusterInventory weave(String tag, boolean npc) {
        Container router = container("weave", "weaveworks/weave-kube:" + tag);
        return ds(npc ? daemonSet("kube-system", "weave-net", router, container("weave-npc", "weaveworks/weave-npc:" + tag))
                : daemonSet("kube-system", "weave-net", router));
    }

    static Stream<Arguments> switches() {
        return Stream.of(
                // cni, case, inventory, expected enforcesNetworkPolicy
                Arguments.of("cilium", "enable-policy=never in cilium-config", cilium("v1.16.1", null, "never"), "False"),
                Arguments.of("cilium", "enable-policy=default in cilium-config", cilium("v1.16.1", null, "default"), "True"),
                Arguments.of("cilium", "--enable-policy=never beats the ConfigMap", cilium("v1.16.1", "never", "always"), "False"),
                Arguments.of("cilium", "stable tag, enable-policy=always", cilium("stable", null, "always"), "True"),
                Arguments.of("kube-router", "--run-firewall=false", kubeRouter("v2.1.3", "--run-firewall=false"), "False"),
                Arguments.of("kube-router", "--run-firewall=true", kubeRouter("v2.1.3", "--run-firewall=true"), "True"),
                Arguments.of("kube-router", "latest, --run-firewall=false", kubeRouter("latest", "--run-firewall=false"), "False"),
                Arguments.of("kube-router", "stable tag, --run-firewall", kubeRouter("stable", "--run-firewall"), "True"),
                Arguments.of("aws-vpc-cni", "agent off", aws("v1.18.3", "false"), "False"),
                Arguments.of("aws-vpc-cni", "agent on", aws("v1.18.3", "true"), "True"),
                Arguments.of("aws-vpc-cni", "latest tag, agent on", aws("latest", "true"), "True"),
                Arguments.of("aws-vpc-cni", "stable tag, agent on", aws("stable", "true"), "True"),
                Arguments.of("kindnet", "--network-policy=false on a release with support",
                        kindnet("docker.io/kindest/kindnetd:v20240813-c6f155d6", "--network-policy=false"), "False"),
                Arguments.of("kindnet", "semver build (no catalog range), --network-policy=true",
                        kindnet("ghcr.io/aojea/kindnetd:v1.8.5", "--network-policy=true"), "True"),
                Arguments.of("kindnet", "latest, --network-policy",
                        kindnet("ghcr.io/aojea/kindnetd:latest", "--network-policy"), "True"),
                Arguments.of("kindnet", "untagged, --network-policy=true",
                        kindnet("ghcr.io/aojea/kindnetd", "--network-policy=true"), "True"),
                Arguments.of("k3s", "--disable-network-policy", k3s("v1.30.4+k3s1",
                        "[\"server\",\"--disable-network-policy\"]"), "False"),
                Arguments.of("k3s", "--disable-network-policy=false", k3s("v1.30.4+k3s1",
                        "[\"server\",\"--disable-network-policy=false\"]"), "True"),
                Arguments.of("k3s", "no kubelet version, --disable-network-policy=false", k3s(null,
                        "[\"server\",\"--disable-network-policy=false\"]"), "True"),
                Arguments.of("kube-ovn", "--enable-np=false", kubeOvn("v1.13.0", "false"), "False"),
                Arguments.of("kube-ovn", "--enable-np=true", kubeOvn("v1.13.0", "true"), "True"),
                Arguments.of("kube-ovn", "latest, --enable-np=true", kubeOvn("latest", "true"), "True"),
                Arguments.of("weave", "no weave-npc", weave("2.8.1", false), "False"),
                Arguments.of("weave", "weave-npc", weave("2.8.1", true), "True"),
                Arguments.of("weave", "stable tag, weave-npc", weave("stable", true), "True"));
    }

    @ParameterizedTest(name = "{0}: {1} -> {3}")
    @MethodSource("switches")
    void explicitSwitchDecides(String cni, String what, ClusterInventory inv, String enforces) {
        CniVerdict v = detect(inv);
        assertThat(v.name()).isEqualTo(cni);
        assertThat(v.enforcesNetworkPolicy()).isEqualTo(enforces);
        if (enforces.equals("False")) {
            assertThat(v.capabilities().note()).as("the message names the switch").startsWith("NetworkPolicy "
                    + "enforcement switched off: ");
        }
    }
}
