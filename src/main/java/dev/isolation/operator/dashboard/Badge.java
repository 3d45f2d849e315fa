package dev.isolation.operator.dashboard;

import io.fabric8.kubernetes.api.model.Condition;

/**
 * One condition as the dashboard shows it. {@code status} is the condition's status, or
 * {@code "None"} when the profile does not carry the condition (yet).
 */
public record Badge(String type, String status, String reason, String message) {

    static Badge of(String type, Condition condition) {
        if (condition == null) {
            return new Badge(type, "None", null, null);
        }
        return new Badge(type, condition.getStatus(), condition.getReason(), condition.getMessage());
    }

    /** CSS class of the badge: the page colours by it, never by text it did not write. */
    public String css() {
        return switch (status) {
            case "True" -> "true";
            case "False" -> "false";
            case "Unknown" -> "unknown";
            default -> "none";
        };
    }
}
