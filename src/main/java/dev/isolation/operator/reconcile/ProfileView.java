package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.render.LabelSelectorMatcher;
import dev.isolation.operator.render.MetadataCandidate;
import dev.isolation.operator.validation.FieldError;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A profile as the reconcilers use it: defaults applied, validated once per version, and a
 * fingerprint of everything that changes what gets written.
 *
 * @param fingerprint changes exactly when the spec changes or deletion starts; status writes do not change it
 */
public record ProfileView(IsolationProfile profile, EffectiveSpec spec, List<FieldError> errors, String fingerprint) {

    public String name() {
        return profile.getMetadata().getName();
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public boolean deleting() {
        return profile.getMetadata().getDeletionTimestamp() != null;
    }

    public MetadataCandidate.Role role() {
        if (deleting()) {
            return MetadataCandidate.Role.DELETING;
        }
        return valid() && !spec.dryRun() ? MetadataCandidate.Role.ACTIVE : MetadataCandidate.Role.FROZEN;
    }

    /**
     * Explicit names always select (that is the only way into a protected namespace); the
     * selector never selects a protected namespace.
     */
    public boolean selects(String namespace, Map<String, String> labels, Set<String> protectedNamespaces) {
        if (!valid()) {
            return false;
        }
        if (spec.namespaces().contains(namespace)) {
            return true;
        }
        return !protectedNamespaces.contains(namespace) && LabelSelectorMatcher.matches(spec.namespaceSelector(), labels);
    }

    /** Creation time decides label conflicts: the older profile keeps the key. */
    public String priority() {
        String created = profile.getMetadata().getCreationTimestamp();
        return created == null ? "" : created;
    }
}
