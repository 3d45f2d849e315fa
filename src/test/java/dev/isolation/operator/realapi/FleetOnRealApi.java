package dev.isolation.operator.realapi;

import dev.isolation.operator.api.IsolationProfile;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.Function;

import static dev.isolation.operator.reconcile.OperatorTestSupport.create;

/**
 * Base of the scale-minded tests of the tier: many namespaces and profiles, created by an admin
 * with some parallelism and discarded after the class, so that nothing is left that a later test
 * class's operator would act on. Discarding runs once no operator of the class runs any more:
 * the namespaces are deleted (without kube-controller-manager's namespace controller they stay
 * Terminating, which the operator leaves alone), their policies removed, and the profiles deleted
 * with their finalizer cleared (the operator that would have cleaned up is gone).
 */
abstract class FleetOnRealApi {

    private static final int PARALLELISM = 8;
    private static final Set<String> NAMESPACES = ConcurrentHashMap.newKeySet();
    private static final Set<String> PROFILES = ConcurrentHashMap.newKeySet();

    static RealApiServer server;
    static KubernetesClient admin;

    @BeforeAll
    static void install() {
        server = RealApiServer.get();
        admin = server.adminClient();
        ShippedInstall.apply(admin);
    }

    @AfterAll
    static void discard() {
        if (admin == null) {
            return;
        }
        parallel(NAMESPACES, name -> {
            admin.namespaces().withName(name).delete();
            admin.network().v1().networkPolicies().inNamespace(name).delete();
        });
        parallel(PROFILES, name -> {
            admin.resources(IsolationProfile.class).withName(name).edit(p -> {
                p.getMetadata().setFinalizers(List.of());
                return p;
            });
            admin.resources(IsolationProfile.class).withName(name).delete();
        });
        NAMESPACES.clear();
        PROFILES.clear();
        admin.close();
        admin = null;
    }

    static void createNamespaces(Collection<String> names, Function<String, Map<String, String>> labels) {
        parallel(names, name -> {
            NAMESPACES.add(name);
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                    .withLabels(labels.apply(name)).endMetadata().build()).create();
        });
    }

    static IsolationProfile createProfile(IsolationProfile profile) {
        IsolationProfile created = create(admin, profile);
        PROFILES.add(profile.getMetadata().getName());
        return created;
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
