package dev.isolation.operator.playground;

/** The CNI install manifests the playground can seed (unchanged upstream files, see SOURCES.md). */
public enum CniFixture {
    /** Calico v3.32.1: enforces NetworkPolicies. */
    calico("enforces NetworkPolicies"),
    /** flannel v0.28.9: does not enforce NetworkPolicies. */
    flannel("does NOT enforce NetworkPolicies");

    private final String enforcement;

    CniFixture(String enforcement) {
        this.enforcement = enforcement;
    }

    String resource() {
        return "/playground/cni/" + name() + ".yaml";
    }

    String enforcement() {
        return enforcement;
    }
}
