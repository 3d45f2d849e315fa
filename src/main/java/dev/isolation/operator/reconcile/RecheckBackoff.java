package dev.isolation.operator.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-namespace exponential backoff for looking again at something no event will announce
 * (a user's unlabelled NetworkPolicy in the way): 1 s, 2 s, 4 s, ... up to a cap. Entries exist only
 * while a namespace is waiting, and go when it converges or is deleted.
 */
final class RecheckBackoff {

    private static final Duration FIRST = Duration.ofSeconds(1);

    private final Duration max;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    RecheckBackoff(Duration max) {
        this.max = max;
    }

    Duration next(String namespace) {
        int attempt = attempts.merge(namespace, 1, Integer::sum);
        Duration delay = FIRST.multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(max) > 0 ? max : delay;
    }

    void reset(String namespace) {
        attempts.remove(namespace);
    }
}
