package dev.isolation.operator.faults;

import dev.isolation.operator.reconcile.ApiRequestVerb;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fault-injecting HTTP proxy between the operator's client and an API server (test
 * infrastructure). The operator's client talks plain HTTP to it on loopback; it forwards to the
 * upstream server (HTTP, or HTTPS trusting any certificate: it only ever points at a test server
 * on this machine), streams, watches over WebSocket or chunked HTTP included.
 *
 * <p>Faults, drawn from one seeded {@link Random}:
 * <ul>
 *   <li>{@link Faults#errorRate()} of all requests (watch handshakes included) are answered at
 *   once with 500, 503 or 429 (the last two with {@code Retry-After}), never reaching the server;</li>
 *   <li>{@link Faults#conflictRate()} of writes (POST/PUT/PATCH) get 409 with a proper Status
 *   body (AlreadyExists for a create, Conflict otherwise);</li>
 *   <li>every watch connection is dropped after a random time in the configured range;</li>
 *   <li>{@link #fail(String, Predicate, int)} rules answer every matching request with a fixed
 *   code until {@link #heal(String)}: a persistent fault.</li>
 * </ul>
 * Every request is logged with what it was (verb, resource, namespace, name) and what it got,
 * so writes can be counted and compared with a fault-free run.
 */
public final class FaultProxy implements AutoCloseable {

    /**
     * @param errorRate       share of requests answered 500/503/429
     * @param conflictRate    share of writes answered 409
     * @param retryAfterSecs  Retry-After of 429 and 503 answers
     * @param watchMinMillis  a watch connection lives at least this long...
     * @param watchMaxMillis  ...and at most this long (0: watches are never dropped)
     */
    public record Faults(double errorRate, double conflictRate, int retryAfterSecs, long watchMinMillis,
                         long watchMaxMillis) {
        public static final Faults NONE = new Faults(0, 0, 1, 0, 0);

        /** The goal's fault mix: 10% 500/503/429, 5% of writes 409, watches dropped every few seconds. */
        public static Faults goal() {
            return new Faults(0.10, 0.05, 1, 2_000, 10_000);
        }
    }

    /** One request as the proxy saw it. {@code injected}: answered by the proxy, never forwarded. */
    public record Exchange(long seq, String method, String uri, String verb, String resource, String namespace,
                           String name, int code, boolean injected) {
        public boolean isWrite() {
            return Set.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
        }

        /** "create networkpolicies" */
        public String key() {
            return verb + " " + resource;
        }
    }

    private record Rule(Predicate<Exchange> matches, int code) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "host", "proxy-connection", "te", "trailer", "content-length");

    private final Vertx vertx = Vertx.vertx();
    private final URI upstream;
    private final HttpClient http;
    private final WebSocketClient webSockets;
    private final HttpServer server;
    private final Random random;
    private volatile Faults faults;
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final List<Exchange> log = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong droppedWatches = new AtomicLong();

    public FaultProxy(URI upstream, long seed, Faults faults) {
        this.upstream = upstream;
        this.random = new Random(seed);
        this.faults = faults;
        boolean ssl = "https".equals(upstream.getScheme());
        this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(ssl).setTrustAll(true).setVerifyHost(false)
                        .setDefaultHost(upstream.getHost()).setDefaultPort(port(upstream)).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(256));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(ssl).setTrustAll(true)
                .setVerifyHost(false).setMaxFrameSize(64 << 20).setMaxMessageSize(64 << 20));
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setMaxWebSocketFrameSize(64 << 20).setMaxWebSocketMessageSize(64 << 20));
        server.webSocketHandler(this::webSocket).requestHandler(this::request);
        await(server.listen());
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** What the operator's client uses as its master URL. */
    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public void faults(Faults faults) {
        this.faults = faults;
    }

    /** From now on every request matching {@code matches} is answered {@code code} (a persistent fault). */
    public void fail(String name, Predicate<Exchange> matches, int code) {
        rules.put(name, new Rule(matches, code));
    }

    public void heal(String name) {
        rules.remove(name);
    }

    public List<Exchange> log() {
        return List.copyOf(log);
    }

    public void clearLog() {
        log.clear();
    }

    public long droppedWatches() {
        return droppedWatches.get();
    }

    /** Requests by "verb resource", all of them (forwarded or answered by the proxy). */
    public static Map<String, Long> count(List<Exchange> exchanges, Predicate<Exchange> which) {
        Map<String, Long> result = new TreeMap<>();
        exchanges.stream().filter(which).forEach(e -> result.merge(e.key(), 1L, Long::sum));
        return result;
    }

    // ------------------------------------------------------------------ decisions

    private Exchange describe(String method, String uri, int code, boolean injected) {
        Optional<ApiRequestVerb> verb = ApiRequestVerb.of(method, uri);
        return new Exchange(seq.incrementAndGet(), method, uri, verb.map(ApiRequestVerb::verb).orElse(method),
                verb.map(ApiRequestVerb::resource).orElse(uri.split("\\?", 2)[0]),
                verb.map(ApiRequestVerb::namespace).orElse(null), verb.isPresent() ? name(uri) : null, code, injected);
    }

    /** The object's name in /api/v1/[namespaces/ns/]kind/name[/sub] or /apis/group/version/..., or null. */
    private static String name(String uri) {
        List<String> parts = List.of(uri.split("\\?", 2)[0].replaceAll("^/+|/+$", "").split("/"));
        List<String> rest = parts.subList(parts.get(0).equals("api") ? 2 : 3, parts.size());
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            rest = rest.subList(2, rest.size());
        }
        return rest.size() > 1 ? rest.get(1) : null;
    }

    /** The code to answer instead of forwarding, or 0. */
    private int injected(Exchange request) {
        for (Rule rule : rules.values()) {
            if (rule.matches().test(request)) {
                return rule.code();
            }
        }
        Faults f = faults;
        boolean write = Set.of("create", "update", "patch").contains(request.verb());
        synchronized (random) {
            double error = random.nextDouble();
            double conflict = random.nextDouble();
            int which = random.nextInt(3);
            if (error < f.errorRate()) {
                return new int[] {500, 503, 429}[which];
            }
            if (write && conflict < f.conflictRate()) {
                return 409;
            }
        }
        return 0;
    }

    private long watchLifetime() {
        Faults f = faults;
        if (f.watchMaxMillis() <= 0) {
            return 0;
        }
        synchronized (random) {
            return f.watchMinMillis() + (long) (random.nextDouble() * Math.max(1, f.watchMaxMillis() - f.watchMinMillis()));
        }
    }

    /** A Status body like the API server's for the injected code. */
    private JsonObject status(Exchange request, int code) {
        String reason = switch (code) {
            case 409 -> request.verb().equals("create") ? "AlreadyExists" : "Conflict";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 422 -> "Invalid";
            default -> "InternalError";
        };
        String what = request.resource() + (request.name() == null ? "" : " \"" + request.name() + "\"");
        String message = switch (code) {
            case 409 -> request.verb().equals("create") ? what + " already exists"
                    : "Operation cannot be fulfilled on " + what
                    + ": the object has been modified; please apply your changes to the latest version and try again";
            case 429 -> "Too many requests, please try again later.";
            case 503 -> "the server is currently unable to handle the request";
            case 403 -> what + " is forbidden: injected by the fault proxy";
            default -> "Internal error occurred: injected by the fault proxy";
        };
        JsonObject details = new JsonObject().put("kind", request.resource());
        if (request.name() != null) {
            details.put("name", request.name());
        }
        if (code == 429 || code == 503) {
            details.put("retryAfterSeconds", faults.retryAfterSecs());
        }
        return new JsonObject().put("kind", "Status").put("apiVersion", "v1").put("metadata", new JsonObject())
                .put("status", "Failure").put("message", message).put("reason", reason).put("details", details)
                .put("code", code);
    }

    // ------------------------------------------------------------------ plain requests

    private void request(HttpServerRequest req) {
        Exchange probe = describe(req.method().name(), req.uri(), 0, false);
        int fault = injected(probe);
        if (fault != 0) {
            HttpServerResponse resp = req.response().setStatusCode(fault).putHeader("Content-Type", "application/json");
            if (fault == 429 || fault == 503) {
                resp.putHeader("Retry-After", Integer.toString(faults.retryAfterSecs()));
            }
            log.add(describe(req.method().name(), req.uri(), fault, true));
            resp.end(status(probe, fault).encode());
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(req.method()).setURI(req.uri())
                .setHost(upstream.getHost()).setPort(port(upstream)).setHeaders(MultiMap.caseInsensitiveMultiMap());
        copyHeaders(req.headers(), options.getHeaders());
        req.body().compose(body -> http.request(options).compose(up -> up.send(body)))
                .onSuccess(up -> {
                    HttpServerResponse resp = req.response().setStatusCode(up.statusCode());
                    copyHeaders(up.headers(), resp.headers());
                    String length = up.getHeader("Content-Length");
                    if (length != null) {
                        resp.putHeader("Content-Length", length);
                    } else {
                        resp.setChunked(true);
                    }
                    log.add(describe(req.method().name(), req.uri(), up.statusCode(), false));
                    long lifetime = "watch".equals(probe.verb()) ? watchLifetime() : 0;
                    if (lifetime > 0) {
                        vertx.setTimer(lifetime, id -> {
                            droppedWatches.incrementAndGet();
                            req.connection().close();
                        });
                    }
                    up.pipeTo(resp);
                })
                .onFailure(t -> {
                    log.add(describe(req.method().name(), req.uri(), 502, false));
                    if (!req.response().headWritten()) {
                        req.response().setStatusCode(502).end(String.valueOf(t.getMessage()));
                    } else {
                        req.connection().close();
                    }
                });
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                to.add(h.getKey(), h.getValue());
            }
        });
    }

    // ------------------------------------------------------------------ WebSocket watches

    private void webSocket(ServerWebSocket ws) {
        Exchange probe = describe("GET", ws.uri(), 0, false);
        Promise<Integer> handshake = Promise.promise();
        ws.setHandshake(handshake.future());
        int fault = injected(probe);
        if (fault != 0) {
            log.add(describe("GET", ws.uri(), fault, true));
            handshake.complete(fault);
            return;
        }
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(upstream.getHost())
                .setPort(port(upstream)).setSsl("https".equals(upstream.getScheme())).setURI(ws.uri());
        List<String> protocols = new ArrayList<>();
        ws.headers().forEach(h -> {
            String key = h.getKey().toLowerCase(Locale.ROOT);
            if (key.equals("sec-websocket-protocol")) {
                for (String p : h.getValue().split(",")) {
                    protocols.add(p.trim());
                }
            } else if (key.equals("authorization") || key.equals("user-agent") || key.equals("accept")) {
                options.addHeader(h.getKey(), h.getValue());
            }
        });
        if (!protocols.isEmpty()) {
            options.setSubProtocols(protocols);
        }
        webSockets.connect(options).onSuccess(up -> {
            log.add(describe("GET", ws.uri(), 101, false));
            handshake.complete(101);
            pipe(ws, up);
        }).onFailure(t -> {
            int code = t instanceof UpgradeRejectedException rejected ? rejected.getStatus() : 502;
            log.add(describe("GET", ws.uri(), code, false));
            handshake.complete(code);
        });
    }

    private void pipe(ServerWebSocket client, WebSocket up) {
        up.textMessageHandler(client::writeTextMessage);
        up.binaryMessageHandler(client::writeBinaryMessage);
        client.textMessageHandler(up::writeTextMessage);
        client.binaryMessageHandler(up::writeBinaryMessage);
        up.closeHandler(v -> client.close());
        client.closeHandler(v -> up.close());
        up.exceptionHandler(t -> client.close());
        client.exceptionHandler(t -> up.close());
        long lifetime = watchLifetime();
        if (lifetime > 0) {
            vertx.setTimer(lifetime, id -> {
                if (!client.isClosed()) {
                    droppedWatches.incrementAndGet();
                    client.close((short) 1011, "dropped by the fault proxy");
                    up.close();
                }
            });
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        await(server.close());
        await(vertx.close());
    }
}
