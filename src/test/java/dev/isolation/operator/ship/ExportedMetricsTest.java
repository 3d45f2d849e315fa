package dev.isolation.operator.ship;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ExportedMetricsTest {

    @Test
    void registeredNamesAreMetersInTheCode() throws IOException {
        String code;
        try (Stream<java.nio.file.Path> files = Files.walk(ShipFiles.resolve("src/main/java"))) {
            code = files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        ExportedMetrics.REGISTERED.forEach((prometheus, meter) ->
                assertThat(code).as("meter %s (exported as %s)", meter, prometheus).contains("\"" + meter + "\""));
    }

    @Test
    void promqlMetricExtraction() {
        assertThat(ExportedMetrics.metricsIn("isolation_profile_ready == 0\nunless on (profile) isolation_profile_dry_run == 1"))
                .containsExactly("isolation_profile_ready", "isolation_profile_dry_run");
        assertThat(ExportedMetrics.metricsIn("sum by (ready) (rate(operator_sdk_reconciliations_failed_total{a=\"b\"}[5m])) > 0"))
                .containsExactly("operator_sdk_reconciliations_failed_total");
        assertThat(ExportedMetrics.metricsIn("absent(up{job=\"isolation-operator\"} == 1)")).containsExactly("up");
        assertThat(ExportedMetrics.known("isolation_profile_readyy")).isFalse();
    }
}
