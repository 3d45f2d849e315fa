package dev.isolation.operator.cni.live;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.function.Supplier;

/**
 * Informer store that keeps only identity metadata. Detection needs nothing but CRD names, and
 * CRDs carry large OpenAPI schemas: a cluster with a few hundred CRDs would otherwise hold tens
 * of megabytes just to answer "does ippools.crd.projectcalico.org exist".
 */
final class NameOnlyStore<T extends HasMetadata> extends BasicItemStore<T> {

    private final Supplier<T> empty;

    NameOnlyStore(Supplier<T> empty) {
        super(Cache::metaNamespaceKeyFunc);
        this.empty = empty;
    }

    @Override
    public T put(String key, T obj) {
        ObjectMeta meta = obj.getMetadata();
        T slim = empty.get();
        // resourceVersion and uid stay: the informer uses them to tell updates and re-creations apart.
        slim.setMetadata(new ObjectMetaBuilder().withName(meta.getName()).withNamespace(meta.getNamespace())
                .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion()).build());
        return super.put(key, slim);
    }
}
