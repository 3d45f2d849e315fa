package dev.isolation.operator.api;

/** {@code status.verification.result} and {@code status.verification.checks[].result}. */
public enum VerificationResult {
    Passed, Failed, Inconclusive, NotRun
}
