package dev.isolation.operator.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs {@link PlanningBenchmark} under Maven; excluded from the normal test run (see pom profile "benchmark"). */
@Tag("benchmark")
class PlanningBenchmarkTest {

    @Test
    void planningBenchmark() {
        PlanningBenchmark.main(new String[0]);
    }
}
