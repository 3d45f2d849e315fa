package dev.isolation.operator.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a live NetworkPolicy needs an update, and builds that update. Comparison is
 * semantic (see {@link CanonicalSpec}) so that server-side defaulting never looks like drift and
 * the operator never rewrites an object forever; it is one-sided on metadata so that labels,
 * annotations and ownerReferences others add are neither drift nor lost.
 */
public final class PolicyComparison {

    private PolicyComparison() {
    }

    /**
     * True when {@code live} has the desired spec (semantically), every desired label with the
     * desired value, and every desired controller ownerReference. Names are not compared: the
     * caller pairs objects by name.
     */
    public static boolean matches(NetworkPolicy desired, NetworkPolicy live) {
        Objects.requireNonNull(desired, "desired");
        if (live == null) {
            return false;
        }
        return specMatches(desired.getSpec(), live.getSpec())
                && labelsContained(labels(desired), labels(live))
                && ownerReferences(desired).stream().allMatch(ref -> hasOwnerReference(live, ref));
    }

    public static boolean specMatches(NetworkPolicySpec desired, NetworkPolicySpec live) {
        return CanonicalSpec.of(desired).equals(CanonicalSpec.of(live));
    }

    /**
     * The object to PUT: {@code live} (resourceVersion, foreign labels, annotations, finalizers and
     * ownerReferences intact) with the desired spec, desired labels and desired ownerReferences.
     * An existing reference with the same uid is replaced in place, so a stale one is corrected
     * rather than duplicated. Neither argument is modified.
     *
     * <p>If {@code live} is controlled by someone else ({@link #foreignController}), the result
     * would carry two controller references, which the API server rejects: check first and
     * report a conflict instead of calling this.
     */
    public static NetworkPolicy merge(NetworkPolicy desired, NetworkPolicy live) {
        Objects.requireNonNull(desired, "desired");
        if (live == null) {
            return DeepCopy.of(desired, NetworkPolicy.class);
        }
        NetworkPolicy out = DeepCopy.of(live, NetworkPolicy.class);
        if (out.getMetadata() == null) {
            out.setMetadata(new ObjectMeta());
        }
        ObjectMeta meta = out.getMetadata();
        if (meta.getName() == null) {
            meta.setName(desired.getMetadata().getName());
        }
        if (meta.getNamespace() == null) {
            meta.setNamespace(desired.getMetadata().getNamespace());
        }
        Map<String, String> labels = new LinkedHashMap<>(labels(out));
        labels.putAll(labels(desired));
        meta.setLabels(labels);

        List<OwnerReference> refs = new ArrayList<>(meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences());
        for (OwnerReference ours : ownerReferences(desired)) {
            OwnerReference copy = DeepCopy.of(ours, OwnerReference.class);
            // A reference to an earlier profile of the same name (deleted and re-created, so a
            // new uid) is ours too: keeping it would leave two controllers, which is invalid.
            refs.removeIf(ref -> ref != null && !Objects.equals(ref.getUid(), ours.getUid())
                    && Objects.equals(ref.getKind(), ours.getKind())
                    && Objects.equals(ref.getApiVersion(), ours.getApiVersion())
                    && Objects.equals(ref.getName(), ours.getName()));
            int at = indexOfUid(refs, ours.getUid());
            if (at >= 0) {
                refs.set(at, copy);
            } else {
                refs.add(copy);
            }
        }
        meta.setOwnerReferences(refs);
        out.setSpec(DeepCopy.of(desired.getSpec(), NetworkPolicySpec.class));
        if (out.getApiVersion() == null) {
            out.setApiVersion(desired.getApiVersion());
        }
        if (out.getKind() == null) {
            out.setKind(desired.getKind());
        }
        return out;
    }

    /** A controller ownerReference on {@code live} that does not point at {@code ownerUid}, if any. */
    public static Optional<OwnerReference> foreignController(HasMetadata live, String ownerUid) {
        if (live == null || live.getMetadata() == null || live.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return live.getMetadata().getOwnerReferences().stream()
                .filter(ref -> ref != null && Boolean.TRUE.equals(ref.getController()))
                .filter(ref -> !Objects.equals(ref.getUid(), ownerUid))
                .findFirst();
    }

    private static boolean labelsContained(Map<String, String> wanted, Map<String, String> actual) {
        return wanted.entrySet().stream().allMatch(e -> Objects.equals(actual.get(e.getKey()), e.getValue()));
    }

    /** Same owner (uid, kind, apiVersion, name) and still the controller; blockOwnerDeletion is not ours to judge. */
    private static boolean hasOwnerReference(NetworkPolicy live, OwnerReference wanted) {
        List<OwnerReference> refs = live.getMetadata() == null ? null : live.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(ref -> ref != null
                && Objects.equals(ref.getUid(), wanted.getUid())
                && Objects.equals(ref.getKind(), wanted.getKind())
                && Objects.equals(ref.getApiVersion(), wanted.getApiVersion())
                && Objects.equals(ref.getName(), wanted.getName())
                && Objects.equals(Boolean.TRUE.equals(ref.getController()), Boolean.TRUE.equals(wanted.getController())));
    }

    private static int indexOfUid(List<OwnerReference> refs, String uid) {
        for (int i = 0; i < refs.size(); i++) {
            if (refs.get(i) != null && Objects.equals(refs.get(i).getUid(), uid)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata() == null || o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    }

    private static List<OwnerReference> ownerReferences(HasMetadata o) {
        return o.getMetadata() == null || o.getMetadata().getOwnerReferences() == null
                ? List.of() : o.getMetadata().getOwnerReferences();
    }
}
