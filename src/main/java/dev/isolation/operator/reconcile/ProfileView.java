package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.render.MetadataCandidate;
import dev.isolation.operator.render.NamespaceSelection;
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

    /** Which namespaces the profile selects; an invalid profile selects none. */
    public NamespaceSelection selection(Set<String> protectedNamespaces) {
        return valid() ? NamespaceSelection.of(spec, protectedNamespaces) : NamespaceSelection.NONE;
    }

    /** The profile as the metadata planner sees it in one namespace, wanting the given keys. */
    public MetadataCandidate candidate(String namespace, Set<String> protectedNamespaces,
                                       Map<String, String> labels, Map<String, String> annotations) {
        return new MetadataCandidate(name(), priority(), role(), selection(protectedNamespaces).of(namespace),
                labels, annotations);
    }

    /** Creation time decides label conflicts: the older profile keeps the key. */
    public String priority() {
        String created = profile.getMetadata().getCreationTimestamp();
        return created == null ? "" : created;
    }
}
