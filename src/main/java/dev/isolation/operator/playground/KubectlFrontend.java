package dev.isolation.operator.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kubectl talks to. fabric8's mock serves watches only over WebSocket (as fabric8 clients
 * use them); kubectl watches with a streamed HTTP response ({@code kubectl wait}, {@code get -w}).
 * This front end passes every request through to the mock unchanged, except watches: it opens the
 * mock's WebSocket watch and streams its events to kubectl, one JSON object per line, as the API
 * server does. The operator itself talks to the mock directly.
 */
final class KubectlFrontend implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");
    private static final Pattern TIMEOUT = Pattern.compile("(?:^|&)timeoutSeconds=(\\d+)");
    private static final String END = "\u0000end";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI backend;
    private final Function<String, Optional<List<CustomResourceColumnDefinition>>> printerColumns;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "playground-kubectl-frontend");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer server;

    /** @param printerColumns a custom resource path's printer columns, for watches kubectl wants as Tables */
    KubectlFrontend(URI backend, Function<String, Optional<List<CustomResourceColumnDefinition>>> printerColumns) throws IOException {
        this.backend = backend;
        this.printerColumns = printerColumns;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            if ("GET".equals(exchange.getRequestMethod()) && query != null && query.matches("(?:^|.*&)watch=(?:true|1)(?:&.*|$)")) {
                watch(exchange, query);
            } else {
                forward(exchange);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(backend.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] out = response.body();
        exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
    }

    private void watch(HttpExchange exchange, String query) throws IOException, InterruptedException {
        if (query.contains("sendInitialEvents=true")) {
            // Streaming lists are not offered; client-go then lists and watches, as with older servers.
            byte[] status = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"BadRequest\",\"code\":400,"
                    + "\"message\":\"sendInitialEvents is not supported by the playground API\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(400, status.length);
            exchange.getResponseBody().write(status);
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        Optional<List<CustomResourceColumnDefinition>> columns = accept != null && accept.contains("as=Table")
                ? printerColumns.apply(exchange.getRequestURI().getRawPath()) : Optional.empty();
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        URI ws = URI.create("ws://" + backend.getAuthority() + exchange.getRequestURI().getRawPath() + "?" + query);
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder().buildAsync(ws, new Collector(events)).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the playground API refused the watch " + ws, e);
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.flush();
            Matcher timeout = TIMEOUT.matcher(query);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout.find() ? Long.parseLong(timeout.group(1)) : 1800);
            while (System.nanoTime() < deadline) {
                String event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null || event.equals(END)) {
                    break;
                }
                out.write((asTable(event, columns) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush(); // fails once kubectl has gone, which ends the watch
            }
        } finally {
            socket.abort();
        }
    }

    /** As the API server: with as=Table, each event's object is a one-row Table ({@code kubectl get -w}). */
    private static String asTable(String event, Optional<List<CustomResourceColumnDefinition>> columns) throws IOException {
        if (columns.isEmpty()) {
            return event.strip();
        }
        JsonNode parsed = MAPPER.readTree(event);
        JsonNode object = parsed.get("object");
        if (!(parsed instanceof ObjectNode node) || object == null || !object.has("metadata")
                || !List.of("ADDED", "MODIFIED", "DELETED").contains(parsed.path("type").asText())) {
            return event.strip();
        }
        node.set("object", PrinterColumnTable.of(columns.get(), List.of(object),
                object.path("metadata").path("resourceVersion").asText(null), Instant.now()));
        return node.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** Collects the mock's watch events (text frames, possibly split) into whole messages. */
    private static final class Collector implements WebSocket.Listener {
        private final LinkedBlockingQueue<String> events;
        private final StringBuilder partial = new StringBuilder();

        Collector(LinkedBlockingQueue<String> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                events.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(END);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(END);
        }
    }
}
