package dev.isolation.operator.probe;

import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.api.VerificationResult;

import java.time.Instant;
import java.util.Optional;

/** Turns step outcomes into a check result. Pure. */
public final class CheckJudge {

    private CheckJudge() {
    }

    /**
     * The check's result once this step decided it: empty when the step went as expected and the
     * check continues with its next step.
     */
    public static Optional<CheckResult> judge(ProbeStep step, StepOutcome outcome, Instant at) {
        ProbeCheck check = step.check();
        if (outcome.kind() == StepOutcome.Kind.NO_RESULT) {
            return Optional.of(CheckResult.inconclusive(check, step.name() + ": no result for " + outcome.target()
                    + ": " + outcome.detail(), at));
        }
        boolean connected = outcome.kind() == StepOutcome.Kind.CONNECTED;
        if (connected == step.expectConnected()) {
            return Optional.empty();
        }
        if (step.precondition()) {
            return Optional.of(CheckResult.inconclusive(check, "a " + step.protocol() + " connection without any policy to "
                    + outcome.target() + " failed, so the cluster cannot show whether policies apply to "
                    + step.protocol(), at));
        }
        String message = connected
                ? "connected to " + outcome.target() + " although " + step.why()
                : "blocked from " + outcome.target() + " although " + step.why()
                  + (outcome.detail() == null || outcome.detail().isBlank() ? "" : " (" + outcome.detail() + ")");
        return Optional.of(new CheckResult(check, VerificationResult.Failed, message, at));
    }
}
