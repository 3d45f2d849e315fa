package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every request the mock API server received, kept for the whole test run. The mock hands each
 * recorded request out once, so all tests read them through here: to count writes, and to check
 * every request against the operator's RBAC rules.
 */
public final class ApiTraffic {

    /** User-Agent of the client the tests use for setup, so their requests are told apart. */
    public static final String TEST_USER_AGENT = "isolation-operator-tests";

    public record Request(String method, String path, String userAgent) {
        public boolean isWrite() {
            return !method.equals("GET");
        }

        public boolean fromOperator() {
            return userAgent == null || !userAgent.startsWith(TEST_USER_AGENT);
        }
    }

    private static final List<Request> ALL = new CopyOnWriteArrayList<>();

    private ApiTraffic() {
    }

    /** Moves everything the server recorded so far into the log and returns the whole log. */
    public static synchronized List<Request> drain(KubernetesMockServer server) {
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                ALL.add(new Request(r.getMethod(), r.getPath(), r.getHeader("User-Agent")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ArrayList<>(ALL);
    }

    public static List<Request> all() {
        return new ArrayList<>(ALL);
    }
}
