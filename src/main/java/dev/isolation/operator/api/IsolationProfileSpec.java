package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.List;
import java.util.Map;

/**
 * Desired isolation. Every field is optional on the wire; {@link EffectiveSpec} applies the
 * contract's defaults, because the test API server (and a CRD applied without defaulting) does not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.namespaceSelector) || (has(self.namespaces) && size(self.namespaces) > 0)",
        message = "at least one of spec.namespaceSelector or spec.namespaces must be set")
public class IsolationProfileSpec {

    @JsonPropertyDescription("Label selector for the namespaces this profile applies to (matchLabels / matchExpressions). "
            + "Unioned with 'namespaces'. Protected namespaces (kube-system, kube-public, kube-node-lease and the "
            + "operator's own namespace by default) are never selected through this selector.")
    @ValidationRule(value = "!has(self.matchExpressions) || size(self.matchExpressions) <= " + Limits.SELECTOR_EXPRESSIONS,
            message = "must have at most " + Limits.SELECTOR_EXPRESSIONS + " matchExpressions")
    private LabelSelector namespaceSelector;

    @JsonPropertyDescription("Explicit namespace names this profile applies to, unioned with 'namespaceSelector'. "
            + "The only way to select a protected namespace.")
    @Size(max = Limits.NAMESPACES)
    private List<String> namespaces;

    @JsonPropertyDescription("Labels set on every selected namespace. The operator removes exactly the keys it set "
            + "when they leave the profile, the namespace stops matching, or the profile is deleted.")
    @Size(max = Limits.NAMESPACE_LABELS)
    private Map<String, String> namespaceLabels;

    @JsonPropertyDescription("Annotations set on every selected namespace, owned per key like namespaceLabels.")
    @Size(max = Limits.NAMESPACE_ANNOTATIONS)
    private Map<String, String> namespaceAnnotations;

    @JsonPropertyDescription("Baseline isolation: NetworkPolicy '<profile>-default-deny' with podSelector {} and the "
            + "chosen policyTypes and no rules. Defaults: ingress true, egress false.")
    // default {} so the server applies the defaults inside it even when the user omits the block
    // (structural defaulting never creates a missing parent object).
    @Default("{}")
    private DefaultDeny defaultDeny;

    @JsonPropertyDescription("Common exceptions to the default deny, each rendered as one NetworkPolicy per namespace. "
            + "Egress presets exist only when defaultDeny.egress is true; ingress presets only when defaultDeny.ingress is true.")
    @Default("{}")
    private Allow allow;

    @JsonPropertyDescription("Further NetworkPolicies stamped verbatim into every selected namespace as '<profile>-<name>'.")
    @Size(max = Limits.POLICIES)
    private List<PolicyTemplate> policies;

    @JsonPropertyDescription("Legacy namespace isolation annotation net.beta.kubernetes.io/network-policy read by old "
            + "Weave Net / early CNIs. Auto: set only when defaultDeny.ingress is true and the detected CNI reads it. "
            + "Always / Never force it on or off.")
    @Default("Auto")
    private LegacyIsolationAnnotation legacyIsolationAnnotation;

    @JsonPropertyDescription("Enforce writes policies and metadata; DryRun computes and reports what would be written, writing nothing.")
    @Default("Enforce")
    private Mode mode;

    @JsonPropertyDescription("How enforcement is verified. Detect: from what runs in the cluster. Probe: active traffic test.")
    @Default("Detect")
    private VerificationMethod verification;

    public LabelSelector getNamespaceSelector() { return namespaceSelector; }
    public void setNamespaceSelector(LabelSelector namespaceSelector) { this.namespaceSelector = namespaceSelector; }
    public List<String> getNamespaces() { return namespaces; }
    public void setNamespaces(List<String> namespaces) { this.namespaces = namespaces; }
    public Map<String, String> getNamespaceLabels() { return namespaceLabels; }
    public void setNamespaceLabels(Map<String, String> namespaceLabels) { this.namespaceLabels = namespaceLabels; }
    public Map<String, String> getNamespaceAnnotations() { return namespaceAnnotations; }
    public void setNamespaceAnnotations(Map<String, String> namespaceAnnotations) { this.namespaceAnnotations = namespaceAnnotations; }
    public DefaultDeny getDefaultDeny() { return defaultDeny; }
    public void setDefaultDeny(DefaultDeny defaultDeny) { this.defaultDeny = defaultDeny; }
    public Allow getAllow() { return allow; }
    public void setAllow(Allow allow) { this.allow = allow; }
    public List<PolicyTemplate> getPolicies() { return policies; }
    public void setPolicies(List<PolicyTemplate> policies) { this.policies = policies; }
    public LegacyIsolationAnnotation getLegacyIsolationAnnotation() { return legacyIsolationAnnotation; }
    public void setLegacyIsolationAnnotation(LegacyIsolationAnnotation v) { this.legacyIsolationAnnotation = v; }
    public Mode getMode() { return mode; }
    public void setMode(Mode mode) { this.mode = mode; }
    public VerificationMethod getVerification() { return verification; }
    public void setVerification(VerificationMethod verification) { this.verification = verification; }
}
