package dev.isolation.operator.cni;

/**
 * A capability catalog (built-in or admin override) is invalid. The message starts with the offending path,
 * e.g. {@code cilium[0].endPort: expected true|false|unknown, got 'maybe'}.
 */
public class CatalogException extends Exception {

    private final String path;

    public CatalogException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public CatalogException(String path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
    }

    /** Where in the document the problem is, e.g. {@code cilium[0].endPort}, or {@code (document)}. */
    public String path() {
        return path;
    }
}
