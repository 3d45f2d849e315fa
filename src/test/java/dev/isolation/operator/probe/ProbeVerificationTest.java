package dev.isolation.operator.probe;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.api.CheckStatus;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.api.VerificationMethod;
import dev.isolation.operator.api.VerificationStatus;
import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.config.OperatorConfig.Probe;
import dev.isolation.operator.probe.sim.CniMode;
import dev.isolation.operator.probe.sim.SimulatedKubelet;
import dev.isolation.operator.reconcile.ApiTraffic;
import dev.isolation.operator.reconcile.OperatorRuntime;
import dev.isolation.operator.reconcile.OperatorTestSupport;
import dev.isolation.operator.reconcile.TestOperatorConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.isolation.operator.reconcile.OperatorTestSupport.condition;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The probe end to end: the operator against the mock API server, with {@link SimulatedKubelet}
 * running the probe pods over a simulated dataplane in every CNI mode.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ProbeVerificationTest {

    private static final String PROBE_NS = "isolation-probe";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    OperatorLauncher launcher;
    @Inject
    KubernetesClient operatorClient;

    KubernetesClient client;
    SimulatedKubelet kubelet;
    String id;
    final List<String> profiles = new ArrayList<>();
    final List<String[]> daemonSets = new ArrayList<>();

    @BeforeEach
    void boot() {
        client = OperatorTestSupport.testClient(server.getKubernetesMockServer());
        if (client.namespaces().withName(PROBE_NS).get() == null) {
            OperatorTestSupport.namespace(client, PROBE_NS, Map.of("kubernetes.io/metadata.name", PROBE_NS));
        }
        kubelet = new SimulatedKubelet(client, PROBE_NS).start();
        OperatorTestSupport.boot(client, launcher);
        id = UUID.randomUUID().toString().substring(0, 8);
        OperatorTestSupport.namespace(client, "app-" + id, Map.of("suite", id));
        // Results are cluster-wide; every test starts from none, as after a CNI change.
        launcher.runtime().orElseThrow().probe().cniChanged();
    }

    @AfterEach
    void cleanUp() {
        profiles.forEach(p -> OperatorTestSupport.deleteProfile(client, p));
        profiles.clear();
        daemonSets.forEach(d -> client.apps().daemonSets().inNamespace(d[0]).withName(d[1]).delete());
        daemonSets.clear();
        kubelet.close();
        ApiTraffic.drain(server.getKubernetesMockServer());
    }

    /** A profile that uses every probed feature: ingress and egress deny, endPort, a named port, UDP, SCTP. */
    private String everyFeature(String name) {
        IsolationProfile p = OperatorTestSupport.profile(name, Map.of("suite", id));
        p.getSpec().setDefaultDeny(OperatorTestSupport.deny(true, true));
        p.getSpec().setVerification(VerificationMethod.Probe);
        p.getSpec().setPolicies(List.of(template("ranges", """
                podSelector: {}
                policyTypes: [Ingress]
                ingress:
                - ports:
                  - {protocol: TCP, port: 9000, endPort: 9100}
                  - {protocol: TCP, port: http}
                  - {protocol: SCTP, port: 3868}
                """)));
        return create(p);
    }

    private String ingressOnly(String name) {
        IsolationProfile p = OperatorTestSupport.profile(name, Map.of("suite", id));
        p.getSpec().setVerification(VerificationMethod.Probe);
        return create(p);
    }

    private String create(IsolationProfile p) {
        OperatorTestSupport.create(client, p);
        profiles.add(p.getMetadata().getName());
        return p.getMetadata().getName();
    }

    private static PolicyTemplate template(String name, String yaml) {
        PolicyTemplate t = new PolicyTemplate();
        t.setName(name);
        t.setSpec(YAML.unmarshal(yaml, NetworkPolicySpec.class));
        return t;
    }

    private VerificationStatus verification(String profile) {
        IsolationProfile p = get(client, profile);
        return p == null || p.getStatus() == null ? null : p.getStatus().getVerification();
    }

    private VerificationStatus awaitResult(String profile, String result) {
        await().atMost(WAIT).until(() -> verification(profile) != null && result.equals(verification(profile).getResult()));
        return verification(profile);
    }

    private static Map<String, String> byCheck(VerificationStatus v) {
        return v.getChecks().stream().collect(Collectors.toMap(CheckStatus::getName, CheckStatus::getResult));
    }

    private void rerunWith(CniMode mode) {
        kubelet.mode(mode);
        launcher.runtime().orElseThrow().probe().cniChanged();
    }

    @Test
    void passedWhenTheDataplaneEnforcesEverything() {
        kubelet.mode(CniMode.ENFORCING);
        String name = everyFeature("probe-pass-" + id);
        VerificationStatus v = awaitResult(name, "Passed");
        assertThat(v.getMethod()).isEqualTo("Probe");
        assertThat(byCheck(v)).containsOnlyKeys("baseline", "ingress-deny", "ingress-allow", "egress-deny",
                "egress-allow", "end-port", "named-port", "udp", "sctp").allSatisfy((k, r) -> assertThat(r).isEqualTo("Passed"));
        Condition enforced = condition(client, name, "Enforced");
        assertThat(enforced.getStatus()).isEqualTo("True");
        assertThat(enforced.getReason()).isEqualTo("VerifiedByProbe");
        // Each client ran with exactly its check's policies in the namespace.
        assertThat(kubelet.clientLog()).anyMatch(l -> l.startsWith("baseline ") && l.contains("policies=[]") && l.endsWith("exit=0"));
        assertThat(kubelet.clientLog()).anyMatch(l -> l.startsWith("ingress-deny ") && l.contains("-ingress-deny-0]") && l.endsWith("exit=1"));
        // Every object of the run is gone afterwards.
        await().atMost(WAIT).until(() -> client.pods().inNamespace(PROBE_NS).list().getItems().isEmpty()
                && client.network().v1().networkPolicies().inNamespace(PROBE_NS).list().getItems().isEmpty());
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("isolation_probe_runs_total{result=\"Passed\"}"))
                .body(containsString("isolation_probe_check{check=\"end-port\",result=\"Passed\"} 1.0"))
                .body(containsString("isolation_probe_last_run_timestamp_seconds"));
    }

    @Test
    void eachUnsupportedFeatureFailsItsOwnCheck() {
        kubelet.mode(CniMode.ENFORCING);
        String name = everyFeature("probe-fail-" + id);
        awaitResult(name, "Passed");
        Map<CniMode, List<String>> failing = Map.of(
                CniMode.NONE, List.of("ingress-deny", "ingress-allow", "egress-deny", "udp", "sctp"),
                CniMode.IGNORE_EGRESS, List.of("egress-deny"),
                CniMode.IGNORE_END_PORT, List.of("end-port"),
                CniMode.NO_NAMED_PORTS, List.of("named-port"),
                CniMode.NO_SCTP, List.of("sctp"));
        for (Map.Entry<CniMode, List<String>> e : failing.entrySet()) {
            rerunWith(e.getKey());
            VerificationStatus v = awaitResult(name, "Failed");
            Map<String, String> checks = byCheck(v);
            assertThat(checks).as(e.getKey().name()).allSatisfy((check, result) ->
                    assertThat(result).as(check).isEqualTo(e.getValue().contains(check) ? "Failed" : "Passed"));
            e.getValue().forEach(check -> assertThat(v.getMessage()).contains(check + " failed"));
            Condition enforced = condition(client, name, "Enforced");
            assertThat(enforced.getStatus()).isEqualTo("False");
            assertThat(enforced.getReason()).isEqualTo("ProbeFailed");
            assertThat(enforced.getMessage()).contains(e.getValue().get(0) + " failed");
            // Back to a passing state so the next mode's Failed is its own.
            rerunWith(CniMode.ENFORCING);
            awaitResult(name, "Passed");
        }
    }

    @Test
    void inconclusiveWhenTheBaselineFailsAndKeepsTheDetectionVerdict() {
        kubelet.mode(CniMode.BROKEN);
        String name = ingressOnly("probe-broken-" + id);
        VerificationStatus v = awaitResult(name, "Inconclusive");
        assertThat(byCheck(v)).containsEntry("baseline", "Inconclusive").containsEntry("ingress-deny", "Inconclusive");
        assertThat(v.getMessage()).contains("baseline inconclusive: a TCP connection without any policy")
                .contains("ingress-deny inconclusive: baseline did not pass");
        Condition enforced = condition(client, name, "Enforced");
        assertThat(enforced.getStatus()).isEqualTo("Unknown");
        assertThat(enforced.getReason()).isEqualTo("ProbeInconclusive");
        assertThat(enforced.getMessage()).contains("the catalog says Unknown/UnknownCNI");
    }

    @Test
    void inconclusiveWhenClientsNeverTerminateOrPodsCannotStart() {
        kubelet.mode(CniMode.NEVER_TERMINATE);
        String name = ingressOnly("probe-hang-" + id);
        VerificationStatus v = awaitResult(name, "Inconclusive");
        assertThat(v.getMessage()).contains("did not terminate within 5s");

        rerunWith(CniMode.IMAGE_PULL_FAILURE);
        await().atMost(WAIT).until(() -> verification(name).getMessage().contains("ErrImagePull"));
        assertThat(verification(name).getResult()).isEqualTo("Inconclusive");

        rerunWith(CniMode.SCTP_UNAVAILABLE);
        String sctp = everyFeature("probe-nosctp-" + id);
        await().atMost(WAIT).until(() -> verification(sctp) != null && verification(sctp).getChecks() != null
                && "Inconclusive".equals(byCheck(verification(sctp)).get("sctp")));
        assertThat(verification(sctp).getMessage()).contains("sctp inconclusive: a SCTP connection without any policy");
        assertThat(byCheck(verification(sctp))).containsEntry("udp", "Passed");
    }

    @Test
    void inconclusiveWhenTheProbeNamespaceIsMissing() {
        client.namespaces().withName(PROBE_NS).delete();
        await().atMost(WAIT).until(() -> client.namespaces().withName(PROBE_NS).get() == null);
        try {
            rerunWith(CniMode.ENFORCING);
            String name = ingressOnly("probe-nons-" + id);
            VerificationStatus v = awaitResult(name, "Inconclusive");
            assertThat(v.getMessage()).contains("namespace isolation-probe does not exist");
        } finally {
            OperatorTestSupport.namespace(client, PROBE_NS, Map.of());
        }
    }

    @Test
    void theProbeOverridesTheCatalogInBothDirectionsAndRerunsWhenTheCniChanges() {
        // The catalog says flannel enforces nothing; the dataplane does enforce: the probe wins.
        kubelet.mode(CniMode.ENFORCING);
        daemonSet("kube-system", "kube-flannel-ds", "docker.io/flannel/flannel:v0.25.1");
        String name = ingressOnly("probe-override-" + id);
        await().atMost(WAIT).until(() -> "VerifiedByProbe".equals(reason(name)));
        assertThat(condition(client, name, "Enforced").getStatus()).isEqualTo("True");
        assertThat(condition(client, name, "Enforced").getMessage()).contains("overrides detection")
                .contains("CNIDoesNotEnforce");
        int runs = kubelet.runsSeen().size();

        // The CNI changes to calico (the catalog: enforces), but the dataplane enforces nothing.
        kubelet.mode(CniMode.NONE);
        client.apps().daemonSets().inNamespace("kube-system").withName("kube-flannel-ds").delete();
        daemonSet("kube-system", "calico-node", "docker.io/calico/node:v3.28.0");
        await().atMost(WAIT).until(() -> "ProbeFailed".equals(reason(name)));
        assertThat(kubelet.runsSeen().size()).isGreaterThan(runs);
        assertThat(condition(client, name, "Enforced").getStatus()).isEqualTo("False");
        assertThat(condition(client, name, "Enforced").getMessage()).contains("ingress-deny failed")
                .contains("overrides detection, which expected enforcement").contains("CNIEnforces");
    }

    @Test
    void oneRunAtATimeForManyProfiles() {
        kubelet.mode(CniMode.ENFORCING);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            names.add(i % 2 == 0 ? everyFeature("probe-many-" + i + "-" + id) : ingressOnly("probe-many-" + i + "-" + id));
        }
        names.forEach(n -> awaitResult(n, "Passed"));
        assertThat(kubelet.maxConcurrentRuns()).isEqualTo(1);
        // Six profiles, but runs are shared: far fewer runs than profiles asking.
        assertThat(kubelet.runsSeen().size()).isLessThanOrEqualTo(3);
    }

    @Test
    void leftoversOfACrashedRunAreDeletedOnStart() {
        launcher.stop();
        // What a crash mid-run leaves behind: a server, a client and a check's policy.
        Map<String, String> crashed = Map.of("app.kubernetes.io/managed-by", "isolation-operator",
                "isolation.dev/probe-run", "crashed1");
        for (String pod : List.of("probe-crashed1-server", "probe-crashed1-ingress-deny")) {
            client.pods().inNamespace(PROBE_NS).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withLabels(crashed).endMetadata().withNewSpec().withContainers(new ContainerBuilder()
                            .withName("c").withImage("agnhost").build()).endSpec().build()).create();
        }
        client.network().v1().networkPolicies().inNamespace(PROBE_NS).resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("probe-crashed1-ingress-deny-0").withLabels(crashed).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().endSpec().build()).create();
        // Someone else's pod in the namespace is not the probe's to delete.
        client.pods().inNamespace(PROBE_NS).resource(new PodBuilder().withNewMetadata().withName("not-probe-" + id)
                .endMetadata().withNewSpec().withContainers(new ContainerBuilder().withName("c").withImage("x").build())
                .endSpec().build()).create();

        OperatorTestSupport.boot(client, launcher);
        await().atMost(WAIT).until(() -> client.pods().inNamespace(PROBE_NS).list().getItems().stream()
                .noneMatch(p -> p.getMetadata().getName().startsWith("probe-crashed1"))
                && client.network().v1().networkPolicies().inNamespace(PROBE_NS).list().getItems().isEmpty());
        assertThat(client.pods().inNamespace(PROBE_NS).withName("not-probe-" + id).get()).isNotNull();
        client.pods().inNamespace(PROBE_NS).withName("not-probe-" + id).delete();
    }

    @Test
    void rerunsEveryInterval() {
        launcher.stop();
        kubelet.mode(CniMode.ENFORCING);
        Probe defaults = TestOperatorConfig.defaults().probe();
        OperatorConfig fast = new ProbeTestConfig(TestOperatorConfig.defaults(), Duration.ofSeconds(1), defaults.settleTime(),
                defaults.podDeadline(), defaults.pollInterval());
        OperatorRuntime runtime = new OperatorRuntime(operatorClient, fast,
                MicrometerMetrics.withoutPerResourceMetrics(new SimpleMeterRegistry()));
        try {
            runtime.start();
            String name = ingressOnly("probe-interval-" + id);
            awaitResult(name, "Passed");
            int after = kubelet.runsSeen().size();
            // No profile, CNI or check changed: only the interval can start these runs.
            await().atMost(WAIT).until(() -> kubelet.runsSeen().size() >= after + 2);
            assertThat(kubelet.maxConcurrentRuns()).isEqualTo(1);
        } finally {
            runtime.stop();
            OperatorTestSupport.boot(client, launcher);
        }
    }

    private String reason(String profile) {
        Condition c = condition(client, profile, "Enforced");
        return c == null ? null : c.getReason();
    }

    private void daemonSet(String namespace, String name, String image) {
        DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(new ContainerBuilder().withName(name).withImage(image).build()).endSpec()
                .endTemplate().endSpec().withNewStatus().withNumberReady(1).withDesiredNumberScheduled(1).endStatus().build();
        client.apps().daemonSets().inNamespace(namespace).resource(ds).create();
        daemonSets.add(new String[] {namespace, name});
    }
}
