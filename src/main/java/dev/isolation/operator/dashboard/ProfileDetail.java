package dev.isolation.operator.dashboard;

import dev.isolation.operator.api.FailedNamespace;
import dev.isolation.operator.api.VerificationStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/**
 * Drill-down of one profile: the overview row, every condition, the verification (probe checks
 * included) and one page of the namespaces it selects, failing ones first.
 *
 * @param namespaceTotal how many namespaces the profile selects in all; {@code namespaces} is the page
 *                       starting at {@code offset}
 */
public record ProfileDetail(ProfileRow profile, List<Condition> conditions, List<String> unsupportedFeatures,
                            VerificationStatus verification, List<FailedNamespace> failedNamespaces,
                            List<String> dryRunPolicies, int namespaceTotal, int offset, int limit,
                            List<NamespaceRow> namespaces) {

    public boolean hasPrevious() {
        return offset > 0;
    }

    public boolean hasNext() {
        return offset + namespaces.size() < namespaceTotal;
    }

    public int previousOffset() {
        return Math.max(0, offset - limit);
    }

    public int nextOffset() {
        return offset + limit;
    }
}
