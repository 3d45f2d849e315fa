package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.Mode;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.render.ManagedLabels;
import dev.isolation.operator.render.OwnedKeys;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.isolation.operator.reconcile.OperatorTestSupport.TIMEOUT;
import static dev.isolation.operator.reconcile.OperatorTestSupport.annotations;
import static dev.isolation.operator.reconcile.OperatorTestSupport.condition;
import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.deleteProfile;
import static dev.isolation.operator.reconcile.OperatorTestSupport.deny;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.labels;
import static dev.isolation.operator.reconcile.OperatorTestSupport.managedPolicies;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.policyNames;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The reconcilers end to end against the mock API server (crud mode). */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ProfileReconciliationTest extends OperatorMockTest {

    @Test
    void createsPoliciesAndNamespaceMetadata() {
        namespace(client, ns("a"), Map.of("suite", id, "team", "blue"));
        namespace(client, ns("other"), Map.of("suite", "nope"));
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setNamespaceLabels(Map.of("project", "myproject"));
        p.getSpec().setNamespaceAnnotations(Map.of("owner", "team-a"));
        create(client, p);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(policyNames(client, ns("a"))).containsExactlyInAnyOrder(
                    "p-" + id + "-default-deny", "p-" + id + "-allow-same-namespace");
            assertThat(labels(client, ns("a"))).containsEntry("project", "myproject").containsEntry("team", "blue");
            assertThat(annotations(client, ns("a"))).containsEntry("owner", "team-a");
            assertThat(conditionIs(client, "p-" + id, "Ready", "True", "Reconciled")).isTrue();
        });
        assertThat(policyNames(client, ns("other"))).isEmpty();
        assertThat(labels(client, ns("other"))).doesNotContainKey("project");

        NetworkPolicy deny = client.network().v1().networkPolicies().inNamespace(ns("a"))
                .withName("p-" + id + "-default-deny").get();
        assertThat(deny.getMetadata().getLabels()).containsEntry(ManagedLabels.MANAGED_BY, "isolation-operator")
                .containsEntry(ManagedLabels.PROFILE, "p-" + id);
        assertThat(deny.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("IsolationProfile");
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getUid()).isEqualTo(get(client, "p-" + id).getMetadata().getUid());
        });
        assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress");

        IsolationProfile status = get(client, "p-" + id);
        assertThat(status.getStatus().getNamespaces().getSelected()).isEqualTo(1);
        assertThat(status.getStatus().getNamespaces().getReady()).isEqualTo(1);
        assertThat(status.getStatus().getPolicies().getDesired()).isEqualTo(2);
        assertThat(status.getStatus().getPolicies().getApplied()).isEqualTo(2);
        assertThat(status.getStatus().getNamespaceSummary()).isEqualTo("1/1");
        assertThat(status.getStatus().getObservedGeneration()).isEqualTo(status.getMetadata().getGeneration());
        assertThat(condition(client, "p-" + id, "Enforced").getStatus()).isEqualTo("Unknown");
        assertThat(status.getMetadata().getFinalizers()).contains(IsolationProfile.FINALIZER);
    }

    @Test
    void relabellingANamespaceMovesItInAndOut() {
        namespace(client, ns("r"), Map.of("suite", "later"));
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setNamespaceLabels(Map.of("isolated", "yes"));
        create(client, p);
        await().atMost(TIMEOUT).until(() -> conditionIs(client, "p-" + id, "Ready", "True", null));
        assertThat(policyNames(client, ns("r"))).isEmpty();

        OperatorTestSupport.editNamespace(client, ns("r"), n -> {
            n.getMetadata().getLabels().put("suite", id);
            return n;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(policyNames(client, ns("r"))).hasSize(2);
            assertThat(labels(client, ns("r"))).containsEntry("isolated", "yes");
        });

        OperatorTestSupport.editNamespace(client, ns("r"), n -> {
            n.getMetadata().getLabels().put("suite", "gone");
            return n;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(policyNames(client, ns("r"))).isEmpty();
            assertThat(labels(client, ns("r"))).doesNotContainKey("isolated").containsEntry("suite", "gone");
            assertThat(annotations(client, ns("r"))).doesNotContainKey(OwnedKeys.ANNOTATION);
        });
        deleteProfile(client, "p-" + id);
    }

    @Test
    void presetsFollowTheSpec() {
        namespace(client, ns("t"), sel());
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setDefaultDeny(deny(true, true));
        apiServerEndpoints("10.96.0.1", 6443);
        node("node-" + id, "192.168.10.7");
        Allow allow = new Allow();
        allow.setFromNamespaces(List.of(new LabelSelectorBuilder().withMatchLabels(Map.of("ingress", "yes")).build()));
        allow.setNodes(true);
        allow.setKubeApiServer(true);
        p.getSpec().setAllow(allow);
        create(client, p);
        String prefix = "p-" + id + "-";
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(policyNames(client, ns("t"))).containsExactlyInAnyOrder(
                prefix + "default-deny", prefix + "allow-same-namespace", prefix + "allow-dns",
                prefix + "allow-from-namespaces", prefix + "allow-nodes", prefix + "allow-kube-apiserver"));

        // Egress no longer denied: the egress presets must go (they would cut all other egress).
        OperatorTestSupport.editProfile(client, "p-" + id, x -> {
            x.getSpec().setDefaultDeny(deny(true, false));
            x.getSpec().getAllow().setSameNamespace(false);
            x.getSpec().getAllow().setFromNamespaces(null);
            return x;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(policyNames(client, ns("t")))
                .containsExactlyInAnyOrder(prefix + "default-deny", prefix + "allow-nodes"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.network().v1().networkPolicies()
                .inNamespace(ns("t")).withName(prefix + "allow-nodes").get().getSpec().getIngress().get(0).getFrom())
                .extracting(peer -> peer.getIpBlock().getCidr()).contains("192.168.10.7/32"));
        NetworkPolicy denyAll = client.network().v1().networkPolicies().inNamespace(ns("t"))
                .withName(prefix + "default-deny").get();
        assertThat(denyAll.getSpec().getPolicyTypes()).containsExactly("Ingress");
        deleteProfile(client, "p-" + id);
    }

    @Test
    void kubeApiServerAndNodePresetsFollowTheCluster() {
        namespace(client, ns("facts"), sel());
        apiServerEndpoints("10.96.0.1", 6443);
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setDefaultDeny(deny(true, true));
        Allow allow = new Allow();
        allow.setKubeApiServer(true);
        allow.setNodes(true);
        p.getSpec().setAllow(allow);
        create(client, p);
        String apiPolicy = "p-" + id + "-allow-kube-apiserver";
        String nodePolicy = "p-" + id + "-allow-nodes";
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("facts")).contains(apiPolicy));

        apiServerEndpoints("10.96.0.2", 443);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            NetworkPolicy np = client.network().v1().networkPolicies().inNamespace(ns("facts")).withName(apiPolicy).get();
            assertThat(np.getSpec().getEgress()).singleElement().satisfies(rule -> {
                assertThat(rule.getTo()).extracting(peer -> peer.getIpBlock().getCidr()).containsExactly("10.96.0.2/32");
                assertThat(rule.getPorts()).extracting(port -> port.getPort().getIntVal()).containsExactly(443);
            });
        });

        node("n1-" + id, "fd00::17");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.network().v1().networkPolicies()
                .inNamespace(ns("facts")).withName(nodePolicy).get().getSpec().getIngress().get(0).getFrom())
                .extracting(peer -> peer.getIpBlock().getCidr()).contains("fd00::17/128"));
        client.nodes().withName("n1-" + id).delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.network().v1().networkPolicies()
                .inNamespace(ns("facts")).withName(nodePolicy).get().getSpec().getIngress())
                .allSatisfy(rule -> assertThat(rule.getFrom()).extracting(peer -> peer.getIpBlock().getCidr())
                        .doesNotContain("fd00::17/128")));
        deleteProfile(client, "p-" + id);
    }

    /** The API server's own EndpointSlice, as kube-apiserver maintains it. */
    private void apiServerEndpoints(String ip, int port) {
        client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "kubernetes").endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewPort().withName("https").withPort(port).withProtocol("TCP").endPort()
                .build()).createOr(NonDeletingOperation::update);
    }

    private void node(String name, String internalIp) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress().endStatus()
                .build()).createOr(NonDeletingOperation::update);
    }

    @Test
    void removingAKeyFromTheProfileRemovesOnlyThatKey() {
        namespace(client, ns("k"), Map.of("suite", id, "users-own", "keep"));
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setNamespaceLabels(Map.of("a", "1", "b", "2"));
        create(client, p);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(labels(client, ns("k"))).containsEntry("a", "1").containsEntry("b", "2"));

        OperatorTestSupport.editProfile(client, "p-" + id, x -> {
            x.getSpec().setNamespaceLabels(Map.of("a", "1"));
            return x;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(labels(client, ns("k")))
                .containsEntry("a", "1").doesNotContainKey("b").containsEntry("users-own", "keep").containsEntry("suite", id));
        deleteProfile(client, "p-" + id);
        assertThat(labels(client, ns("k"))).doesNotContainKey("a").containsEntry("users-own", "keep");
    }

    @Test
    void handDeletedAndHandEditedPoliciesAreRestored() {
        namespace(client, ns("d"), sel());
        create(client, profile("p-" + id, sel()));
        String name = "p-" + id + "-default-deny";
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("d")).contains(name));

        client.network().v1().networkPolicies().inNamespace(ns("d")).withName(name).delete();
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("d")).contains(name));

        OperatorTestSupport.retryOnConflict(() -> client.network().v1().networkPolicies().inNamespace(ns("d"))
                .withName(name).edit(np -> {
                    np.getSpec().setPolicyTypes(List.of("Egress"));
                    np.getMetadata().getLabels().put("added-by-user", "x");
                    return np;
                }));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            NetworkPolicy np = client.network().v1().networkPolicies().inNamespace(ns("d")).withName(name).get();
            assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(np.getMetadata().getLabels()).containsEntry("added-by-user", "x");
        });
        deleteProfile(client, "p-" + id);
    }

    @Test
    void dryRunWritesNothingAndReportsWhatItWould() {
        namespace(client, ns("dry"), sel());
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setMode(Mode.DryRun);
        p.getSpec().setNamespaceLabels(Map.of("would", "be"));
        create(client, p);
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> assertThat(condition(client, "p-" + id, "Ready"))
                .extracting("status", "reason").containsExactly("True", "DryRun"));
        IsolationProfile current = get(client, "p-" + id);
        assertThat(current.getStatus().getDryRun().getNetworkPolicies()).containsExactlyInAnyOrder(
                ns("dry") + "/p-" + id + "-default-deny", ns("dry") + "/p-" + id + "-allow-same-namespace");
        assertThat(policyNames(client, ns("dry"))).isEmpty();
        assertThat(labels(client, ns("dry"))).doesNotContainKey("would");

        // Switching to Enforce writes, and the dryRun report disappears from status.
        OperatorTestSupport.editProfile(client, "p-" + id, x -> {
            x.getSpec().setMode(Mode.Enforce);
            return x;
        });
        await().atMost(TIMEOUT).until(() -> conditionIs(client, "p-" + id, "Ready", "True", null));
        assertThat(get(client, "p-" + id).getStatus().getDryRun()).isNull();
        assertThat(policyNames(client, ns("dry"))).hasSize(2);
        deleteProfile(client, "p-" + id);
    }

    @Test
    void deletingAProfileRemovesEverythingItWrote() {
        namespace(client, ns("del"), Map.of("suite", id, "mine", "stays"));
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setNamespaceLabels(Map.of("set-by", "profile"));
        p.getSpec().setNamespaceAnnotations(Map.of("note", "x"));
        create(client, p);
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("del")).size() == 2);

        deleteProfile(client, "p-" + id);
        assertThat(managedPolicies(client, ns("del"))).isEmpty();
        assertThat(labels(client, ns("del"))).doesNotContainKey("set-by").containsEntry("mine", "stays");
        assertThat(annotations(client, ns("del"))).doesNotContainKeys("note", OwnedKeys.ANNOTATION);
    }

    @Test
    void conflictingProfilesHaveADeterministicWinner() throws InterruptedException {
        namespace(client, ns("c"), sel());
        IsolationProfile older = profile("older-" + id, sel());
        older.getSpec().setNamespaceLabels(Map.of("tier", "gold"));
        create(client, older);
        await().atMost(TIMEOUT).until(() -> "gold".equals(labels(client, ns("c")).get("tier")));
        Thread.sleep(1100); // creationTimestamp has second resolution
        IsolationProfile newer = profile("newer-" + id, sel());
        newer.getSpec().setNamespaceLabels(Map.of("tier", "silver"));
        create(client, newer);

        await().atMost(TIMEOUT).until(() -> conditionIs(client, "newer-" + id, "Ready", "False", "Conflict"));
        assertThat(condition(client, "newer-" + id, "Ready").getMessage()).contains(ns("c")).contains("tier");
        assertThat(conditionIs(client, "older-" + id, "Ready", "True", null)).isTrue();
        assertThat(labels(client, ns("c"))).containsEntry("tier", "gold");
        // Both keep their NetworkPolicies: only the label is contested.
        assertThat(policyNames(client, ns("c"))).hasSize(4);

        String before = get(client, "newer-" + id).getMetadata().getResourceVersion();
        // No flapping: the profile stays unwritten throughout a second, not just at its end.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> before.equals(get(client, "newer-" + id).getMetadata().getResourceVersion()));
        assertThat(labels(client, ns("c"))).containsEntry("tier", "gold");

        deleteProfile(client, "older-" + id);
        await().atMost(TIMEOUT).until(() -> "silver".equals(labels(client, ns("c")).get("tier")));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, "newer-" + id, "Ready", "True", null));
        deleteProfile(client, "newer-" + id);
    }

    @Test
    void protectedNamespacesAreSelectedOnlyByName() {
        namespace(client, "kube-public", sel());
        namespace(client, ns("open"), sel());
        create(client, profile("p-" + id, sel()));
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("open")).size() == 2);
        await().atMost(TIMEOUT).until(() -> conditionIs(client, "p-" + id, "Ready", "True", null));
        assertThat(policyNames(client, "kube-public")).isEmpty();

        OperatorTestSupport.editProfile(client, "p-" + id, x -> {
            x.getSpec().setNamespaces(List.of("kube-public"));
            return x;
        });
        await().atMost(TIMEOUT).until(() -> policyNames(client, "kube-public").size() == 2);
        deleteProfile(client, "p-" + id);
        assertThat(policyNames(client, "kube-public")).isEmpty();
        client.namespaces().withName("kube-public").delete();
    }

    @Test
    void invalidSpecIsReportedAndNothingIsRemoved() {
        namespace(client, ns("v"), sel());
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setNamespaceLabels(Map.of("keep", "me"));
        create(client, p);
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("v")).size() == 2);

        OperatorTestSupport.editProfile(client, "p-" + id, x -> {
            x.getSpec().setDefaultDeny(deny(true, true));
            x.getSpec().setNamespaceLabels(Map.of("keep", "me", "new", "label"));
            x.getSpec().setPolicies(List.of(new PolicyTemplate("bad", new NetworkPolicySpecBuilder()
                    .withNewPodSelector().endPodSelector()
                    .addNewIngress().addNewPort().withPort(new IntOrString(70000)).endPort().endIngress()
                    .build())));
            return x;
        });
        await().atMost(TIMEOUT).until(() -> conditionIs(client, "p-" + id, "Ready", "False", "InvalidSpec"));
        assertThat(condition(client, "p-" + id, "Ready").getMessage()).contains("spec.policies[0].spec.ingress[0].ports[0].port");
        assertThat(policyNames(client, ns("v"))).containsExactlyInAnyOrder("p-" + id + "-default-deny",
                "p-" + id + "-allow-same-namespace");
        assertThat(labels(client, ns("v"))).containsEntry("keep", "me").doesNotContainKey("new");
        assertThat(client.network().v1().networkPolicies().inNamespace(ns("v")).withName("p-" + id + "-default-deny")
                .get().getSpec().getPolicyTypes()).containsExactly("Ingress");
        deleteProfile(client, "p-" + id);
        assertThat(policyNames(client, ns("v"))).isEmpty();
    }

    @Test
    void aPolicyNameTakenByTheUserIsNotOverwritten() {
        namespace(client, ns("u"), sel());
        NetworkPolicy users = new NetworkPolicyBuilder().withNewMetadata().withName("p-" + id + "-default-deny")
                .withNamespace(ns("u")).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Egress").endSpec().build();
        client.network().v1().networkPolicies().inNamespace(ns("u")).resource(users).create();
        create(client, profile("p-" + id, sel()));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, "p-" + id, "Ready", "False", "Conflict"));
        assertThat(condition(client, "p-" + id, "Ready").getMessage()).contains("not managed by isolation-operator");
        NetworkPolicy still = client.network().v1().networkPolicies().inNamespace(ns("u"))
                .withName("p-" + id + "-default-deny").get();
        assertThat(still.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(still.getMetadata().getLabels()).isNullOrEmpty();
        deleteProfile(client, "p-" + id);
        assertThat(policyNames(client, ns("u"))).containsExactly("p-" + id + "-default-deny");
    }

    @Test
    void labelsSetByOneProfileCanSelectForAnother() {
        namespace(client, ns("chain"), sel());
        IsolationProfile tagger = profile("tagger-" + id, sel());
        tagger.getSpec().setNamespaceLabels(Map.of("chain-" + id, "on"));
        create(client, tagger);
        IsolationProfile follower = profile("follower-" + id, Map.of("chain-" + id, "on"));
        create(client, follower);
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("chain")).contains("follower-" + id + "-default-deny"));
        await().atMost(TIMEOUT).until(() -> conditionIs(client, "follower-" + id, "Ready", "True", null));
        deleteProfile(client, "tagger-" + id);
        await().atMost(TIMEOUT).until(() -> !policyNames(client, ns("chain")).contains("follower-" + id + "-default-deny"));
        deleteProfile(client, "follower-" + id);
    }

    @Test
    void profilesSelectingOnEachOthersLabelsInACycleSettleWithoutFlapping() throws InterruptedException {
        namespace(client, ns("cyc"), sel());
        // "a" selects namespaces without x=1 and sets y=1; "b" selects y=1 and sets x=1: no fixed point.
        IsolationProfile a = profile("a-" + id, null);
        a.getSpec().setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(sel())
                .addNewMatchExpression().withKey("x-" + id).withOperator("DoesNotExist").endMatchExpression().build());
        a.getSpec().setNamespaceLabels(Map.of("y-" + id, "1"));
        create(client, a);
        IsolationProfile b = profile("b-" + id, Map.of("y-" + id, "1"));
        b.getSpec().setNamespaceLabels(Map.of("x-" + id, "1"));
        create(client, b);

        await().atMost(TIMEOUT).until(() -> conditionIs(client, "b-" + id, "Ready", "False", "Conflict"));
        assertThat(condition(client, "b-" + id, "Ready").getMessage()).contains("cycle").contains(ns("cyc"));
        String before = client.namespaces().withName(ns("cyc")).get().getMetadata().getResourceVersion();
        // The namespace is not rewritten over and over: unchanged throughout 1.5 s.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4))
                .until(() -> before.equals(client.namespaces().withName(ns("cyc")).get().getMetadata().getResourceVersion()));
        assertThat(labels(client, ns("cyc"))).containsEntry("y-" + id, "1").doesNotContainKey("x-" + id);
        deleteProfile(client, "a-" + id);
        deleteProfile(client, "b-" + id);
    }

    @Test
    void aFailedWriteIsReportedRetriedAndNeverDeletesAnything() {
        namespace(client, ns("fail"), sel());
        String path = "/apis/networking.k8s.io/v1/namespaces/" + ns("fail") + "/networkpolicies";
        // The API server fails the first six creates in this namespace (three reconciles' worth).
        server.expect().post().withPath(path).andReturn(500, "etcd is having a bad day").times(6);
        create(client, profile("p-" + id, sel()));

        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition(client, "p-" + id, "Ready").getReason()).isEqualTo("ApplyFailed");
            assertThat(condition(client, "p-" + id, "Ready").getMessage()).contains(ns("fail")).contains("HTTP 500");
            assertThat(get(client, "p-" + id).getStatus().getFailedNamespaces())
                    .extracting(f -> f.getName()).containsExactly(ns("fail"));
        });
        await().atMost(TIMEOUT).until(() -> conditionIs(client, "p-" + id, "Ready", "True", "Reconciled"));
        assertThat(policyNames(client, ns("fail"))).hasSize(2);
        assertThat(get(client, "p-" + id).getStatus().getFailedNamespaces()).isEmpty();
        deleteProfile(client, "p-" + id);
    }

    @Test
    void restartWithNothingChangedSendsNoWrites() {
        for (int i = 0; i < 5; i++) {
            namespace(client, ns("rs" + i), sel());
        }
        IsolationProfile p = profile("p-" + id, sel());
        p.getSpec().setNamespaceLabels(Map.of("restart", "test"));
        create(client, p);
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition(client, "p-" + id, "Ready")).extracting("status", "message")
                    .containsExactly("True", "5 namespaces selected, 10 NetworkPolicies in place");
        });

        launcher.stop();
        ApiTraffic.drain(server.getKubernetesMockServer());
        int before = ApiTraffic.all().size();
        OperatorTestSupport.boot(client, launcher);
        // Let every namespace and profile reconcile at least once after the restart.
        await().pollDelay(java.time.Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> true);
        List<ApiTraffic.Request> after = ApiTraffic.drain(server.getKubernetesMockServer());
        List<ApiTraffic.Request> writes = after.subList(before, after.size()).stream()
                .filter(ApiTraffic.Request::fromOperator).filter(ApiTraffic.Request::isWrite).toList();
        assertThat(writes).as("writes after a restart with nothing changed").isEmpty();
        assertThat(after.subList(before, after.size()).stream().filter(ApiTraffic.Request::fromOperator))
                .as("the operator did restart and list the cluster").isNotEmpty();
        deleteProfile(client, "p-" + id);
    }

    @Test
    void policiesTheOperatorDidNotCreateAreNeverTouched() {
        namespace(client, ns("f"), sel());
        IsolationProfile p = profile("p-" + id, sel());
        create(client, p);
        await().atMost(TIMEOUT).until(() -> policyNames(client, ns("f")).size() == 2);
        Map<String, String> userLabels = new HashMap<>(labels(client, ns("f")));
        // An unrelated NetworkPolicy without our label is never touched.
        client.network().v1().networkPolicies().inNamespace(ns("f")).resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("users-own").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().endSpec().build()).create();
        deleteProfile(client, "p-" + id);
        assertThat(policyNames(client, ns("f"))).isEqualTo(Set.of("users-own"));
        assertThat(labels(client, ns("f"))).isEqualTo(userLabels);
    }
}
