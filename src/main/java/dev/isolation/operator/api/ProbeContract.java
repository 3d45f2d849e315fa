package dev.isolation.operator.api;

/**
 * The fixed strings of the probe protocol ("Verification by probe" in the API contract): labels,
 * the target annotation and the Enforced reasons a probe sets.
 */
public final class ProbeContract {

    /** Run id on every object of a probe run; leftovers carrying it are deleted on the next start. */
    public static final String RUN_LABEL = "isolation.dev/probe-run";
    /** {@code server} or {@code client}. */
    public static final String ROLE_LABEL = "isolation.dev/probe-role";
    public static final String ROLE_SERVER = "server";
    public static final String ROLE_CLIENT = "client";
    /** The check a client pod belongs to. */
    public static final String CHECK_LABEL = "isolation.dev/probe-check";
    /** {@code <ip>:<port>/<TCP|UDP|SCTP>} ({@code [<ip>]:<port>/<PROTO>} for IPv6): the one connection a client makes. */
    public static final String TARGET_ANNOTATION = "isolation.dev/probe-target";

    public static final String REASON_VERIFIED = "VerifiedByProbe";
    public static final String REASON_FAILED = "ProbeFailed";
    public static final String REASON_INCONCLUSIVE = "ProbeInconclusive";

    private ProbeContract() {
    }
}
