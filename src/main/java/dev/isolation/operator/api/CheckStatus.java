package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One probe check in {@code status.verification.checks}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckStatus {

    @JsonPropertyDescription("baseline | ingress-deny | ingress-allow | egress-deny | egress-allow | end-port | named-port | udp | sctp")
    private String name;

    @JsonPropertyDescription("Passed | Failed | Inconclusive | NotRun")
    private String result;

    @JsonPropertyDescription("What the check observed, e.g. the connection that should have been blocked.")
    private String message;

    public CheckStatus() {
    }

    public CheckStatus(String name, String result, String message) {
        this.name = name;
        this.result = result;
        this.message = message;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getResult() { return result; }
    public void setResult(String result) { this.result = result; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckStatus c && java.util.Objects.equals(name, c.name)
                && java.util.Objects.equals(result, c.result) && java.util.Objects.equals(message, c.message);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, result, message);
    }
}
