package dev.isolation.operator.api;

/**
 * The condition types of {@code status.conditions}. Ready and Enforced are the product's own;
 * Reconciling and Stalled are the kstatus "abnormal-true" pair, present only while true.
 */
public enum ConditionType {
    Ready, Enforced, Reconciling, Stalled
}
