package dev.isolation.operator.playground;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.HashMap;

/**
 * The playground's Kubernetes API: fabric8's in-memory mock server in CRUD mode, over plain HTTP
 * on a free loopback port, with the discovery and Table answers kubectl needs
 * ({@link PlaygroundDispatcher}). Only the {@code playground} command starts it; nothing is
 * persisted. It is as lenient as the mock: no validation, defaulting, admission, RBAC or garbage
 * collection.
 */
public final class EmbeddedApiServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubectlFrontend kubectl;

    private EmbeddedApiServer(KubernetesMockServer server, KubectlFrontend kubectl) {
        this.server = server;
        this.kubectl = kubectl;
    }

    public static EmbeddedApiServer start() {
        PlaygroundDispatcher dispatcher = new PlaygroundDispatcher();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.start(InetAddress.getLoopbackAddress(), 0);
        // The mock keeps every request for tests to inspect; a playground runs for hours: drop them.
        Thread drain = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    server.takeRequest();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "playground-api-request-drain");
        drain.setDaemon(true);
        drain.start();
        try {
            return new EmbeddedApiServer(server, new KubectlFrontend(URI.create("http://127.0.0.1:" + server.getPort()),
                    dispatcher::printerColumns));
        } catch (IOException e) {
            server.shutdown();
            throw new UncheckedIOException("cannot start the playground's API front end", e);
        }
    }

    /** For fabric8 clients (the operator): the mock itself, WebSocket watches. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** For kubectl: the same store, HTTP streaming watches. */
    String kubectlUrl() {
        return kubectl.url();
    }

    @Override
    public void close() {
        kubectl.close();
        server.shutdown();
    }
}
