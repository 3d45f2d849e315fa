package dev.isolation.operator.realapi;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes a real race deterministic: on the operator's client, just before its first PATCH of an
 * armed namespace is sent, another writer (the admin) changes that namespace. The operator's
 * patch then carries a stale resourceVersion, and the server's answer is counted if it is 409.
 */
final class ConcurrentNamespaceEdit implements Interceptor {

    static final String KEY = "concurrent-writer";

    private final AtomicReference<String> armed = new AtomicReference<>();
    private final AtomicReference<String> lastRaced = new AtomicReference<>();
    private final AtomicInteger conflicts = new AtomicInteger();
    private volatile KubernetesClient admin;

    void useAdmin(KubernetesClient admin) {
        this.admin = admin;
    }

    void arm(String namespace) {
        armed.set(namespace);
    }

    int conflicts() {
        return conflicts.get();
    }

    private static boolean patchOf(HttpRequest request, String namespace) {
        return namespace != null && "PATCH".equals(request.method())
                && request.uri().getPath().equals("/api/v1/namespaces/" + namespace);
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String namespace = armed.get();
        if (patchOf(request, namespace) && armed.compareAndSet(namespace, null)) {
            admin.namespaces().withName(namespace).edit(n -> {
                n.getMetadata().getLabels().put(KEY, "was-here");
                return n;
            });
            lastRaced.set(namespace);
        }
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (patchOf(request, lastRaced.get()) && response.code() == 409) {
            conflicts.incrementAndGet();
        }
    }
}
