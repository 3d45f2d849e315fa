package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** NetworkPolicies this profile wants across all selected namespaces, and how many are in place. */
public class PolicyCounts {

    @JsonPropertyDescription("NetworkPolicies desired across all selected namespaces.")
    private int desired;

    @JsonPropertyDescription("Desired NetworkPolicies that exist and match.")
    private int applied;

    public PolicyCounts() {
    }

    public PolicyCounts(int desired, int applied) {
        this.desired = desired;
        this.applied = applied;
    }

    public int getDesired() { return desired; }
    public void setDesired(int desired) { this.desired = desired; }
    public int getApplied() { return applied; }
    public void setApplied(int applied) { this.applied = applied; }
}
