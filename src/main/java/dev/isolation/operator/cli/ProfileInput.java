package dev.isolation.operator.cli;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.validation.FieldError;
import dev.isolation.operator.validation.ProfileValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IsolationProfiles from manifests, each checked exactly as the operator checks it
 * ({@link ProfileValidator}), plus what only a file can get wrong: the apiVersion, a value of the
 * wrong type, and two documents defining the same profile. Other kinds are skipped, so a whole
 * GitOps directory can be checked.
 */
final class ProfileInput {

    static final String API_VERSION = IsolationProfile.GROUP + "/" + IsolationProfile.VERSION;
    static final String KIND = "IsolationProfile";
    static final String NO_NAME = "<no name>";

    /**
     * @param profile null when the document could not be turned into the API model
     * @param errors  field errors, empty when the profile is valid
     */
    record Loaded(String source, String name, IsolationProfile profile, List<FieldError> errors) {

        boolean valid() {
            return errors.isEmpty();
        }

        /** {@code <file>: <profile>: <field path>: <message>}, one per error. */
        List<String> errorLines() {
            return errors.stream().map(e -> source + ": " + name + ": " + e.path() + ": " + e.message()).toList();
        }
    }

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ProfileInput() {
    }

    static boolean isProfile(JsonNode node) {
        return KIND.equals(node.path("kind").asText());
    }

    static List<Loaded> load(List<ManifestReader.Document> documents) {
        List<Loaded> loaded = new ArrayList<>();
        Map<String, String> firstSource = new HashMap<>();
        for (ManifestReader.Document doc : documents) {
            if (!isProfile(doc.node())) {
                continue;
            }
            String name = doc.node().path("metadata").path("name").asText("");
            List<FieldError> errors = new ArrayList<>();
            String apiVersion = doc.node().path("apiVersion").asText("");
            if (!API_VERSION.equals(apiVersion)) {
                errors.add(new FieldError("apiVersion", "Unsupported value: \"" + apiVersion
                        + "\": supported values: \"" + API_VERSION + "\""));
            }
            IsolationProfile profile = null;
            try {
                profile = SERIALIZATION.convertValue(doc.node(), IsolationProfile.class);
            } catch (IllegalArgumentException e) {
                errors.add(typeError(e));
            }
            if (profile != null) {
                errors.addAll(ProfileValidator.validate(profile.getMetadata() == null ? null : profile.getMetadata().getName(),
                        profile.getSpec()));
            }
            if (!name.isEmpty()) {
                String first = firstSource.putIfAbsent(name, doc.source());
                if (first != null) {
                    errors.add(new FieldError("metadata.name", "Duplicate value: \"" + name
                            + "\" is also defined in " + first + "; only one of them can exist in a cluster"));
                }
            }
            loaded.add(new Loaded(doc.source(), name.isEmpty() ? NO_NAME : name, profile, List.copyOf(errors)));
        }
        return loaded;
    }

    /** Jackson's path of the offending value, written like the API server's field paths. */
    private static FieldError typeError(IllegalArgumentException e) {
        Throwable cause = e.getCause() instanceof JsonMappingException ? e.getCause() : e;
        StringBuilder path = new StringBuilder();
        String message = ManifestReader.firstLine(e.getMessage());
        if (cause instanceof JsonMappingException jme) {
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            message = ManifestReader.firstLine(jme.getOriginalMessage());
        }
        return new FieldError(path.isEmpty() ? "<document>" : path.toString(), "Invalid value: " + message);
    }
}
