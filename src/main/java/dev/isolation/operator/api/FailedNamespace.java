package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One namespace that is not in the desired state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailedNamespace {

    @JsonPropertyDescription("Namespace name.")
    private String name;

    @JsonPropertyDescription("ApplyFailed | Conflict | ...")
    private String reason;

    @JsonPropertyDescription("What went wrong.")
    private String message;

    public FailedNamespace() {
    }

    public FailedNamespace(String name, String reason, String message) {
        this.name = name;
        this.reason = reason;
        this.message = message;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
}
