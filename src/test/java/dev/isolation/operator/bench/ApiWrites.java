package dev.isolation.operator.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests the mock API server received since the last {@link #reset()}, split into the
 * operator's (everything not sent with the harness's User-Agent) and the harness's own.
 */
final class ApiWrites {

    static final String HARNESS_USER_AGENT = "isolation-operator-benchmark-harness";
    private static final Pattern NAMESPACE = Pattern.compile("/namespaces/([^/?]+)");

    private final KubernetesMockServer server;
    /** "POST networkpolicies" → count, operator requests only. */
    private final Map<String, Long> writes = new TreeMap<>();
    private final Set<String> namespacesWritten = new TreeSet<>();
    private long operatorReads;
    private long harnessRequests;
    private long lastOperatorWrite = System.nanoTime();

    ApiWrites(KubernetesMockServer server) {
        this.server = server;
    }

    /** Moves what the server recorded into the counters; true if the operator wrote anything. */
    synchronized boolean drain() {
        boolean wrote = false;
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                String agent = r.getHeader("User-Agent");
                if (agent != null && agent.startsWith(HARNESS_USER_AGENT)) {
                    harnessRequests++;
                    continue;
                }
                if (r.getMethod().equals("GET")) {
                    operatorReads++;
                    continue;
                }
                wrote = true;
                writes.merge(r.getMethod() + " " + kind(r.getPath()), 1L, Long::sum);
                Matcher m = NAMESPACE.matcher(r.getPath());
                if (m.find()) {
                    namespacesWritten.add(m.group(1));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (wrote) {
            lastOperatorWrite = System.nanoTime();
        }
        return wrote;
    }

    synchronized void reset() {
        drain();
        writes.clear();
        namespacesWritten.clear();
        operatorReads = 0;
        harnessRequests = 0;
    }

    /** Waits until the operator has written nothing for {@code quietMillis}. */
    void awaitQuiet(long quietMillis, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        drain();
        long since;
        synchronized (this) {
            since = lastOperatorWrite;
        }
        while ((System.nanoTime() - since) / 1_000_000 < quietMillis) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the operator kept writing for " + timeoutMillis + " ms: " + writes);
            }
            // Time must pass: "quiet" means no operator write for quietMillis, measured by polling the
            // mock's request log; there is no condition to wait on, only its absence over time.
            Thread.sleep(100); // quiet is an absence over time: nothing to await
            drain();
            synchronized (this) {
                since = Math.max(since, lastOperatorWrite);
            }
        }
    }

    static String kind(String path) {
        String p = path.split("\\?", 2)[0];
        if (p.contains("/networkpolicies")) {
            return "networkpolicies";
        }
        if (p.contains("/isolationprofiles")) {
            return p.endsWith("/status") ? "isolationprofiles/status" : "isolationprofiles";
        }
        if (p.matches("/api/v1/namespaces/[^/]+")) {
            return "namespaces";
        }
        return p;
    }

    synchronized Map<String, Long> writes() {
        return new TreeMap<>(writes);
    }

    synchronized long write(String key) {
        return writes.getOrDefault(key, 0L);
    }

    synchronized long totalWrites() {
        return writes.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized Set<String> namespacesWritten() {
        return new TreeSet<>(namespacesWritten);
    }

    synchronized long operatorReads() {
        return operatorReads;
    }

    synchronized long harnessRequests() {
        return harnessRequests;
    }
}
