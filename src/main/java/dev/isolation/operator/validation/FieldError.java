package dev.isolation.operator.validation;

/**
 * One validation problem, addressed the way the API server addresses it (e.g.
 * {@code spec.policies[0].spec.ingress[0].ports[1].endPort}) so a user can find the offending field
 * from the status message alone.
 */
public record FieldError(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
