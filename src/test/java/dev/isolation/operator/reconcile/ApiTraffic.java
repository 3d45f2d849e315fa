package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every request the mock API servers received during this test JVM, kept for RbacCoverageTest.
 *
 * <p>Each @QuarkusTest class gets its own application, class loader and mock server, so a static
 * list would not survive from one class to the next; the log is a file named after this JVM's
 * process id instead. The mock hands each recorded request out once, so all tests read requests
 * through here.
 */
public final class ApiTraffic {

    /** User-Agent of the client the tests use for setup, so their requests are told apart. */
    public static final String TEST_USER_AGENT = "isolation-operator-tests";

    private static final Path LOG = Path.of("target", "api-traffic", ProcessHandle.current().pid() + ".tsv");

    public record Request(String method, String path, String userAgent) {
        public boolean isWrite() {
            return !method.equals("GET");
        }

        public boolean fromOperator() {
            return userAgent == null || !userAgent.startsWith(TEST_USER_AGENT);
        }
    }

    private ApiTraffic() {
    }

    /** Moves everything the server recorded so far into the log and returns the whole log. */
    public static synchronized List<Request> drain(KubernetesMockServer server) {
        StringBuilder lines = new StringBuilder();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                lines.append(r.getMethod()).append('\t').append(r.getPath()).append('\t')
                        .append(r.getHeader("User-Agent")).append('\n');
            }
            Files.createDirectories(LOG.getParent());
            Files.writeString(LOG, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all();
    }

    public static List<Request> all() {
        if (!Files.exists(LOG)) {
            return List.of();
        }
        try {
            List<Request> requests = new ArrayList<>();
            for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", 3);
                requests.add(new Request(f[0], f[1], f.length > 2 && !f[2].equals("null") ? f[2] : null));
            }
            return requests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
