package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** Observed state, shaped exactly as in the contract; built only by {@code StatusBuilder}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IsolationProfileStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready: every selected namespace has its policies and metadata. "
            + "Enforced: the cluster's CNI honours what this profile asks for.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The CNI detected in the cluster.")
    private CniStatus cni;

    @JsonPropertyDescription("Features this profile uses that the detected CNI does not enforce: "
            + "Egress, IPBlockExcept, EndPort, SCTP, NamedPorts.")
    private List<String> unsupportedFeatures = new ArrayList<>();

    @JsonPropertyDescription("How and when enforcement was last verified.")
    private VerificationStatus verification;

    @JsonPropertyDescription("Counts of selected, ready and failed namespaces.")
    private NamespaceCounts namespaces;

    @JsonPropertyDescription("Up to 20 namespaces that are not in the desired state, with the reason.")
    private List<FailedNamespace> failedNamespaces = new ArrayList<>();

    @JsonPropertyDescription("Counts of desired and applied NetworkPolicies across all selected namespaces.")
    private PolicyCounts policies;

    @JsonPropertyDescription("Only in mode DryRun: what would be written.")
    private DryRunStatus dryRun;

    @JsonPropertyDescription("'<ready>/<selected>' namespaces, shown in the Namespaces printer column.")
    private String namespaceSummary;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public CniStatus getCni() { return cni; }
    public void setCni(CniStatus cni) { this.cni = cni; }
    public List<String> getUnsupportedFeatures() { return unsupportedFeatures; }
    public void setUnsupportedFeatures(List<String> unsupportedFeatures) { this.unsupportedFeatures = unsupportedFeatures; }
    public VerificationStatus getVerification() { return verification; }
    public void setVerification(VerificationStatus verification) { this.verification = verification; }
    public NamespaceCounts getNamespaces() { return namespaces; }
    public void setNamespaces(NamespaceCounts namespaces) { this.namespaces = namespaces; }
    public List<FailedNamespace> getFailedNamespaces() { return failedNamespaces; }
    public void setFailedNamespaces(List<FailedNamespace> failedNamespaces) { this.failedNamespaces = failedNamespaces; }
    public PolicyCounts getPolicies() { return policies; }
    public void setPolicies(PolicyCounts policies) { this.policies = policies; }
    public DryRunStatus getDryRun() { return dryRun; }
    public void setDryRun(DryRunStatus dryRun) { this.dryRun = dryRun; }
    public String getNamespaceSummary() { return namespaceSummary; }
    public void setNamespaceSummary(String namespaceSummary) { this.namespaceSummary = namespaceSummary; }
}
