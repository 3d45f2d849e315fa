package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The CNI detected in the cluster, with the evidence it was detected from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CniStatus {

    @JsonPropertyDescription("calico | cilium | weave | flannel | canal | antrea | kube-router | aws-vpc-cni | azure-npm | kindnet | "
            + "k3s | ovn-kubernetes | kube-ovn | gke-dataplane-v2 | unknown")
    private String name;

    @JsonPropertyDescription("Version read from the CNI's image tag, when known.")
    private String version;

    @JsonPropertyDescription("The evidence, e.g. 'DaemonSet kube-system/kube-flannel-ds'.")
    private String detectedFrom;

    @JsonPropertyDescription("True | False | Unknown: whether this CNI implements NetworkPolicy at all.")
    private String enforcesNetworkPolicy;

    public CniStatus() {
    }

    public CniStatus(String name, String version, String detectedFrom, String enforcesNetworkPolicy) {
        this.name = name;
        this.version = version;
        this.detectedFrom = detectedFrom;
        this.enforcesNetworkPolicy = enforcesNetworkPolicy;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getDetectedFrom() { return detectedFrom; }
    public void setDetectedFrom(String detectedFrom) { this.detectedFrom = detectedFrom; }
    public String getEnforcesNetworkPolicy() { return enforcesNetworkPolicy; }
    public void setEnforcesNetworkPolicy(String enforcesNetworkPolicy) { this.enforcesNetworkPolicy = enforcesNetworkPolicy; }
}
