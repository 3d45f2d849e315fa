package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Which directions the '<profile>-default-deny' NetworkPolicy isolates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DefaultDeny {

    @JsonPropertyDescription("Deny all ingress to every pod of the namespace unless another policy allows it. Default true.")
    @Default("true")
    private Boolean ingress;

    @JsonPropertyDescription("Deny all egress from every pod of the namespace unless another policy allows it. Default false. "
            + "Egress presets (dns, kubeApiServer, egress half of sameNamespace) are rendered only when this is true.")
    @Default("false")
    private Boolean egress;

    public DefaultDeny() {
    }

    public DefaultDeny(Boolean ingress, Boolean egress) {
        this.ingress = ingress;
        this.egress = egress;
    }

    public Boolean getIngress() { return ingress; }
    public void setIngress(Boolean ingress) { this.ingress = ingress; }
    public Boolean getEgress() { return egress; }
    public void setEgress(Boolean egress) { this.egress = egress; }
}
