package dev.isolation.operator.api;

/** Enforce writes; DryRun only computes and reports. */
public enum Mode {
    Enforce, DryRun
}
