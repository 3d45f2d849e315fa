package dev.isolation.operator.api;

/**
 * The probe's checks; {@link #checkName()} is the value in {@code status.verification.checks[].name}
 * and in the {@code isolation.dev/probe-check} label. Declaration order is the order of a run and
 * of status lists.
 */
public enum ProbeCheck {
    BASELINE("baseline"),
    INGRESS_DENY("ingress-deny"),
    INGRESS_ALLOW("ingress-allow"),
    EGRESS_DENY("egress-deny"),
    EGRESS_ALLOW("egress-allow"),
    END_PORT("end-port"),
    NAMED_PORT("named-port"),
    UDP("udp"),
    SCTP("sctp");

    private final String checkName;

    ProbeCheck(String checkName) {
        this.checkName = checkName;
    }

    public String checkName() {
        return checkName;
    }
}
