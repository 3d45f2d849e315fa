package dev.isolation.operator.render;

/** NetworkPolicy names of the contract: {@code <profile>-<suffix>}. */
public final class PolicyNames {

    private PolicyNames() {
    }

    public static String of(String profile, String suffix) {
        return profile + "-" + suffix;
    }
}
