package dev.isolation.operator.cache;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class SlimStoreTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private static Namespace realisticNamespace() {
        return new NamespaceBuilder().withNewMetadata().withName("team-a").withUid("u-1").withResourceVersion("42")
                .withDeletionTimestamp("2026-01-01T00:00:00Z").withFinalizers("example.com/keep")
                .withLabels(Map.of("team", "a", "isolation.dev/managed-by", "isolation-operator"))
                .withAnnotations(Map.of(LAST_APPLIED, "{\"kind\":\"Namespace\"}", "isolation.dev/owned-keys", "{}"))
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply")
                        .withOperation("Update").withApiVersion("v1").withFieldsType("FieldsV1")
                        .withFieldsV1(new FieldsV1()).build())
                .endMetadata()
                .withNewSpec().withFinalizers("kubernetes").endSpec()
                .withNewStatus().withPhase("Terminating").endStatus()
                .build();
    }

    @Test
    void managedFieldsAreTheOnlyThingDroppedFromWrittenKinds() {
        Namespace ns = realisticNamespace();
        Namespace expected = JSON.clone(ns);
        expected.getMetadata().setManagedFields(null);

        SlimStore<Namespace> store = new SlimStore<>(Slim::withoutManagedFields);
        store.put(store.getKey(ns), ns);

        Namespace kept = store.get("team-a");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        // Labels, annotations (kubectl's last-applied too), finalizers, spec and status stay exactly as read.
        assertThat(JSON.asJson(kept)).isEqualTo(JSON.asJson(expected));
    }

    @Test
    void policiesKeepEverythingAnUpdateWritesBack() {
        NetworkPolicy np = new NetworkPolicyBuilder().withNewMetadata().withName("default-deny").withNamespace("team-a")
                .withResourceVersion("7").withLabels(Map.of("user", "label")).withAnnotations(Map.of(LAST_APPLIED, "{}"))
                .addNewOwnerReference().withUid("p-1").withName("p").withKind("IsolationProfile").withController(true)
                .endOwnerReference().withFinalizers("example.com/f")
                .addNewManagedField().withManager("isolation-operator").endManagedField()
                .endMetadata().withNewSpec().withPolicyTypes("Ingress").endSpec().build();
        SlimStore<NetworkPolicy> store = new SlimStore<>(Slim::withoutManagedFields);
        store.put(store.getKey(np), JSON.clone(np));

        NetworkPolicy kept = store.get("team-a/default-deny");
        np.getMetadata().setManagedFields(null);
        assertThat(JSON.asJson(kept)).isEqualTo(JSON.asJson(np));
    }

    @Test
    void nodesKeepOnlyAddressesForRendering() {
        Node node = new NodeBuilder().withNewMetadata().withName("n1").withUid("u").withResourceVersion("9")
                .withLabels(Map.of("kubernetes.io/hostname", "n1")).withAnnotations(Map.of("a", "b")).endMetadata()
                .withNewSpec().withPodCIDR("10.0.0.0/24").endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("10.1.2.3").endAddress()
                .addNewAddress().withType("Hostname").withAddress("n1").endAddress()
                .addNewImage().withNames("registry/big-image:1").withSizeBytes(1L << 30).endImage()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.35.4").endNodeInfo()
                .endStatus().build();

        Node slim = Slim.addresses(node);

        assertThat(slim.getMetadata().getName()).isEqualTo("n1");
        assertThat(slim.getMetadata().getUid()).isEqualTo("u");
        assertThat(slim.getMetadata().getResourceVersion()).isEqualTo("9");
        assertThat(slim.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(slim.getSpec()).isNull();
        assertThat(slim.getStatus().getAddresses()).isEqualTo(node.getStatus().getAddresses());
        assertThat(slim.getStatus().getImages()).isNullOrEmpty();
        assertThat(slim.getStatus().getConditions()).isNullOrEmpty();
        assertThat(slim.getStatus().getNodeInfo()).isNull();
    }

    @Test
    void nodesKeepWhatCniDetectionReads() {
        Node node = new NodeBuilder().withNewMetadata().withName("k3s-1").withResourceVersion("3")
                .withLabels(Map.of("node.kubernetes.io/instance-type", "k3s"))
                .withAnnotations(Map.of("k3s.io/node-args", "[\"server\"]")).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("10.1.2.3").endAddress()
                .addNewImage().withNames("registry/big-image:1").endImage()
                .withNewNodeInfo().withKubeletVersion("v1.35.4+k3s1").withOsImage("Ubuntu").endNodeInfo()
                .endStatus().build();

        Node slim = Slim.detectionFacts(node);

        assertThat(slim.getMetadata().getName()).isEqualTo("k3s-1");
        assertThat(slim.getMetadata().getLabels()).isEqualTo(node.getMetadata().getLabels());
        assertThat(slim.getMetadata().getAnnotations()).isEqualTo(node.getMetadata().getAnnotations());
        assertThat(slim.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.35.4+k3s1");
        assertThat(slim.getStatus().getNodeInfo().getOsImage()).isNull();
        assertThat(slim.getStatus().getAddresses()).isNullOrEmpty();
        assertThat(slim.getStatus().getImages()).isNullOrEmpty();
    }

    @Test
    void crdsKeepIdentityOnly() {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
                .withName("ippools.crd.projectcalico.org").withUid("u").withResourceVersion("5").endMetadata()
                .withNewSpec().withGroup("crd.projectcalico.org").endSpec().build();
        SlimStore<CustomResourceDefinition> store = new SlimStore<>(Slim.identityOnly(CustomResourceDefinition::new));
        store.put(store.getKey(crd), crd);

        CustomResourceDefinition kept = store.get("ippools.crd.projectcalico.org");
        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("5");
        assertThat(kept.getMetadata().getUid()).isEqualTo("u");
    }

    @Test
    void compactingKeepsContentAndSharesRepeatedStrings() {
        String json = "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":{"
                + "\"name\":\"p-web\",\"namespace\":\"team-a\",\"uid\":\"u-1\",\"resourceVersion\":\"17\","
                + "\"labels\":{\"isolation.dev/profile\":\"p\"},\"annotations\":{\"" + LAST_APPLIED + "\":\""
                + "x".repeat(Compactor.MAX_INTERNED + 1) + "\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"isolation.dev/v1alpha1\",\"kind\":\"IsolationProfile\","
                + "\"name\":\"p\",\"uid\":\"p-uid\",\"controller\":true}],\"managedFields\":[{\"manager\":\"m\","
                + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{}}}]},"
                + "\"spec\":{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}},\"policyTypes\":[\"Ingress\"],"
                + "\"ingress\":[{\"ports\":[{\"protocol\":\"TCP\",\"port\":\"http\"}],"
                + "\"from\":[{\"podSelector\":{},\"x-unknown\":{\"kept\":[1,2]}}]}]}}";
        NetworkPolicy a = JSON.unmarshal(json, NetworkPolicy.class);
        NetworkPolicy b = JSON.unmarshal(json, NetworkPolicy.class);
        NetworkPolicy expected = JSON.unmarshal(json, NetworkPolicy.class);
        expected.getMetadata().setManagedFields(null);

        Slim.compact(a);
        Slim.compact(b);

        assertThat(JSON.asJson(a)).isEqualTo(JSON.asJson(expected));
        assertThat(a.getSpec().getIngress().get(0).getFrom().get(0).getAdditionalProperties())
                .containsKey("x-unknown");
        assertThat(a.getSpec().getPodSelector().getAdditionalProperties()).isNull();
        // Repeated strings are one instance; uid and resourceVersion (never repeated) and long values are not interned.
        assertThat(a.getMetadata().getNamespace()).isSameAs(b.getMetadata().getNamespace());
        assertThat(a.getMetadata().getLabels().get("isolation.dev/profile"))
                .isSameAs(b.getMetadata().getLabels().get("isolation.dev/profile"));
        assertThat(a.getMetadata().getOwnerReferences().get(0).getUid())
                .isSameAs(b.getMetadata().getOwnerReferences().get(0).getUid());
        assertThat(a.getSpec().getPolicyTypes().get(0)).isSameAs(b.getSpec().getPolicyTypes().get(0));
        assertThat(a.getSpec().getIngress().get(0).getPorts().get(0).getPort().getStrVal())
                .isSameAs(b.getSpec().getIngress().get(0).getPorts().get(0).getPort().getStrVal());
        assertThat(a.getMetadata().getUid()).isNotSameAs(b.getMetadata().getUid());
        assertThat(a.getMetadata().getAnnotations().get(LAST_APPLIED))
                .isNotSameAs(b.getMetadata().getAnnotations().get(LAST_APPLIED));
    }

    @Test
    void compactedMapsStayMutableAndEqual() {
        Namespace ns = realisticNamespace();
        Map<String, String> labels = Map.copyOf(ns.getMetadata().getLabels());
        Slim.compact(ns);
        assertThat(ns.getMetadata().getLabels()).isEqualTo(labels);
        ns.getMetadata().getLabels().put("more", "x");
        assertThat(ns.getMetadata().getLabels()).containsEntry("more", "x");
    }

    /** Tenant-controlled or malformed objects: nothing throws, and nothing is lost. */
    @Test
    void oddObjectsNeverThrow() {
        Node bare = new Node();
        assertThatCode(() -> Slim.addresses(bare)).doesNotThrowAnyException();
        assertThatCode(() -> Slim.detectionFacts(bare)).doesNotThrowAnyException();
        assertThatCode(() -> Slim.withoutManagedFields(new Namespace())).doesNotThrowAnyException();
        assertThatCode(() -> Slim.compact(new Namespace())).doesNotThrowAnyException();
        Namespace nulls = new Namespace();
        nulls.setMetadata(null);
        assertThatCode(() -> Slim.compact(nulls)).doesNotThrowAnyException();
        Namespace odd = realisticNamespace();
        odd.getMetadata().setLabels(java.util.Collections.unmodifiableMap(new java.util.HashMap<>(Map.of("k", "v"))));
        odd.getMetadata().setFinalizers(List.of("immutable/list"));
        odd.getMetadata().setAdditionalProperty("unexpected", Map.of("nested", List.of(1, "two")));
        assertThatCode(() -> Slim.compact(odd)).doesNotThrowAnyException();
        assertThat(odd.getMetadata().getFinalizers()).containsExactly("immutable/list");
        assertThat(odd.getMetadata().getLabels()).containsExactly(Map.entry("k", "v"));
        assertThat(odd.getMetadata().getAdditionalProperties()).containsKey("unexpected");
        assertThatCode(() -> Slim.identityOnly(CustomResourceDefinition::new).apply(new CustomResourceDefinition()))
                .doesNotThrowAnyException();
        Node nullStatusParts = new NodeBuilder().withNewMetadata().withName("n").endMetadata()
                .withNewStatus().endStatus().build();
        assertThat(Slim.addresses(nullStatusParts).getStatus().getAddresses()).isEmpty();
        assertThat(Slim.detectionFacts(nullStatusParts).getStatus()).isNull();
    }

    @Test
    void aSlimmerThatFailsKeepsTheObjectAsItArrived() {
        UnaryOperator<Namespace> failing = ns -> {
            throw new IllegalStateException("unexpected shape");
        };
        SlimStore<Namespace> store = new SlimStore<>(failing);
        Namespace ns = realisticNamespace();
        String before = JSON.asJson(ns);

        store.put("team-a", ns);

        assertThat(JSON.asJson(store.get("team-a"))).isEqualTo(before);
        assertThat(store.size()).isEqualTo(1);
    }
}
