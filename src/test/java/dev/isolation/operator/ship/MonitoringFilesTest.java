package dev.isolation.operator.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring pieces read only what exists: alert and dashboard queries name metrics the
 * operator exports ({@link ExportedMetrics}), every alert has a runbook section, and the
 * kube-state-metrics config reads paths of the CRD's status schema.
 */
class MonitoringFilesTest {

    static final String RULES = "kustomize/components/monitoring/prometheusrule.yaml";
    static final String DASHBOARD = "kustomize/components/monitoring/grafana-dashboard.json";
    static final String KSM = "kustomize/monitoring/kube-state-metrics.yaml";
    static final String RUNBOOKS_URL = "https://github.com/isolation-dev/isolation-operator/blob/main/docs/runbooks.md#";
    static final Set<String> PER_PROFILE_STATUS = Set.of("isolation_profile_ready", "isolation_profile_enforced",
            "isolation_profile_stalled", "isolation_profile_reconciling");

    static List<JsonNode> alerts() throws IOException {
        List<JsonNode> result = new ArrayList<>();
        new YAMLMapper().readTree(ShipFiles.resolve(RULES).toFile()).path("spec").path("groups")
                .forEach(g -> g.path("rules").forEach(result::add));
        return result;
    }

    @Test
    void everyAlertReadsExportedMetricsAndLinksItsRunbook() throws IOException {
        String runbooks = Files.readString(ShipFiles.resolve("docs/runbooks.md"));
        List<JsonNode> alerts = alerts();
        assertThat(alerts).extracting(a -> a.path("alert").asText()).contains("IsolationProfileNotReady",
                "IsolationProfileNotEnforced", "IsolationProfileStalled", "IsolationOperatorReconcileErrors",
                "IsolationOperatorAbsent");
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            String expr = alert.path("expr").asText();
            assertThat(ExportedMetrics.metricsIn(expr)).as("metrics of %s", name).isNotEmpty()
                    .allSatisfy(m -> assertThat(ExportedMetrics.known(m)).as("%s reads %s", name, m).isTrue());
            String url = alert.path("annotations").path("runbook_url").asText();
            assertThat(url).as("runbook_url of %s", name).isEqualTo(RUNBOOKS_URL + name.toLowerCase(Locale.ROOT));
            assertThat(runbooks).as("docs/runbooks.md section for %s", name).contains("\n## " + name + "\n");
            assertThat(alert.path("labels").path("severity").asText()).isIn("warning", "critical");
            assertThat(alert.path("for").asText()).isNotEmpty();
        }
    }

    /** DryRun profiles write nothing on purpose: every per-profile status alert excludes them. */
    @Test
    void noProfileAlertFiresForDryRun() throws IOException {
        for (JsonNode alert : alerts()) {
            String expr = alert.path("expr").asText();
            if (ExportedMetrics.metricsIn(expr).stream().anyMatch(PER_PROFILE_STATUS::contains)) {
                assertThat(expr.replaceAll("\\s+", " ")).as(alert.path("alert").asText())
                        .contains("unless on (profile) isolation_profile_dry_run == 1");
                String text = alert.path("annotations").path("summary").asText() + alert.path("annotations").path("description").asText();
                assertThat(text).as("readable message of %s", alert.path("alert").asText()).contains("{{ $labels.profile }}")
                        .doesNotContain("{{ $labels }}");
            }
        }
    }

    @Test
    void operatorAbsentAlertWatchesTheScrapeJob() throws IOException {
        JsonNode absent = alerts().stream().filter(a -> a.path("alert").asText().equals("IsolationOperatorAbsent"))
                .findFirst().orElseThrow();
        assertThat(absent.path("expr").asText()).startsWith("absent(up{job=\"isolation-operator\"");
        // The ServiceMonitor scrapes the Service of that name, which gives the job label.
        assertThat(new YAMLMapper().readTree(ShipFiles.resolve("kustomize/base/service.yaml").toFile())
                .path("metadata").path("name").asText()).isEqualTo("isolation-operator");
    }

    @Test
    void grafanaDashboardParsesAndQueriesExportedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(ShipFiles.resolve(DASHBOARD).toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("isolation-operator");
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            assertThat(p.path("targets").size()).as("panel %s", p.path("title")).isPositive();
            p.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        });
        dashboard.path("templating").path("list").forEach(v -> {
            Matcher m = Pattern.compile("label_values\\(([a-z_]+),").matcher(v.path("definition").asText());
            if (m.find()) {
                exprs.add(m.group(1));
            }
        });
        assertThat(exprs).hasSizeGreaterThan(10);
        Set<String> used = new java.util.TreeSet<>();
        for (String expr : exprs) {
            List<String> metrics = ExportedMetrics.metricsIn(expr);
            assertThat(metrics).as(expr).isNotEmpty();
            metrics.forEach(m -> assertThat(ExportedMetrics.known(m)).as("dashboard query %s reads %s", expr, m).isTrue());
            used.addAll(metrics);
        }
        assertThat(used).containsAll(ExportedMetrics.PER_PROFILE);
    }

    /** Every path the kube-state-metrics config reads exists in the CRD's schema. */
    @Test
    void kubeStateMetricsConfigReadsExistingStatusPaths() throws IOException {
        JsonNode config = new YAMLMapper().readTree(ShipFiles.resolve(KSM).toFile());
        assertThat(config.path("kind").asText()).isEqualTo("CustomResourceStateMetrics");
        JsonNode crd = new YAMLMapper().readTree(ShipFiles.resolve("crds/isolationprofiles.isolation.dev-v1.yml").toFile());
        JsonNode schema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
        JsonNode resource = config.path("spec").path("resources").get(0);
        assertThat(resource.path("groupVersionKind").path("group").asText()).isEqualTo(crd.path("spec").path("group").asText());
        assertThat(resource.path("groupVersionKind").path("kind").asText()).isEqualTo("IsolationProfile");
        assertThat(resource.path("metrics").size()).isGreaterThanOrEqualTo(4);
        for (JsonNode metric : resource.path("metrics")) {
            JsonNode each = metric.path("each");
            JsonNode body = each.path(each.path("type").asText().toLowerCase(Locale.ROOT));
            assertThat(body.isObject()).as("metric %s", metric.path("name")).isTrue();
            JsonNode at = walk(schema, body.path("path"), metric);
            JsonNode item = at.path("type").asText().equals("array") ? at.path("items") : at;
            if (body.has("valueFrom")) {
                walk(item, body.path("valueFrom"), metric);
            }
            body.path("labelsFromPath").forEach(p -> walk(item, p, metric));
            if (body.has("labelFromKey")) {
                assertThat(item.path("properties").size()).as("map at %s", body.path("path")).isPositive();
            }
        }
    }

    private static JsonNode walk(JsonNode schema, JsonNode path, JsonNode metric) {
        JsonNode at = schema;
        for (JsonNode segment : path) {
            at = at.path("properties").path(segment.asText());
            assertThat(at.isMissingNode()).as("kube-state-metrics %s reads %s, not in the CRD schema",
                    metric.path("name").asText(), path).isFalse();
        }
        return at;
    }
}
