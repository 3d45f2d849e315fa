package dev.isolation.operator.probe;

/**
 * What one client pod showed: it connected (exit 0), was blocked (non-zero exit), or gave no
 * answer (never terminated, was killed or evicted, could not start) with the reason.
 */
public record StepOutcome(Kind kind, String target, String detail) {

    public enum Kind { CONNECTED, BLOCKED, NO_RESULT }

    public static StepOutcome connected(String target) {
        return new StepOutcome(Kind.CONNECTED, target, null);
    }

    public static StepOutcome blocked(String target, String detail) {
        return new StepOutcome(Kind.BLOCKED, target, detail);
    }

    public static StepOutcome noResult(String target, String detail) {
        return new StepOutcome(Kind.NO_RESULT, target, detail);
    }
}
