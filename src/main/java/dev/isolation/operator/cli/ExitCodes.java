package dev.isolation.operator.cli;

/** Exit codes of the command line (api.md, "Command line"). */
final class ExitCodes {

    static final int OK = 0;
    /** validate/render: at least one profile is invalid. */
    static final int INVALID = 1;
    /** validate/render: an input could not be read or parsed; also picocli's usage errors. */
    static final int UNREADABLE = 2;
    /** The operator: no reachable Kubernetes API server. */
    static final int UNREACHABLE = 1;

    private ExitCodes() {
    }
}
