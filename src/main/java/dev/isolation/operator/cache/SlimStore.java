package dev.isolation.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.function.UnaryOperator;

/**
 * Informer item store that keeps only what the operator reads of each object (see {@link Slim}).
 * At 10,000 namespaces the fields nobody reads — managedFields above all, which repeat every
 * field of an object once per writer — were most of the operator's heap.
 *
 * <p>The informer indexes and notifies with the object it received; only the copy kept for later
 * reads is slimmed, so the event handlers' "previous" object is a slimmed one: update filters must
 * compare only kept fields. Objects come from tenants: a slimmer that throws must not break the
 * informer, so the object is then kept as it arrived.
 */
public final class SlimStore<T extends HasMetadata> extends BasicItemStore<T> {

    private final UnaryOperator<T> slimmer;

    public SlimStore(UnaryOperator<T> slimmer) {
        super(Cache::metaNamespaceKeyFunc);
        this.slimmer = slimmer;
    }

    @Override
    public T put(String key, T obj) {
        return super.put(key, slim(obj));
    }

    private T slim(T obj) {
        try {
            T slim = slimmer.apply(obj);
            return slim == null ? obj : slim;
        } catch (RuntimeException e) {
            return obj;
        }
    }
}
