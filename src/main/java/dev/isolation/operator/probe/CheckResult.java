package dev.isolation.operator.probe;

import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.api.VerificationResult;

import java.time.Instant;

/** The result of one check in one run. */
public record CheckResult(ProbeCheck check, VerificationResult result, String message, Instant at) {

    public static CheckResult passed(ProbeCheck check, Instant at) {
        return new CheckResult(check, VerificationResult.Passed, null, at);
    }

    public static CheckResult inconclusive(ProbeCheck check, String message, Instant at) {
        return new CheckResult(check, VerificationResult.Inconclusive, message, at);
    }
}
