package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

/** A NetworkPolicy stamped verbatim into every selected namespace as '<profile>-<name>'. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyTemplate {

    @JsonPropertyDescription("Suffix of the generated NetworkPolicy name '<profile>-<name>'. Lowercase DNS-1123 label characters; "
            + "the resulting name must be a valid DNS-1123 subdomain of at most 253 characters.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    private String name;

    @JsonPropertyDescription("A networking.k8s.io/v1 NetworkPolicySpec, copied as written.")
    @Required
    private NetworkPolicySpec spec;

    public PolicyTemplate() {
    }

    public PolicyTemplate(String name, NetworkPolicySpec spec) {
        this.name = name;
        this.spec = spec;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public NetworkPolicySpec getSpec() { return spec; }
    public void setSpec(NetworkPolicySpec spec) { this.spec = spec; }
}
