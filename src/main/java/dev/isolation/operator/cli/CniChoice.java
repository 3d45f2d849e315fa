package dev.isolation.operator.cli;

import dev.isolation.operator.cni.Capabilities;
import dev.isolation.operator.cni.CapabilityCatalog;
import dev.isolation.operator.cni.CniVerdict;

/**
 * {@code --cni <name>[@<version>]}: the verdict detection would reach for that CNI, from the
 * built-in capability catalog (a cluster's catalog override ConfigMap is not consulted offline).
 */
final class CniChoice {

    private CniChoice() {
    }

    /**
     * @param choice null: no CNI given, the verdict is Unknown (as for an unrecognised CNI)
     * @throws IllegalArgumentException for a name that is not one of status.cni.name's values
     */
    static CniVerdict verdict(String choice) {
        if (choice == null) {
            return CniVerdict.UNKNOWN;
        }
        int at = choice.indexOf('@');
        String name = at < 0 ? choice : choice.substring(0, at);
        String version = at < 0 || at == choice.length() - 1 ? null : choice.substring(at + 1);
        if (!CniVerdict.KNOWN_NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown CNI '" + name + "'; one of " + String.join(", ", CniVerdict.KNOWN_NAMES));
        }
        if (CniVerdict.UNKNOWN_NAME.equals(name)) {
            return CniVerdict.UNKNOWN;
        }
        Capabilities capabilities = CapabilityCatalog.builtIn().lookup(name, version);
        return new CniVerdict(name, version, "--cni " + choice, capabilities, capabilities.readsLegacyAnnotation());
    }
}
