package dev.isolation.operator.render;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.PresetPolicy;
import dev.isolation.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Renders one IsolationProfile for one namespace. Pure and deterministic: equal inputs give
 * {@code equals} outputs (the reconciler diffs desired against live to avoid writes), and the
 * output shares no mutable object with the profile.
 */
public final class ProfileRenderer {

    public static final String NETWORK_POLICY_API_VERSION = "networking.k8s.io/v1";
    public static final String NETWORK_POLICY_KIND = "NetworkPolicy";

    private ProfileRenderer() {
    }

    /**
     * Renders a profile that passed {@link dev.isolation.operator.validation.ProfileValidator};
     * the reconcilers never render any other.
     *
     * @throws IllegalArgumentException if the profile has no name or uid (not a persisted object)
     */
    public static DesiredNamespaceState render(IsolationProfile profile, String namespace, ClusterFacts facts) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(facts, "facts");
        ObjectMeta meta = profile.getMetadata();
        if (meta == null || meta.getName() == null || meta.getUid() == null) {
            throw new IllegalArgumentException("profile must have metadata.name and metadata.uid");
        }
        String name = meta.getName();
        EffectiveSpec spec = EffectiveSpec.of(profile.getSpec());

        List<NetworkPolicy> policies = new ArrayList<>();
        Set<String> retained = new TreeSet<>();
        PolicySink sink = (suffix, npSpec) -> policies.add(networkPolicy(profile, namespace, suffix, npSpec));
        renderPresets(spec, facts, sink, suffix -> retained.add(PolicyNames.of(name, suffix)));
        for (PolicyTemplate template : spec.policies()) {
            // Verbatim: a deep copy, nothing normalised. Observed with fabric8 7.5.2: every list in
            // NetworkPolicySpec, its rules, peers, IPBlock and LabelSelector is initialised to an
            // empty ArrayList and annotated @JsonInclude(NON_EMPTY). So a list the user omitted
            // reads back as [], and an empty list the user wrote ("ingress: []", "from: []",
            // "except: []") is not serialised at all. That is the only difference on the wire, and
            // it changes no meaning: the server's own types are omitempty, so absent and empty are
            // indistinguishable there too (policyTypes defaulting also tests len()==0). Objects are
            // kept: a {} namespaceSelector/podSelector, a {} rule, string ports, a missing protocol,
            // podSelector or policyTypes all go out exactly as written (see ProfileRendererTest).
            sink.add(template.getName(), DeepCopy.of(template.getSpec(), NetworkPolicySpec.class));
        }
        return new DesiredNamespaceState(namespace, policies, retained);
    }

    /** The ownerReference every generated object carries; no blockOwnerDeletion (needs extra RBAC). */
    public static OwnerReference ownerReference(IsolationProfile profile) {
        OwnerReference ref = new OwnerReference();
        ref.setApiVersion(IsolationProfile.GROUP + "/" + IsolationProfile.VERSION);
        ref.setKind("IsolationProfile");
        ref.setName(profile.getMetadata().getName());
        ref.setUid(profile.getMetadata().getUid());
        ref.setController(true);
        return ref;
    }

    private static void renderPresets(EffectiveSpec spec, ClusterFacts facts, PolicySink sink,
                                      Consumer<String> retain) {
        boolean in = spec.denyIngress();
        boolean out = spec.denyEgress();
        if (in || out) {
            sink.add(PresetPolicy.DEFAULT_DENY.suffix(), Presets.defaultDeny(in, out));
        }
        if (spec.allowSameNamespace() && (in || out)) {
            sink.add(PresetPolicy.ALLOW_SAME_NAMESPACE.suffix(), Presets.sameNamespace(in, out));
        }
        // Egress presets only while egress is denied: an Egress-type policy isolates the pods it
        // selects, so rendering one alone would silently cut all their other egress.
        if (out && spec.allowDns()) {
            sink.add(PresetPolicy.ALLOW_DNS.suffix(), Presets.dns());
        }
        if (out && spec.allowKubeApiServer()) {
            facts.apiServerEndpoints().ifPresentOrElse(
                    endpoints -> sink.add(PresetPolicy.ALLOW_KUBE_APISERVER.suffix(), Presets.kubeApiServer(endpoints)),
                    () -> retain.accept(PresetPolicy.ALLOW_KUBE_APISERVER.suffix()));
        }
        if (in && spec.allowNodes()) {
            facts.nodeIps().ifPresentOrElse(
                    ips -> sink.add(PresetPolicy.ALLOW_NODES.suffix(), Presets.nodes(ips)),
                    () -> retain.accept(PresetPolicy.ALLOW_NODES.suffix()));
        }
        if (in && !spec.allowFromNamespaces().isEmpty()) {
            sink.add(PresetPolicy.ALLOW_FROM_NAMESPACES.suffix(), Presets.fromNamespaces(spec.allowFromNamespaces()));
        }
    }

    private static NetworkPolicy networkPolicy(IsolationProfile profile, String namespace, String suffix,
                                               NetworkPolicySpec spec) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(PolicyNames.of(profile.getMetadata().getName(), suffix));
        meta.setNamespace(namespace);
        // Exactly our two labels: copying the profile's labels would leak e.g. Argo CD's
        // app.kubernetes.io/instance, making Argo CD adopt (and prune) every generated policy.
        meta.setLabels(ManagedLabels.forProfile(profile.getMetadata().getName()));
        meta.setOwnerReferences(new ArrayList<>(List.of(ownerReference(profile))));
        NetworkPolicy np = new NetworkPolicy();
        np.setApiVersion(NETWORK_POLICY_API_VERSION);
        np.setKind(NETWORK_POLICY_KIND);
        np.setMetadata(meta);
        np.setSpec(spec);
        return np;
    }

    @FunctionalInterface
    private interface PolicySink {
        void add(String suffix, NetworkPolicySpec spec);
    }
}
