package dev.isolation.operator.cni.live;

import dev.isolation.operator.cni.CapabilityCatalog;
import dev.isolation.operator.cni.CatalogException;
import io.fabric8.kubernetes.api.model.ConfigMap;

import java.util.Objects;
import java.util.Optional;

/**
 * The capability catalog in effect, given the admin's override ConfigMap (or its absence). An
 * invalid override never replaces the built-in catalog. Parsing is memoised on the YAML text, so
 * recomputing the verdict for unrelated cluster changes neither re-parses the override nor
 * reports the same invalid override again.
 */
final class CatalogOverride {

    /** The ConfigMap key holding the override, in the format of docs/cni-catalog.md. */
    static final String KEY = "catalog.yaml";

    /**
     * @param problem why the override was rejected; null when it is valid or absent
     * @param fresh   true only the first time this outcome is produced for this input (report it once)
     */
    record Outcome(CapabilityCatalog catalog, CatalogException problem, boolean fresh) {
        boolean valid() {
            return problem == null;
        }

        Outcome seenBefore() {
            return new Outcome(catalog, problem, false);
        }
    }

    /** Input identity: absent ConfigMap, ConfigMap without the key, or the YAML text. */
    private record Input(boolean present, Optional<String> yaml) {
    }

    private Input lastInput;
    private Outcome last;

    synchronized Outcome resolve(ConfigMap override) {
        Input input = override == null ? new Input(false, Optional.empty())
                : new Input(true, Optional.ofNullable(override.getData()).map(d -> d.get(KEY)));
        if (last != null && Objects.equals(input, lastInput)) {
            return last.seenBefore();
        }
        lastInput = input;
        last = parse(input);
        return last;
    }

    private static Outcome parse(Input input) {
        CapabilityCatalog builtIn = CapabilityCatalog.builtIn();
        if (!input.present()) {
            return new Outcome(builtIn, null, true);
        }
        if (input.yaml().isEmpty()) {
            return new Outcome(builtIn, new CatalogException(KEY, "key missing from the ConfigMap's data"), true);
        }
        try {
            return new Outcome(builtIn.withOverrides(input.yaml().get()), null, true);
        } catch (CatalogException e) {
            return new Outcome(builtIn, e, true);
        } catch (RuntimeException e) {
            // A parser bug must not take detection down with it: it counts as an invalid override.
            return new Outcome(builtIn, new CatalogException("(document)", "cannot be read: " + e, e), true);
        }
    }
}
