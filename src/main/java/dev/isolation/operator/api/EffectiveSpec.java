package dev.isolation.operator.api;

import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.List;
import java.util.Map;

/**
 * A spec with the contract's defaults applied. The API server applies the CRD's defaults, but the
 * operator must not rely on it (older objects, the test server, and DryRun diffs all see raw specs).
 */
public record EffectiveSpec(
        LabelSelector namespaceSelector,
        List<String> namespaces,
        Map<String, String> namespaceLabels,
        Map<String, String> namespaceAnnotations,
        boolean denyIngress,
        boolean denyEgress,
        boolean allowSameNamespace,
        boolean allowDns,
        boolean allowKubeApiServer,
        boolean allowNodes,
        List<LabelSelector> allowFromNamespaces,
        List<PolicyTemplate> policies,
        LegacyIsolationAnnotation legacyIsolationAnnotation,
        Mode mode,
        VerificationMethod verification) {

    public static EffectiveSpec of(IsolationProfileSpec spec) {
        IsolationProfileSpec s = spec == null ? new IsolationProfileSpec() : spec;
        DefaultDeny deny = s.getDefaultDeny() == null ? new DefaultDeny() : s.getDefaultDeny();
        Allow allow = s.getAllow() == null ? new Allow() : s.getAllow();
        return new EffectiveSpec(
                s.getNamespaceSelector(),
                orEmpty(s.getNamespaces()),
                s.getNamespaceLabels() == null ? Map.of() : s.getNamespaceLabels(),
                s.getNamespaceAnnotations() == null ? Map.of() : s.getNamespaceAnnotations(),
                or(deny.getIngress(), true),
                or(deny.getEgress(), false),
                or(allow.getSameNamespace(), true),
                or(allow.getDns(), true),
                or(allow.getKubeApiServer(), false),
                or(allow.getNodes(), false),
                orEmpty(allow.getFromNamespaces()),
                orEmpty(s.getPolicies()),
                s.getLegacyIsolationAnnotation() == null ? LegacyIsolationAnnotation.Auto : s.getLegacyIsolationAnnotation(),
                s.getMode() == null ? Mode.Enforce : s.getMode(),
                s.getVerification() == null ? VerificationMethod.Detect : s.getVerification());
    }

    public boolean dryRun() {
        return mode == Mode.DryRun;
    }

    private static boolean or(Boolean value, boolean fallback) {
        return value == null ? fallback : value;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
