package dev.isolation.operator.cni;

import java.util.Locale;
import java.util.Optional;

/** Tri-state support level of a NetworkPolicy feature in a CNI. */
public enum Support {
    /** The CNI implements the feature. */
    YES,
    /** The CNI does not implement the feature (known fact). */
    NO,
    /** Not established: never assume either way. */
    UNKNOWN;

    /** Parses a catalog value ({@code true|false|unknown}, case-insensitive); empty when invalid. */
    static Optional<Support> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(YES);
            case "false" -> Optional.of(NO);
            case "unknown" -> Optional.of(UNKNOWN);
            default -> Optional.empty();
        };
    }
}
