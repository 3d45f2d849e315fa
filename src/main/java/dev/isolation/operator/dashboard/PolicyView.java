package dev.isolation.operator.dashboard;

/** A generated NetworkPolicy as it is in the cluster (its cached copy), rendered as YAML. */
public record PolicyView(String name, String yaml) {
}
