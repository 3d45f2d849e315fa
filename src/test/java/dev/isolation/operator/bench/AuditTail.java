package dev.isolation.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The writes one user sent to the real API server, read incrementally from its audit log (JSON,
 * Metadata level, written synchronously before the response): what the server itself saw, with no
 * instrumentation of the operator.
 */
final class AuditTail {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

    /**
     * One write: "patch namespaces", "update isolationprofiles/status", ...; {@code received} is when
     * the server received it, {@code at} when it answered (the stage timestamp); {@code userAgent}
     * tells apart several processes authenticated as the same user.
     */
    record Write(String verb, String resource, String namespace, String name, int code, Instant received, Instant at,
                 String userAgent) {
        String key() {
            return verb + " " + resource;
        }

        /** namespace/name, or the name of a cluster-scoped object. */
        String object() {
            return namespace.isEmpty() ? name : namespace + "/" + name;
        }
    }

    private final Path log;
    private final String user;
    private long offset;
    private final List<Write> writes = new ArrayList<>();
    private long reads;
    private long lastWriteNanos = System.nanoTime();
    private Predicate<Write> ignored = w -> false;

    AuditTail(Path log, String user) {
        this.log = log;
        this.user = user;
    }

    /**
     * From now on, writes matching {@code filter} are neither recorded nor break a quiet window (a
     * leader renews its Lease every few seconds: with leases counted, a cluster is never quiet).
     */
    synchronized AuditTail ignoring(Predicate<Write> filter) {
        ignored = filter;
        return this;
    }

    /** Reads what the server logged since the last call; true if the user wrote anything. */
    synchronized boolean poll() {
        if (!Files.exists(log)) {
            return false;
        }
        boolean wrote = false;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return false;
            }
            byte[] bytes = new byte[(int) (length - offset)];
            file.seek(offset);
            file.readFully(bytes);
            int end = lastNewline(bytes);
            if (end < 0) {
                return false;
            }
            offset += end + 1;
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || !line.contains(user)) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                if (!user.equals(event.path("user").path("username").asText())) {
                    continue;
                }
                String verb = event.path("verb").asText();
                if (!WRITE_VERBS.contains(verb)) {
                    reads++;
                    continue;
                }
                JsonNode ref = event.path("objectRef");
                String resource = ref.path("resource").asText()
                        + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
                Write write = new Write(verb, resource, ref.path("namespace").asText(""), ref.path("name").asText(""),
                        event.path("responseStatus").path("code").asInt(),
                        Instant.parse(event.path("requestReceivedTimestamp").asText()),
                        Instant.parse(event.path("stageTimestamp").asText()), event.path("userAgent").asText(""));
                if (!ignored.test(write)) {
                    writes.add(write);
                    wrote = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (wrote) {
            lastWriteNanos = System.nanoTime();
        }
        return wrote;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Forgets what was counted so far (the log is read up to now first). */
    synchronized void reset() {
        poll();
        writes.clear();
        reads = 0;
    }

    /**
     * Polls until the user has written nothing for {@code quietMillis}: "quiet" is the absence of
     * writes over time, so there is no event to wait for, only the log to look at again.
     */
    void awaitQuiet(long quietMillis, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        poll();
        while (true) {
            long since;
            synchronized (this) {
                since = lastWriteNanos;
            }
            if ((System.nanoTime() - since) / 1_000_000 >= quietMillis) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(user + " kept writing for " + timeoutMillis + " ms: " + counts());
            }
            Thread.sleep(200); // the polling interval of the log, not a stand-in for a condition
            poll();
        }
    }

    synchronized List<Write> writes() {
        return List.copyOf(writes);
    }

    synchronized List<Write> writes(Predicate<Write> filter) {
        return writes.stream().filter(filter).toList();
    }

    /** "verb resource" → count. */
    synchronized Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Write w : writes) {
            counts.merge(w.key(), 1L, Long::sum);
        }
        return counts;
    }

    synchronized long count(String verb, String resource) {
        return writes.stream().filter(w -> w.verb().equals(verb) && w.resource().equals(resource) && w.code() < 400).count();
    }

    /** When the server finished the last write counted (its audit stage timestamp). */
    synchronized Instant lastWriteAt() {
        return writes.stream().map(Write::at).max(Instant::compareTo)
                .orElseThrow(() -> new AssertionError(user + " wrote nothing"));
    }

    synchronized long total() {
        return writes.size();
    }

    synchronized long failed() {
        return writes.stream().filter(w -> w.code() >= 400).count();
    }

    synchronized long reads() {
        return reads;
    }
}
