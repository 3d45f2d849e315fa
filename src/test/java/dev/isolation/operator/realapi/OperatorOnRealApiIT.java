package dev.isolation.operator.realapi;

import dev.isolation.operator.api.Allow;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.Mode;
import dev.isolation.operator.api.PolicyTemplate;
import dev.isolation.operator.reconcile.OperatorTestSupport;
import dev.isolation.operator.render.OwnedKeys;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.isolation.operator.reconcile.OperatorTestSupport.annotations;
import static dev.isolation.operator.reconcile.OperatorTestSupport.condition;
import static dev.isolation.operator.reconcile.OperatorTestSupport.conditionIs;
import static dev.isolation.operator.reconcile.OperatorTestSupport.create;
import static dev.isolation.operator.reconcile.OperatorTestSupport.deny;
import static dev.isolation.operator.reconcile.OperatorTestSupport.get;
import static dev.isolation.operator.reconcile.OperatorTestSupport.labels;
import static dev.isolation.operator.reconcile.OperatorTestSupport.managedPolicies;
import static dev.isolation.operator.reconcile.OperatorTestSupport.namespace;
import static dev.isolation.operator.reconcile.OperatorTestSupport.policyNames;
import static dev.isolation.operator.reconcile.OperatorTestSupport.profile;
import static dev.isolation.operator.realapi.RealApiOperator.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The operator's core flows on a real kube-apiserver, running as the shipped ServiceAccount with
 * exactly the shipped ClusterRole and Role: no 403 may occur (the last test reads the server's
 * audit log), every object it writes passes real validation, and status, finalizers and
 * selectors behave as on a cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorOnRealApiIT {

    private static RealApiServer server;
    private static KubernetesClient admin;
    private static RealApiOperator operator;
    private static final ConcurrentNamespaceEdit concurrentEdit = new ConcurrentNamespaceEdit();

    private String id;

    @BeforeAll
    static void startOperator() {
        server = RealApiServer.get();
        admin = server.adminClient();
        ShippedInstall.apply(admin);
        concurrentEdit.useAdmin(admin);
        operator = RealApiOperator.start(ShippedInstall.operatorClient(server, admin, concurrentEdit), Optional.empty());
    }

    @AfterAll
    static void stopOperator() {
        if (operator != null) {
            operator.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @BeforeEach
    void newId() {
        id = UUID.randomUUID().toString().substring(0, 8);
    }

    private Map<String, String> sel() {
        return Map.of("suite", id);
    }

    private String ns(String prefix) {
        return prefix + "-" + id;
    }

    private void deleteProfile(String name) {
        admin.resources(IsolationProfile.class).withName(name).delete();
        await().atMost(TIMEOUT).until(() -> get(admin, name) == null);
    }

    @Test
    @Order(1)
    void createRelabelDriftAndDeleteWithTheFinalizer() {
        namespace(admin, ns("a"), Map.of("suite", id, "team", "blue"));
        namespace(admin, ns("b"), Map.of("suite", "later"));
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setNamespaceLabels(Map.of("project", "myproject"));
        p.getSpec().setNamespaceAnnotations(Map.of("owner", "team-a"));
        p.getSpec().setPolicies(List.of(new PolicyTemplate("db-ingress", new NetworkPolicySpecBuilder()
                .withNewPodSelector().addToMatchLabels("role", "db").endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress().addNewFrom().withNewIpBlock().withCidr("172.17.0.0/16").withExcept("172.17.1.0/24")
                .endIpBlock().endFrom().addNewPort().withProtocol("TCP").withPort(new IntOrString(6379)).endPort().endIngress()
                .addNewEgress().addNewTo().withNewIpBlock().withCidr("fd00::/64").endIpBlock().endTo()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(5978)).withEndPort(5990).endPort().endEgress()
                .build())));
        create(admin, p);
        String deny = name + "-default-deny";
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(policyNames(admin, ns("a"))).containsExactlyInAnyOrder(deny, name + "-allow-same-namespace",
                    name + "-db-ingress");
            assertThat(labels(admin, ns("a"))).containsEntry("project", "myproject").containsEntry("team", "blue");
            assertThat(annotations(admin, ns("a"))).containsEntry("owner", "team-a");
            assertThat(conditionIs(admin, name, "Ready", "True", "Reconciled")).isTrue();
        });
        IsolationProfile current = get(admin, name);
        assertThat(current.getMetadata().getFinalizers()).contains(IsolationProfile.FINALIZER);
        assertThat(current.getStatus().getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
        NetworkPolicy np = admin.network().v1().networkPolicies().inNamespace(ns("a")).withName(deny).get();
        assertThat(np.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getUid()).isEqualTo(current.getMetadata().getUid());
            assertThat(ref.getController()).isTrue();
        });

        // Relabel: b moves in, a moves out.
        OperatorTestSupport.editNamespace(admin, ns("b"), n -> {
            n.getMetadata().getLabels().put("suite", id);
            return n;
        });
        OperatorTestSupport.editNamespace(admin, ns("a"), n -> {
            n.getMetadata().getLabels().put("suite", "gone");
            return n;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(policyNames(admin, ns("b"))).hasSize(3);
            assertThat(labels(admin, ns("b"))).containsEntry("project", "myproject");
            assertThat(managedPolicies(admin, ns("a"))).isEmpty();
            assertThat(labels(admin, ns("a"))).doesNotContainKey("project").containsEntry("team", "blue");
            assertThat(annotations(admin, ns("a"))).doesNotContainKeys("owner", OwnedKeys.ANNOTATION);
        });

        // Drift: a deleted policy comes back, a hand edit is undone (its extra label survives).
        String denyB = name + "-default-deny";
        admin.network().v1().networkPolicies().inNamespace(ns("b")).withName(denyB).delete();
        await().atMost(TIMEOUT).until(() -> policyNames(admin, ns("b")).contains(denyB));
        OperatorTestSupport.retryOnConflict(() -> admin.network().v1().networkPolicies().inNamespace(ns("b"))
                .withName(denyB).edit(x -> {
                    x.getSpec().setPolicyTypes(List.of("Egress"));
                    x.getMetadata().getLabels().put("added-by-user", "x");
                    return x;
                }));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            NetworkPolicy restored = admin.network().v1().networkPolicies().inNamespace(ns("b")).withName(denyB).get();
            assertThat(restored.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(restored.getMetadata().getLabels()).containsEntry("added-by-user", "x");
        });

        deleteProfile(name);
        assertThat(managedPolicies(admin, ns("b"))).isEmpty();
        assertThat(labels(admin, ns("b"))).doesNotContainKey("project");
    }

    @Test
    @Order(2)
    void dryRunWritesNothing() {
        namespace(admin, ns("dry"), sel());
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setMode(Mode.DryRun);
        p.getSpec().setNamespaceLabels(Map.of("would", "be"));
        create(admin, p);
        await().atMost(TIMEOUT).until(() -> condition(admin, name, "Ready") != null
                && "DryRun".equals(condition(admin, name, "Ready").getReason()));
        assertThat(get(admin, name).getStatus().getDryRun().getNetworkPolicies()).containsExactlyInAnyOrder(
                ns("dry") + "/" + name + "-default-deny", ns("dry") + "/" + name + "-allow-same-namespace");
        assertThat(policyNames(admin, ns("dry"))).isEmpty();
        assertThat(labels(admin, ns("dry"))).doesNotContainKey("would");
        deleteProfile(name);
    }

    @Test
    @Order(3)
    void conflictingProfilesKeepTheOlderOnesLabel() throws InterruptedException {
        namespace(admin, ns("c"), sel());
        IsolationProfile older = profile("older-" + id, sel());
        older.getSpec().setNamespaceLabels(Map.of("tier", "gold"));
        create(admin, older);
        await().atMost(TIMEOUT).until(() -> "gold".equals(labels(admin, ns("c")).get("tier")));
        Thread.sleep(1100); // creationTimestamp has second resolution; the older profile must be older
        IsolationProfile newer = profile("newer-" + id, sel());
        newer.getSpec().setNamespaceLabels(Map.of("tier", "silver"));
        create(admin, newer);
        await().atMost(TIMEOUT).until(() -> conditionIs(admin, "newer-" + id, "Ready", "False", "Conflict"));
        assertThat(labels(admin, ns("c"))).containsEntry("tier", "gold");
        deleteProfile("older-" + id);
        await().atMost(TIMEOUT).until(() -> "silver".equals(labels(admin, ns("c")).get("tier")));
        deleteProfile("newer-" + id);
    }

    /**
     * matchExpressions as the API server evaluates them: the namespaces the operator selects are
     * exactly those a server-side list with the same selector returns.
     */
    @Test
    @Order(4)
    void setBasedSelectorsSelectWhatTheServerSelects() {
        namespace(admin, ns("in1"), Map.of("suite", id, "env", "prod", "tier", "db"));
        namespace(admin, ns("in2"), Map.of("suite", id, "env", "staging", "tier", "db"));
        namespace(admin, ns("notin"), Map.of("suite", id, "env", "dev", "tier", "db"));
        namespace(admin, ns("noenv"), Map.of("suite", id, "tier", "db"));
        namespace(admin, ns("legacy"), Map.of("suite", id, "env", "prod", "tier", "db", "legacy", "true"));
        LabelSelector selector = new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("suite").withOperator("In").withValues(id).endMatchExpression()
                .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("dev").endMatchExpression()
                .addNewMatchExpression().withKey("tier").withOperator("Exists").endMatchExpression()
                .addNewMatchExpression().withKey("legacy").withOperator("DoesNotExist").endMatchExpression()
                .build();
        Set<String> serverSide = admin.namespaces().withLabelSelector(selector).list().getItems().stream()
                .map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        // NotIn also matches namespaces without the key, on the server as in Kubernetes' docs.
        assertThat(serverSide).containsExactlyInAnyOrder(ns("in1"), ns("in2"), ns("noenv"));

        String name = "p-" + id;
        IsolationProfile p = profile(name, null);
        p.getSpec().setNamespaceSelector(selector);
        create(admin, p);
        await().atMost(TIMEOUT).until(() -> conditionIs(admin, name, "Ready", "True", "Reconciled"));
        Set<String> selected = Set.of(ns("in1"), ns("in2"), ns("notin"), ns("noenv"), ns("legacy")).stream()
                .filter(n -> !policyNames(admin, n).isEmpty()).collect(Collectors.toSet());
        assertThat(selected).isEqualTo(serverSide);
        assertThat(get(admin, name).getStatus().getNamespaces().getSelected()).isEqualTo(serverSide.size());
        deleteProfile(name);
    }

    /** A real CNI DaemonSet with ready pods (status written through its subresource) is detected. */
    @Test
    @Order(5)
    void cniDetectionReadsWorkloadsAsTheServerStoresThem() {
        String name = "p-" + id;
        namespace(admin, ns("cni"), sel());
        create(admin, profile(name, sel()));
        await().atMost(TIMEOUT).until(() -> conditionIs(admin, name, "Enforced", "Unknown", "UnknownCNI"));

        DaemonSet ds = admin.apps().daemonSets().inNamespace("kube-system").resource(new DaemonSetBuilder()
                .withNewMetadata().withName("kube-flannel-ds").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "flannel").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "flannel").endMetadata()
                .withNewSpec().addNewContainer().withName("kube-flannel").withImage("ghcr.io/flannel-io/flannel:v0.25.1")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        ds.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(1).withCurrentNumberScheduled(1)
                .withNumberReady(1).withNumberMisscheduled(0).build());
        admin.apps().daemonSets().inNamespace("kube-system").resource(ds).updateStatus();
        try {
            await().atMost(TIMEOUT).until(() -> conditionIs(admin, name, "Enforced", "False", "CNIDoesNotEnforce"));
            IsolationProfileStatus status = get(admin, name).getStatus();
            assertThat(status.getCni().getName()).isEqualTo("flannel");
            assertThat(status.getCni().getVersion()).isEqualTo("v0.25.1");
        } finally {
            admin.apps().daemonSets().inNamespace("kube-system").withName("kube-flannel-ds").delete();
        }
        await().atMost(TIMEOUT).until(() -> conditionIs(admin, name, "Enforced", "Unknown", "UnknownCNI"));
        deleteProfile(name);
    }

    /**
     * Every preset, with IPv4 and IPv6 Node addresses and the API server's real EndpointSlice, is
     * written without a 422: Ready=True means every policy was accepted.
     */
    @Test
    @Order(6)
    void presetsWithIpv6NodeAddressesPassRealValidation() {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("n6-" + id).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("fd00:10:244::17").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("192.168.10.7").endAddress().endStatus().build()).create();
        namespace(admin, ns("pre"), sel());
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setDefaultDeny(deny(true, true));
        Allow allow = new Allow();
        allow.setKubeApiServer(true);
        allow.setNodes(true);
        allow.setFromNamespaces(List.of(new LabelSelectorBuilder().addNewMatchExpression().withKey("ingress")
                .withOperator("In").withValues("nginx", "traefik").endMatchExpression().build()));
        p.getSpec().setAllow(allow);
        create(admin, p);
        String prefix = name + "-";
        try {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(policyNames(admin, ns("pre"))).containsExactlyInAnyOrder(prefix + "default-deny",
                        prefix + "allow-same-namespace", prefix + "allow-dns", prefix + "allow-from-namespaces",
                        prefix + "allow-nodes", prefix + "allow-kube-apiserver");
                assertThat(conditionIs(admin, name, "Ready", "True", "Reconciled")).isTrue();
            });
            NetworkPolicy nodes = admin.network().v1().networkPolicies().inNamespace(ns("pre"))
                    .withName(prefix + "allow-nodes").get();
            assertThat(nodes.getSpec().getIngress().get(0).getFrom()).extracting(peer -> peer.getIpBlock().getCidr())
                    .contains("fd00:10:244::17/128", "192.168.10.7/32");
            NetworkPolicy api = admin.network().v1().networkPolicies().inNamespace(ns("pre"))
                    .withName(prefix + "allow-kube-apiserver").get();
            String apiServerIp = admin.discovery().v1().endpointSlices().inNamespace("default").withName("kubernetes")
                    .get().getEndpoints().get(0).getAddresses().get(0);
            assertThat(api.getSpec().getEgress().get(0).getTo()).extracting(peer -> peer.getIpBlock().getCidr())
                    .anySatisfy(cidr -> assertThat(cidr).startsWith(apiServerIp + "/"));
        } finally {
            admin.nodes().withName("n6-" + id).delete();
        }
        deleteProfile(name);
    }

    /**
     * The namespace patch pins metadata.resourceVersion: a change that lands between the
     * operator's read and its write gets a real 409, and the operator converges on fresh data
     * without losing the other writer's key.
     */
    @Test
    @Order(7)
    void aConcurrentNamespaceChangeGetsA409AndConverges() {
        namespace(admin, ns("race"), sel());
        concurrentEdit.arm(ns("race"));
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setNamespaceLabels(Map.of("project", "race"));
        create(admin, p);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(concurrentEdit.conflicts()).isGreaterThanOrEqualTo(1);
            assertThat(labels(admin, ns("race"))).containsEntry("project", "race")
                    .containsEntry(ConcurrentNamespaceEdit.KEY, "was-here");
            assertThat(conditionIs(admin, name, "Ready", "True", "Reconciled")).isTrue();
        });
        deleteProfile(name);
        assertThat(labels(admin, ns("race"))).doesNotContainKey("project").containsEntry(ConcurrentNamespaceEdit.KEY, "was-here");
    }

    /** Status is a subresource: writes to the main resource cannot change it, and vice versa. */
    @Test
    @Order(8)
    void statusIsASubresource() {
        namespace(admin, ns("st"), sel());
        String name = "p-" + id;
        create(admin, profile(name, sel()));
        await().atMost(TIMEOUT).until(() -> conditionIs(admin, name, "Ready", "True", "Reconciled"));
        IsolationProfile before = get(admin, name);
        IsolationProfile edited = OperatorTestSupport.editProfile(admin, name, x -> {
            x.getStatus().getNamespaces().setSelected(999);
            return x;
        });
        assertThat(edited.getStatus().getNamespaces().getSelected()).isEqualTo(1);
        assertThat(edited.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
        deleteProfile(name);
    }

    /**
     * Finalizer semantics with the operator down: a delete only sets deletionTimestamp, the
     * profile stays with its finalizer and its policies, and the next operator cleans up and
     * releases it.
     */
    @Test
    @Order(9)
    void deletionWaitsForTheFinalizerWhileTheOperatorIsDown() {
        namespace(admin, ns("fin"), Map.of("suite", id, "mine", "stays"));
        String name = "p-" + id;
        IsolationProfile p = profile(name, sel());
        p.getSpec().setNamespaceLabels(Map.of("set-by", "profile"));
        create(admin, p);
        await().atMost(TIMEOUT).until(() -> conditionIs(admin, name, "Ready", "True", "Reconciled"));

        operator.close();
        operator = null;
        admin.resources(IsolationProfile.class).withName(name).delete();
        IsolationProfile deleting = get(admin, name);
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(deleting.getMetadata().getFinalizers()).containsExactly(IsolationProfile.FINALIZER);
        assertThat(policyNames(admin, ns("fin"))).hasSize(2);
        // While deleting, the spec is frozen by the server itself (only finalizers may be removed).
        assertThatThrownBy(() -> admin.resources(IsolationProfile.class).withName(name).edit(x -> {
            x.getMetadata().setFinalizers(List.of(IsolationProfile.FINALIZER, "example.com/extra"));
            return x;
        })).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422));

        operator = RealApiOperator.start(ShippedInstall.operatorClient(server, admin, concurrentEdit), Optional.empty());
        await().atMost(TIMEOUT).until(() -> get(admin, name) == null);
        assertThat(managedPolicies(admin, ns("fin"))).isEmpty();
        assertThat(labels(admin, ns("fin"))).doesNotContainKey("set-by").containsEntry("mine", "stays");
    }

    /** Last: the operator made requests, and the server refused none of them. */
    @Test
    @Order(100)
    void noRequestOfTheOperatorWasForbidden() {
        List<RealApiServer.AuditedRequest> mine = server.audited().stream()
                .filter(r -> r.user().equals(ShippedInstall.USER)).toList();
        assertThat(mine).extracting(RealApiServer.AuditedRequest::verb)
                .contains("list", "watch", "create", "update", "patch", "delete");
        assertThat(server.forbidden(ShippedInstall.USER)).isEmpty();
    }
}
