package dev.isolation.operator.validation;

import dev.isolation.operator.api.EffectiveSpec;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a profile that would cut the operator off: one that selects the operator's own
 * namespace (possible only by an explicit spec.namespaces entry, the namespace is protected from
 * selectors) and restricts egress there. The operator's pods would lose the API server, could no
 * longer reconcile - not even the fix of this very profile - and only a manual deletion of the
 * NetworkPolicies would bring them back.
 */
public final class OperatorNamespaceGuard {

    private OperatorNamespaceGuard() {
    }

    /** @param operatorNamespace the namespace the operator runs in, or null when unknown (nothing to guard) */
    public static List<FieldError> validate(IsolationProfileSpec spec, String operatorNamespace) {
        List<FieldError> errors = new ArrayList<>();
        EffectiveSpec s = EffectiveSpec.of(spec);
        int index = operatorNamespace == null ? -1 : s.namespaces().indexOf(operatorNamespace);
        if (index < 0) {
            return errors;
        }
        String what = egressRestriction(s);
        if (what != null) {
            errors.add(new FieldError("spec.namespaces[" + index + "]", "Forbidden: \"" + operatorNamespace
                    + "\" is the operator's own namespace and " + what + " would restrict egress there, cutting the "
                    + "operator off from the API server; remove the namespace from spec.namespaces"));
        }
        return errors;
    }

    private static String egressRestriction(EffectiveSpec s) {
        if (s.denyEgress()) {
            return "spec.defaultDeny.egress: true";
        }
        for (int i = 0; i < s.policies().size(); i++) {
            PolicyTemplate policy = s.policies().get(i);
            if (policy != null && restrictsEgress(policy.getSpec())) {
                return "spec.policies[" + i + "] (an Egress policy)";
            }
        }
        return null;
    }

    /** As the API server defaults policyTypes: Egress when listed, or when egress rules are present. */
    private static boolean restrictsEgress(NetworkPolicySpec spec) {
        if (spec == null) {
            return false;
        }
        if (spec.getPolicyTypes() != null && !spec.getPolicyTypes().isEmpty()) {
            return spec.getPolicyTypes().contains("Egress");
        }
        return spec.getEgress() != null && !spec.getEgress().isEmpty();
    }
}
