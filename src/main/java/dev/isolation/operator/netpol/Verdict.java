package dev.isolation.operator.netpol;

import java.util.List;

/**
 * Whether a connection is allowed, with one explanation line for each direction (egress of the
 * source, ingress of the destination).
 */
public record Verdict(boolean allowed, List<String> explanation) {

    public Verdict {
        explanation = List.copyOf(explanation);
    }

    @Override
    public String toString() {
        return (allowed ? "allowed: " : "denied: ") + String.join("; ", explanation);
    }
}
