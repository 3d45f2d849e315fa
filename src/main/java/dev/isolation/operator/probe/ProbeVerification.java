package dev.isolation.operator.probe;

import dev.isolation.operator.api.CheckStatus;
import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.api.VerificationResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One profile's view of the probe: the latest result of exactly the checks it needs. Its result is
 * final only when every one of them has a result (never an early Passed).
 *
 * @param checkedAt when the newest of its check results was taken; null while NotRun
 */
public record ProbeVerification(VerificationResult result, String message, List<CheckStatus> checks, Instant checkedAt) {

    /**
     * @param latest the latest result of every check that has run since the CNI last changed
     */
    public static ProbeVerification of(Set<ProbeCheck> required, Map<ProbeCheck, CheckResult> latest) {
        Map<ProbeCheck, CheckResult> mine = new EnumMap<>(ProbeCheck.class);
        required.forEach(c -> {
            if (latest.containsKey(c)) {
                mine.put(c, latest.get(c));
            }
        });
        List<CheckStatus> checks = new ArrayList<>();
        for (ProbeCheck check : ProbeCheck.values()) {
            if (required.contains(check)) {
                CheckResult r = mine.get(check);
                checks.add(r == null ? new CheckStatus(check.checkName(), VerificationResult.NotRun.name(), null)
                        : new CheckStatus(check.checkName(), r.result().name(), r.message()));
            }
        }
        if (mine.size() < required.size()) {
            String missing = required.stream().filter(c -> !mine.containsKey(c)).sorted()
                    .map(ProbeCheck::checkName).collect(Collectors.joining(", "));
            return new ProbeVerification(VerificationResult.NotRun, "waiting for a probe run: " + missing + " not run yet",
                    checks, null);
        }
        VerificationResult result = aggregate(mine.values().stream().map(CheckResult::result).toList());
        Instant at = mine.values().stream().map(CheckResult::at).max(Instant::compareTo).orElse(null);
        return new ProbeVerification(result, message(result, mine), checks, at);
    }

    static VerificationResult aggregate(Collection<VerificationResult> results) {
        if (results.contains(VerificationResult.Failed)) {
            return VerificationResult.Failed;
        }
        if (results.contains(VerificationResult.Inconclusive) || results.contains(VerificationResult.NotRun)) {
            return VerificationResult.Inconclusive;
        }
        return VerificationResult.Passed;
    }

    /** Names every failed check (or, when none failed, every inconclusive one) with what it saw. */
    private static String message(VerificationResult result, Map<ProbeCheck, CheckResult> mine) {
        if (result == VerificationResult.Passed) {
            return "all " + mine.size() + " checks passed: " + mine.keySet().stream().map(ProbeCheck::checkName)
                    .collect(Collectors.joining(", "));
        }
        String word = result == VerificationResult.Failed ? "failed" : "inconclusive";
        return mine.values().stream().filter(r -> r.result() == result)
                .map(r -> r.check().checkName() + " " + word + ": " + r.message())
                .collect(Collectors.joining("; "));
    }
}
