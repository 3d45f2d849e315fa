package dev.isolation.operator.realapi;

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
import java.util.Set;

/**
 * The real API server's audit log read in detail (user agent, object, timestamps), from a
 * position on: tests that run an operator instance mark the log first and look only at what
 * happened after. The server writes it synchronously (blocking mode), so a request is in the log
 * once its response was sent.
 */
public final class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MUTATING = Set.of("create", "update", "patch", "delete", "deletecollection");

    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    /**
     * One request as the server answered it.
     *
     * @param received when the server received it
     * @param completed when the server answered it
     */
    public record Event(String user, String userAgent, String verb, String resource, String subresource,
                        String namespace, String name, int code, Instant received, Instant completed) {

        /**
         * A request that changes a stored object, whether or not it succeeded. Reviews (e.g. the
         * SelfSubjectRulesReview JOSDK sends before leader election) are "created" but never stored.
         */
        public boolean mutating() {
            return MUTATING.contains(verb) && !resource.endsWith("reviews");
        }

        public boolean succeeded() {
            return code >= 200 && code < 300;
        }

        /** resource/namespace/name: which object (a status write counts for its object). */
        public String object() {
            return resource + "/" + namespace + "/" + name;
        }
    }

    /** Where the log ends now; pass it to {@link #since} to see only what comes after. */
    public long mark() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every completed request logged after {@code mark} (a line still being written is left for later). */
    public List<Event> since(long mark) {
        List<Event> result = new ArrayList<>();
        if (!Files.exists(file)) {
            return result;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= mark) {
                return result;
            }
            byte[] bytes = new byte[Math.toIntExact(length - mark)];
            in.seek(mark);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            for (String line : text.substring(0, Math.max(end, 0)).split("\n")) {
                if (!line.isBlank()) {
                    parse(JSON.readTree(line), result);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void parse(JsonNode event, List<Event> into) {
        // Watches log ResponseStarted too; every request has exactly one ResponseComplete (or Panic).
        if (!"ResponseComplete".equals(event.path("stage").asText())) {
            return;
        }
        JsonNode ref = event.path("objectRef");
        into.add(new Event(event.path("user").path("username").asText(), event.path("userAgent").asText(),
                event.path("verb").asText(), ref.path("resource").asText(), ref.path("subresource").asText(),
                ref.path("namespace").asText(), ref.path("name").asText(),
                event.path("responseStatus").path("code").asInt(),
                Instant.parse(event.path("requestReceivedTimestamp").asText()),
                Instant.parse(event.path("stageTimestamp").asText())));
    }
}
