package dev.isolation.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code render}: what the operator would write, offline, sorted, with the CNI verdict as comments. */
@QuarkusMainTest
class RenderCommandTest {

    /** For each example: namespace labels that make it select the namespace, and the policies it must write. */
    private static final Map<String, List<String>> EXAMPLES = Map.of(
            "examples/default-deny-except-dns.yaml", List.of("isolation=default-deny",
                    "default-deny-allow-dns,default-deny-allow-same-namespace,default-deny-default-deny"),
            "examples/egress-to-apiserver.yaml", List.of("isolation=apiserver-only",
                    "egress-to-apiserver-allow-dns,egress-to-apiserver-default-deny"),
            "examples/seed-example.yaml", List.of("tier=db", "db-tier-db-ingress"),
            "examples/tenant-ingress-only.yaml", List.of("tenant=team-a",
                    "tenant-ingress-only-allow-from-namespaces,tenant-ingress-only-default-deny"));

    @TempDir
    Path tmp;

    @Test
    void everyExampleRendersItsPoliciesSortedAndStable(QuarkusMainLauncher launcher) throws IOException {
        assertThat(EXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(
                ValidateCommandTest.examples().stream().map(Path::toString).toList());
        for (Map.Entry<String, List<String>> e : EXAMPLES.entrySet()) {
            String[] args = {"render", "-f", e.getKey(), "--namespace", "team-a", "--labels", e.getValue().get(0),
                    "--cni", "calico@v3.28.0"};
            LaunchResult result = launcher.launch(args);
            assertThat(result.exitCode()).as(e.getKey()).isZero();
            List<JsonNode> docs = documents(result);
            assertThat(docs.get(0).path("kind").asText()).isEqualTo("Namespace");
            List<String> policies = docs.stream().filter(d -> d.path("kind").asText().equals("NetworkPolicy"))
                    .map(d -> d.path("metadata").path("namespace").asText() + "/" + d.path("metadata").path("name").asText())
                    .toList();
            assertThat(policies).as(e.getKey()).containsExactlyElementsOf(
                    List.of(e.getValue().get(1).split(",")).stream().map(n -> "team-a/" + n).toList());
            docs.stream().skip(1).forEach(d -> {
                assertThat(d.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText())
                        .isEqualTo("isolation-operator");
                assertThat(d.path("metadata").path("ownerReferences").get(0).path("controller").asBoolean()).isTrue();
            });
            assertThat(result.getOutput()).contains("#       reason: CNIEnforces");
            assertThat(launcher.launch(args).getOutput()).as("stable output").isEqualTo(result.getOutput());
        }
    }

    @Test
    void namespacesFileSelectsLikeTheOperatorAndKnowsClusterFacts(QuarkusMainLauncher launcher) throws IOException {
        Path profile = Files.writeString(tmp.resolve("p.yaml"), """
                apiVersion: isolation.dev/v1alpha1
                kind: IsolationProfile
                metadata: {name: p}
                spec:
                  namespaceSelector: {matchLabels: {team: x}}
                  namespaceLabels: {project: x}
                  allow: {nodes: true}
                """);
        String namespaces = """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: Namespace, metadata: {name: zeta, labels: {team: x}}}
                - {apiVersion: v1, kind: Namespace, metadata: {name: alpha, labels: {team: x}}}
                - {apiVersion: v1, kind: Namespace, metadata: {name: kube-system, labels: {team: x}}}
                - {apiVersion: v1, kind: Namespace, metadata: {name: other}}
                """;
        Path withoutNodes = Files.writeString(tmp.resolve("ns.yaml"), namespaces);
        LaunchResult result = launcher.launch("render", "-f", profile.toString(), "--namespaces", withoutNodes.toString());
        assertThat(result.exitCode()).isZero();
        List<String> objects = documents(result).stream()
                .map(d -> d.path("kind").asText() + " " + d.path("metadata").path("namespace").asText("-") + "/"
                        + d.path("metadata").path("name").asText()).toList();
        // kube-system is protected: a selector never selects it. Sorted by namespace, Namespace first.
        assertThat(objects).containsExactly(
                "Namespace -/alpha", "NetworkPolicy alpha/p-allow-same-namespace", "NetworkPolicy alpha/p-default-deny",
                "Namespace -/zeta", "NetworkPolicy zeta/p-allow-same-namespace", "NetworkPolicy zeta/p-default-deny");
        JsonNode alpha = documents(result).get(0);
        assertThat(alpha.path("metadata").path("labels").path("project").asText()).isEqualTo("x");
        assertThat(alpha.path("metadata").path("annotations").fieldNames()).toIterable()
                .as("the operator's bookkeeping of the keys it owns").isNotEmpty();
        assertThat(result.getOutput()).contains("#   notRendered:").contains("p-allow-nodes")
                .contains("#       reason: UnknownCNI");

        Path withNodes = Files.writeString(tmp.resolve("ns-nodes.yaml"), namespaces + """
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: n1}
                status: {addresses: [{type: InternalIP, address: 10.0.0.7}]}
                """);
        LaunchResult facts = launcher.launch("render", "-f", profile.toString(), "--namespaces", withNodes.toString());
        assertThat(facts.exitCode()).isZero();
        assertThat(documents(facts)).anySatisfy(d -> {
            assertThat(d.path("metadata").path("name").asText()).isEqualTo("p-allow-nodes");
            assertThat(d.toString()).contains("10.0.0.7/32");
        });
        assertThat(facts.getOutput()).doesNotContain("notRendered");
    }

    @Test
    void verdictFollowsTheCatalogForTheGivenCni(QuarkusMainLauncher launcher) {
        LaunchResult flannel = launcher.launch("render", "-f", "examples/seed-example.yaml", "--namespace", "db",
                "--labels", "tier=db", "--cni", "flannel@v0.25.1");
        assertThat(flannel.exitCode()).isZero();
        assertThat(flannel.getOutput()).contains("#     enforcesNetworkPolicy: \"False\"")
                .contains("#       reason: CNIDoesNotEnforce");

        LaunchResult unknownName = launcher.launch("render", "-f", "examples/seed-example.yaml", "--namespace", "db",
                "--cni", "nosuchcni");
        assertThat(unknownName.exitCode()).isEqualTo(2);
        assertThat(unknownName.getErrorOutput()).contains("unknown CNI 'nosuchcni'");
    }

    @Test
    void invalidProfileRendersNothingAndExitsOne(QuarkusMainLauncher launcher) throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"),
                "apiVersion: isolation.dev/v1alpha1\nkind: IsolationProfile\nmetadata: {name: bad}\nspec: {namespaces: [\"A\"]}\n");
        LaunchResult result = launcher.launch("render", "-f", bad.toString(), "--namespace", "a");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains(bad + ": bad: spec.namespaces[0]: ");
        assertThat(result.getOutputStream()).noneMatch(l -> l.equals("---"));

        LaunchResult noTarget = launcher.launch("render", "-f", "examples/seed-example.yaml");
        assertThat(noTarget.exitCode()).as("--namespace or --namespaces is required").isEqualTo(2);
        LaunchResult missing = launcher.launch("render", "-f", "examples/seed-example.yaml", "--namespaces",
                tmp.resolve("none.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
    }

    /** The YAML stream from the first "---" on (tests may interleave log lines before it). */
    static List<JsonNode> documents(LaunchResult result) throws IOException {
        List<String> lines = result.getOutputStream();
        int start = lines.indexOf("---");
        assertThat(start).as("a YAML stream in:\n" + result.getOutput()).isGreaterThanOrEqualTo(0);
        String yaml = String.join("\n", lines.subList(start, lines.size()));
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }
}
