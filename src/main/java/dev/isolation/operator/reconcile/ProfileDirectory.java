package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.validation.FieldError;
import dev.isolation.operator.validation.OperatorNamespaceGuard;
import dev.isolation.operator.validation.ProfileValidator;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns cached profiles into {@link ProfileView}s. Every namespace reconcile consults every
 * profile, so validation and fingerprinting are memoised per resourceVersion instead of being
 * repeated ten thousand times for one profile change.
 */
public final class ProfileDirectory {

    private final Map<String, ProfileView> byUid = new ConcurrentHashMap<>();
    private final String operatorNamespace;

    /** @param operatorNamespace where the operator runs (null when unknown): a profile may not cut it off */
    public ProfileDirectory(String operatorNamespace) {
        this.operatorNamespace = operatorNamespace;
    }

    public ProfileView view(IsolationProfile profile) {
        String uid = profile.getMetadata().getUid();
        String version = profile.getMetadata().getResourceVersion();
        String deleting = String.valueOf(profile.getMetadata().getDeletionTimestamp() != null);
        ProfileView cached = uid == null ? null : byUid.get(uid);
        if (cached != null && sameVersion(cached.profile(), version) && cached.deleting() == Boolean.parseBoolean(deleting)) {
            return cached;
        }
        List<FieldError> errors = new ArrayList<>(ProfileValidator.validate(profile.getMetadata().getName(), profile.getSpec()));
        errors.addAll(OperatorNamespaceGuard.validate(profile.getSpec(), operatorNamespace));
        ProfileView fresh = new ProfileView(profile, EffectiveSpec.of(profile.getSpec()), List.copyOf(errors),
                fingerprint(profile));
        if (uid != null) {
            byUid.put(uid, fresh);
        }
        return fresh;
    }

    public void forget(String uid) {
        if (uid != null) {
            byUid.remove(uid);
        }
    }

    /** Spec content plus deletion state: what decides what the operator writes for this profile. */
    public static String fingerprint(IsolationProfile profile) {
        String basis = Serialization.asJson(profile.getSpec()) + "|deleting="
                + (profile.getMetadata().getDeletionTimestamp() != null) + "|uid=" + profile.getMetadata().getUid();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean sameVersion(IsolationProfile cached, String version) {
        return version != null && version.equals(cached.getMetadata().getResourceVersion());
    }
}
