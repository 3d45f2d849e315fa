package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.StatusLimits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTextTest {

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void itemsThatFitAreShownAndTheRestCounted() {
        String text = StatusText.join("2 of 3 failed: ", List.of("namespace a: HTTP 403", "namespace b: HTTP 403"), 3);
        assertThat(text).isEqualTo("2 of 3 failed: namespace a: HTTP 403; namespace b: HTTP 403; \u2026 (1 more)");
    }

    @Test
    void aFirstItemTooLongToFitIsCutNotLeftOut() {
        String huge = "namespace deny-1: admission webhook denied the request: " + "x".repeat(5_000);
        String text = StatusText.join("1 of 2 namespaces are not ready: ", List.of(huge, "namespace b: y"), 2);
        assertThat(bytes(text)).isLessThanOrEqualTo(StatusLimits.MAX_MESSAGE_BYTES);
        assertThat(text).startsWith("1 of 2 namespaces are not ready: namespace deny-1: admission webhook denied")
                .contains("more characters); \u2026 (1 more)");
    }
}
