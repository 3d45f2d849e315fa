package dev.isolation.operator.realapi;

import dev.isolation.operator.api.IsolationProfile;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Many namespaces for the scale-minded tests of the tier, created and discarded by an admin with
 * some parallelism. Discarding leaves nothing a later test's operator would act on: the
 * namespaces are deleted (without kube-controller-manager's namespace controller they stay
 * Terminating, which the operator leaves alone), their policies removed, and the profiles
 * deleted with their finalizer cleared (the operator that would have cleaned up is gone).
 */
final class Fleet {

    private static final int PARALLELISM = 8;

    private Fleet() {
    }

    static void createNamespaces(KubernetesClient admin, Collection<String> names, Function<String, Map<String, String>> labels) {
        parallel(names, name -> admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(labels.apply(name)).endMetadata().build()).create());
    }

    /** Call only once no operator that could act on them runs any more. */
    static void discard(KubernetesClient admin, Collection<String> namespaces, Collection<String> profiles) {
        parallel(namespaces, name -> {
            admin.namespaces().withName(name).delete();
            admin.network().v1().networkPolicies().inNamespace(name).delete();
        });
        parallel(profiles, name -> {
            if (admin.resources(IsolationProfile.class).withName(name).get() != null) {
                admin.resources(IsolationProfile.class).withName(name).edit(p -> {
                    p.getMetadata().setFinalizers(List.of());
                    return p;
                });
                admin.resources(IsolationProfile.class).withName(name).delete();
            }
        });
    }

    private static <T> void parallel(Collection<T> items, Consumer<T> action) {
        ForkJoinPool pool = new ForkJoinPool(PARALLELISM);
        try {
            pool.submit(() -> items.parallelStream().forEach(action)).join();
        } finally {
            pool.shutdown();
        }
    }
}
