package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.List;

/** Preset exceptions to the default deny; each enabled preset is one NetworkPolicy per namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Allow {

    @JsonPropertyDescription("'<profile>-allow-same-namespace': ingress from pods of the same namespace (when ingress is denied) "
            + "and egress to them (when egress is denied). Default true.")
    @Default("true")
    private Boolean sameNamespace;

    @JsonPropertyDescription("'<profile>-allow-dns': egress to kube-dns pods (k8s-app=kube-dns in kube-system) on UDP and TCP 53. "
            + "Rendered only when defaultDeny.egress is true. Default true.")
    @Default("true")
    private Boolean dns;

    @JsonPropertyDescription("'<profile>-allow-kube-apiserver': egress to the API server endpoint IPs and ports from the "
            + "default/kubernetes EndpointSlice, kept in sync. Rendered only when defaultDeny.egress is true. Default false.")
    @Default("false")
    private Boolean kubeApiServer;

    @JsonPropertyDescription("'<profile>-allow-nodes': ingress from every Node InternalIP (/32 or /128), kept in sync as nodes "
            + "come and go. Rendered only when defaultDeny.ingress is true. Default false.")
    @Default("false")
    private Boolean nodes;

    @JsonPropertyDescription("'<profile>-allow-from-namespaces': ingress from namespaces matching any of these selectors. "
            + "Rendered only when defaultDeny.ingress is true and the list is not empty.")
    @Size(max = Limits.FROM_NAMESPACES)
    @ValidationRule(value = "self.all(s, !has(s.matchExpressions) || size(s.matchExpressions) <= " + Limits.SELECTOR_EXPRESSIONS + ")",
            message = "each selector must have at most " + Limits.SELECTOR_EXPRESSIONS + " matchExpressions")
    private List<LabelSelector> fromNamespaces;

    public Boolean getSameNamespace() { return sameNamespace; }
    public void setSameNamespace(Boolean sameNamespace) { this.sameNamespace = sameNamespace; }
    public Boolean getDns() { return dns; }
    public void setDns(Boolean dns) { this.dns = dns; }
    public Boolean getKubeApiServer() { return kubeApiServer; }
    public void setKubeApiServer(Boolean kubeApiServer) { this.kubeApiServer = kubeApiServer; }
    public Boolean getNodes() { return nodes; }
    public void setNodes(Boolean nodes) { this.nodes = nodes; }
    public List<LabelSelector> getFromNamespaces() { return fromNamespaces; }
    public void setFromNamespaces(List<LabelSelector> fromNamespaces) { this.fromNamespaces = fromNamespaces; }
}
