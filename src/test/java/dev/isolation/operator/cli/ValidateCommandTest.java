package dev.isolation.operator.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code validate}: the operator's validation, offline, with the contract's output and exit codes. */
@QuarkusMainTest
class ValidateCommandTest {

    @TempDir
    Path tmp;

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyExampleIsValidAloneAndAsADirectory(QuarkusMainLauncher launcher) throws IOException {
        List<Path> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        for (Path example : examples) {
            LaunchResult result = launcher.launch("validate", "-f", example.toString());
            assertThat(result.exitCode()).as(example.toString()).isZero();
            assertThat(result.getErrorOutput()).contains("1 of 1 profiles valid");
        }
        LaunchResult all = launcher.launch("validate", "-f", "examples");
        assertThat(all.exitCode()).isZero();
        assertThat(all.getErrorOutput()).contains(examples.size() + " of " + examples.size() + " profiles valid");
    }

    @Test
    void invalidProfilesPrintOneLinePerErrorWithFileProfileAndFieldPath(QuarkusMainLauncher launcher) throws IOException {
        Path file = write("bad.yaml", """
                apiVersion: isolation.dev/v1alpha1
                kind: IsolationProfile
                metadata:
                  name: ok
                spec:
                  namespaces: [a]
                ---
                apiVersion: isolation.dev/v1alpha1
                kind: IsolationProfile
                metadata:
                  name: broken
                spec:
                  namespaces: [Not_A_Name]
                  namespaceLabels: {"isolation.dev/owned": "x"}
                  policies:
                  - name: web
                    spec:
                      podSelector: {}
                      ingress:
                      - ports: [{port: 90, endPort: 80}]
                """);
        LaunchResult result = launcher.launch("validate", "-f", file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        List<String> lines = errorLines(result, file);
        assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith(file + ": broken: "));
        assertThat(lines).anyMatch(l -> l.startsWith(file + ": broken: spec.namespaces[0]: \"Not_A_Name\" "));
        assertThat(lines).anyMatch(l -> l.startsWith(file + ": broken: spec.namespaceLabels[isolation.dev/owned]: Forbidden"));
        assertThat(lines).anyMatch(l -> l.startsWith(file + ": broken: spec.policies[0].spec.ingress[0].ports[0].endPort: "));
        assertThat(result.getErrorOutput()).contains("1 of 2 profiles invalid");
    }

    @Test
    void wrongTypesApiVersionAndDuplicateNamesAreErrorsAtTheirField(QuarkusMainLauncher launcher) throws IOException {
        Path file = write("types.yaml", """
                apiVersion: isolation.dev/v1
                kind: IsolationProfile
                metadata: {name: p}
                spec:
                  namespaces: [a]
                  defaultDeny: {ingress: sometimes}
                ---
                apiVersion: isolation.dev/v1alpha1
                kind: IsolationProfile
                metadata: {name: p}
                spec: {namespaces: [b]}
                """);
        LaunchResult result = launcher.launch("validate", "-f", file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(errorLines(result, file)).contains(
                file + ": p: apiVersion: Unsupported value: \"isolation.dev/v1\": supported values: \"isolation.dev/v1alpha1\"")
                .anyMatch(l -> l.startsWith(file + ": p: spec.defaultDeny.ingress: Invalid value: "))
                .anyMatch(l -> l.startsWith(file + ": p: metadata.name: Duplicate value: \"p\" is also defined in " + file));
    }

    @Test
    void unreadableInputExitsTwoEvenWhenOtherFilesAreInvalid(QuarkusMainLauncher launcher) throws IOException {
        Path syntax = write("syntax.yaml", "apiVersion: isolation.dev/v1alpha1\nkind: IsolationProfile\nmetadata: {name: [\n");
        Path invalid = write("invalid.yaml", "apiVersion: isolation.dev/v1alpha1\nkind: IsolationProfile\nmetadata: {name: x}\nspec: {}\n");
        LaunchResult result = launcher.launch("validate", "-f", syntax.toString(), "-f", invalid.toString(),
                "-f", tmp.resolve("missing.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains(syntax + ": ").contains(tmp.resolve("missing.yaml") + ": no such file or directory");
        assertThat(result.getOutput()).contains(invalid + ": x: spec: at least one of");
    }

    @Test
    void inputWithoutAnyProfileIsUnreadableNotValid(QuarkusMainLauncher launcher) throws IOException {
        Path other = write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        LaunchResult result = launcher.launch("validate", "-f", other.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("no IsolationProfile found in " + other);
    }

    @Test
    void directoriesTakeYamlFilesAndKindListItems(QuarkusMainLauncher launcher) throws IOException {
        write("list.yml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: isolation.dev/v1alpha1
                  kind: IsolationProfile
                  metadata: {name: from-list}
                  spec: {namespaces: ["UPPER"]}
                """);
        write("notes.txt", "not a manifest: [");
        LaunchResult result = launcher.launch("validate", "-f", tmp.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutput()).contains(tmp.resolve("list.yml") + ": from-list: spec.namespaces[0]: \"UPPER\" ");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    /** Quarkus may log to the same stream in tests; the command's own lines start with the file name. */
    private static List<String> errorLines(LaunchResult result, Path file) {
        return result.getOutputStream().stream().filter(l -> l.startsWith(file.toString())).toList();
    }
}
