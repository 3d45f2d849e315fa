package dev.isolation.operator.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator (no command) against an API server that is not there: exit 1 with one line saying
 * what was tried and why it failed, no stack trace, and the operator never started.
 */
@QuarkusMainTest
@TestProfile(NoClusterTest.ClosedPort.class)
class NoClusterTest {

    public static class ClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("isolation.start-on-boot", "true",
                    "quarkus.kubernetes-client.api-server-url", "https://127.0.0.1:" + closedPort());
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void exitsWithOneReadableLine(LaunchResult result) {
        assertThat(result.getErrorStream()).hasSize(1);
        assertThat(result.getErrorOutput())
                .startsWith("isolation-operator: cannot reach the Kubernetes API at https://127.0.0.1:")
                .contains("Connection refused")
                .contains("Set KUBECONFIG");
        assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
