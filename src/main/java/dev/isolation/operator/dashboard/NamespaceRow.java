package dev.isolation.operator.dashboard;

import java.util.Map;

/**
 * One namespace a profile selects, as its last reconcile left it.
 *
 * @param reason null unless the namespace failed for this profile (Conflict, ApplyFailed, ...)
 */
public record NamespaceRow(String name, boolean ready, String reason, String message, int desired, int applied,
                           Map<String, String> labels) {
}
