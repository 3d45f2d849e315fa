package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;

/** What a DryRun profile would write, bounded so status stays small. */
public class DryRunStatus {

    @JsonPropertyDescription("'<namespace>/<name>' of NetworkPolicies that would be created or updated (bounded).")
    private List<String> networkPolicies = new ArrayList<>();

    public DryRunStatus() {
    }

    public DryRunStatus(List<String> networkPolicies) {
        this.networkPolicies = networkPolicies;
    }

    public List<String> getNetworkPolicies() { return networkPolicies; }
    public void setNetworkPolicies(List<String> networkPolicies) { this.networkPolicies = networkPolicies; }
}
