package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Outcome of the last enforcement verification. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerificationStatus {

    @JsonPropertyDescription("Detect | Probe")
    private String method;

    @JsonPropertyDescription("Passed | Failed | Inconclusive | NotRun")
    private String result;

    @JsonPropertyDescription("When the result last changed (RFC 3339).")
    private String checkedAt;

    @JsonPropertyDescription("Details of the result.")
    private String message;

    @JsonPropertyDescription("Probe only: the result of every check this profile needs.")
    private List<CheckStatus> checks;

    public VerificationStatus() {
    }

    public VerificationStatus(String method, String result, String checkedAt, String message) {
        this.method = method;
        this.result = result;
        this.checkedAt = checkedAt;
        this.message = message;
    }

    public String getMethod() { return method; }
    public void setMethod(String method) { this.method = method; }
    public String getResult() { return result; }
    public void setResult(String result) { this.result = result; }
    public String getCheckedAt() { return checkedAt; }
    public void setCheckedAt(String checkedAt) { this.checkedAt = checkedAt; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public List<CheckStatus> getChecks() { return checks; }
    public void setChecks(List<CheckStatus> checks) { this.checks = checks; }
}
