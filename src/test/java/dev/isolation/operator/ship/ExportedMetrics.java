package dev.isolation.operator.ship;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus metric names the operator exports, the one list alerts, the Grafana dashboard and
 * their tests are checked against. {@link #REGISTERED} are checked against the meters registered in
 * src/main/java (ExportedMetricsTest); {@link #PER_PROFILE} names the per-profile gauges among them.
 */
final class ExportedMetrics {

    /** Prometheus name -> Micrometer meter name registered in src/main/java. */
    static final java.util.Map<String, String> REGISTERED = java.util.Map.ofEntries(
            java.util.Map.entry("isolation_profiles", "isolation.profiles"),
            java.util.Map.entry("isolation_profiles_enforced", "isolation.profiles.enforced"),
            java.util.Map.entry("isolation_namespaces_selected", "isolation.namespaces.selected"),
            java.util.Map.entry("isolation_networkpolicies_managed", "isolation.networkpolicies.managed"),
            java.util.Map.entry("isolation_cni_info", "isolation.cni.info"),
            java.util.Map.entry("isolation_cni_catalog_override_valid", "isolation.cni.catalog.override.valid"),
            java.util.Map.entry("isolation_profile_ready", "isolation.profile.ready"),
            java.util.Map.entry("isolation_profile_enforced", "isolation.profile.enforced"),
            java.util.Map.entry("isolation_profile_reconciling", "isolation.profile.reconciling"),
            java.util.Map.entry("isolation_profile_stalled", "isolation.profile.stalled"),
            java.util.Map.entry("isolation_profile_dry_run", "isolation.profile.dry.run"),
            java.util.Map.entry("isolation_profile_namespaces", "isolation.profile.namespaces"),
            java.util.Map.entry("isolation_profile_policies", "isolation.profile.policies"),
            java.util.Map.entry("isolation_probe_runs_total", "isolation.probe.runs"),
            java.util.Map.entry("isolation_probe_last_run_timestamp_seconds", "isolation.probe.last.run.timestamp.seconds"),
            java.util.Map.entry("isolation_probe_check", "isolation.probe.check"));

    /** The per-profile gauges (label "profile"), which the alerts and the Grafana dashboard must all use. */
    static final Set<String> PER_PROFILE = Set.of(
            "isolation_profile_ready", "isolation_profile_enforced", "isolation_profile_reconciling",
            "isolation_profile_stalled", "isolation_profile_dry_run", "isolation_profile_namespaces",
            "isolation_profile_policies");

    /** JOSDK micrometer-support counters (MicrometerMetrics, prefix operator.sdk.). */
    static final Set<String> JOSDK = Set.of(
            "operator_sdk_reconciliations_started_total", "operator_sdk_reconciliations_success_total",
            "operator_sdk_reconciliations_failed_total", "operator_sdk_events_received_total");

    /** Prometheus' own, for the operator-absent alert. */
    static final Set<String> PROMETHEUS = Set.of("up");

    static boolean known(String metric) {
        return REGISTERED.containsKey(metric) || JOSDK.contains(metric)
                || PROMETHEUS.contains(metric);
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");

    /** The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
    static List<String> metricsIn(String promql) {
        String s = promql.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "");
        s = GROUPING.matcher(s).replaceAll(" ");
        List<String> result = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            String token = m.group();
            if (token.endsWith("(") || KEYWORDS.contains(token)) {
                continue;
            }
            result.add(token);
        }
        return result;
    }

    private ExportedMetrics() {
    }
}
