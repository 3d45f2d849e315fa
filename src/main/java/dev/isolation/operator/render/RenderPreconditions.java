package dev.isolation.operator.render;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The minimum the renderer needs to produce well-defined output; full field validation (CIDRs,
 * ports, selectors) belongs to the validation package. Everything here would otherwise yield two
 * objects with one name, an object the API server must reject, or a silent truncation.
 */
final class RenderPreconditions {

    static final int MAX_NAME_LENGTH = 253;
    /** The profile name is also the value of the isolation.dev/profile label. */
    static final int MAX_LABEL_VALUE_LENGTH = 63;

    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    private RenderPreconditions() {
    }

    static List<String> problems(String profile, EffectiveSpec spec) {
        List<String> problems = new ArrayList<>();
        if (profile.length() > MAX_LABEL_VALUE_LENGTH) {
            problems.add("profile name '" + profile + "' is longer than " + MAX_LABEL_VALUE_LENGTH
                    + " characters and cannot be the value of label " + ManagedLabels.PROFILE);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < spec.policies().size(); i++) {
            PolicyTemplate template = spec.policies().get(i);
            String where = "spec.policies[" + i + "]";
            if (template == null) {
                problems.add(where + " is null");
                continue;
            }
            String name = template.getName();
            if (name == null || name.isEmpty()) {
                problems.add(where + ".name is required");
            } else if (PolicyNames.allPresetSuffixes().contains(name)) {
                problems.add(where + ".name '" + name + "' is reserved for the preset policy of that name");
            } else if (!seen.add(name)) {
                problems.add(where + ".name '" + name + "' is used more than once");
            } else {
                checkName(PolicyNames.of(profile, name), where + ".name", problems);
            }
            if (template.getSpec() == null) {
                problems.add(where + ".spec is required");
            }
        }
        for (String suffix : PolicyNames.allPresetSuffixes()) {
            checkName(PolicyNames.of(profile, suffix), "preset " + suffix, problems);
        }
        List<LabelSelector> selectors = spec.allowFromNamespaces();
        for (int i = 0; i < selectors.size(); i++) {
            if (selectors.get(i) == null) {
                // A peer without any selector is rejected by the API server; never guess its meaning.
                problems.add("spec.allow.fromNamespaces[" + i + "] is null");
            }
        }
        return problems;
    }

    private static void checkName(String name, String where, List<String> problems) {
        if (name.length() > MAX_NAME_LENGTH) {
            problems.add(where + ": NetworkPolicy name '" + name + "' exceeds " + MAX_NAME_LENGTH + " characters");
        } else if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
            problems.add(where + ": NetworkPolicy name '" + name + "' is not a valid DNS-1123 subdomain");
        }
    }
}
