package dev.isolation.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What the informer caches keep of each kind, for {@link SlimStore}. Each function keeps every
 * field some code path reads (or writes back) and drops the rest; all of them accept any object,
 * however malformed.
 *
 * <p>Objects the operator writes back whole (a NetworkPolicy update is a PUT of the cached copy
 * with the desired spec) lose only managedFields: an update without managedFields leaves the
 * server's record of field managers as it is, while dropping, say, an annotation there would
 * delete it in the cluster.
 */
public final class Slim {

    private Slim() {
    }

    /**
     * Drops metadata.managedFields, in place (the informer's freshly read object, used by nobody
     * else yet). Nothing in the operator reads them; on a real cluster they are the largest part
     * of a namespace or NetworkPolicy.
     */
    public static <T extends HasMetadata> T withoutManagedFields(T obj) {
        if (obj != null && obj.getMetadata() != null) {
            obj.getMetadata().setManagedFields(null);
        }
        return obj;
    }

    /**
     * {@link #withoutManagedFields} and then {@link Compactor}: repeated strings shared, empty
     * {@code additionalProperties} dropped. Same content, less memory; for the kinds held once
     * per namespace (namespaces and their NetworkPolicies).
     */
    public static <T extends HasMetadata> T compact(T obj) {
        Compactor.compact(withoutManagedFields(obj));
        return obj;
    }

    /**
     * A Node as the policy renderer reads it: identity and status.addresses. Everything else of a
     * Node (images, conditions, capacity, labels) is large and changes with every heartbeat.
     */
    public static Node addresses(Node node) {
        Node slim = new Node();
        slim.setMetadata(identity(node));
        if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
            NodeStatus status = new NodeStatus();
            status.setAddresses(node.getStatus().getAddresses());
            slim.setStatus(status);
        }
        return slim;
    }

    /** A Node as CNI detection reads it: identity, labels, annotations and the kubelet version. */
    public static Node detectionFacts(Node node) {
        Node slim = new Node();
        ObjectMeta meta = identity(node);
        if (node.getMetadata() != null) {
            meta.setLabels(node.getMetadata().getLabels());
            meta.setAnnotations(node.getMetadata().getAnnotations());
        }
        slim.setMetadata(meta);
        if (node.getStatus() != null && node.getStatus().getNodeInfo() != null) {
            NodeSystemInfo info = new NodeSystemInfo();
            info.setKubeletVersion(node.getStatus().getNodeInfo().getKubeletVersion());
            NodeStatus status = new NodeStatus();
            status.setNodeInfo(info);
            slim.setStatus(status);
        }
        return slim;
    }

    /** Identity only, for caches that answer "does it exist" (CRD names). */
    public static <T extends HasMetadata> UnaryOperator<T> identityOnly(Supplier<T> empty) {
        return obj -> {
            T slim = empty.get();
            slim.setMetadata(identity(obj));
            return slim;
        };
    }

    /**
     * Name, namespace, uid and resourceVersion: the informer uses the last two to tell updates
     * and re-creations apart. The deletion timestamp says an object is going.
     */
    private static ObjectMeta identity(HasMetadata obj) {
        ObjectMeta meta = new ObjectMeta();
        ObjectMeta from = obj.getMetadata();
        if (from != null) {
            meta.setName(from.getName());
            meta.setNamespace(from.getNamespace());
            meta.setUid(from.getUid());
            meta.setResourceVersion(from.getResourceVersion());
            meta.setDeletionTimestamp(from.getDeletionTimestamp());
        }
        return meta;
    }
}
