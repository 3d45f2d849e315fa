package dev.isolation.operator.probe;

import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.api.VerificationResult;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Everything one run found: a result for every check it was asked to run. */
public record ProbeRunResult(String runId, Instant finishedAt, Map<ProbeCheck, CheckResult> checks) {

    public ProbeRunResult {
        checks = Collections.unmodifiableMap(checks.isEmpty() ? new EnumMap<>(ProbeCheck.class) : new EnumMap<>(checks));
    }

    /** Failed if a check failed, else Inconclusive if one was, else Passed. */
    public VerificationResult result() {
        return ProbeVerification.aggregate(checks.values().stream().map(CheckResult::result).toList());
    }
}
