package dev.isolation.operator.ship;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static checks of the repository's {@code Dockerfile} (plain JUnit, no Quarkus, no Docker engine).
 *
 * <p><b>How the COPY sources are checked.</b> Surefire runs before {@code package}, so
 * {@code target/quarkus-app/} does not exist yet when this test runs in a clean build. This class
 * therefore asserts that every {@code COPY --from=build} source is one of the parts of Quarkus's
 * <em>documented</em> fast-jar layout ({@code target/quarkus-app/lib/}, {@code app/}, {@code quarkus/}
 * and the top-level {@code *.jar}, i.e. {@code quarkus-run.jar}) and that all four are copied.
 * That the layout really is what this build produces is checked against the disk by
 * {@link DockerfileLayoutIT}, which maven-failsafe runs in the {@code integration-test} phase,
 * i.e. after {@code package} has built {@code target/quarkus-app/} ({@code mvn verify}).
 */
class DockerfileTest {

    /** Quarkus fast-jar ({@code quarkus.package.jar.type=fast-jar}, the default) output, relative to the project. */
    static final Set<String> FAST_JAR_PARTS = Set.of(
            "target/quarkus-app/lib/",
            "target/quarkus-app/*.jar",
            "target/quarkus-app/app/",
            "target/quarkus-app/quarkus/");

    private static DockerfileModel dockerfile;

    @BeforeAll
    static void parse() throws IOException {
        dockerfile = DockerfileModel.parse(ShipFiles.resolve("Dockerfile"));
    }

    @Test
    void hasTwoStagesMavenBuildThenJava17Runtime() {
        assertThat(dockerfile.stages).hasSize(2);
        DockerfileModel.Stage build = dockerfile.stages.get(0);
        assertThat(build.from()).isEqualTo("maven:3.9-eclipse-temurin-17");
        assertThat(build.name()).isEqualTo("build");
        assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run.args()).contains("mvn -B -DskipTests package"));

        String runtime = dockerfile.finalStage().from();
        assertThat(runtime.equals("eclipse-temurin:17-jre") || runtime.startsWith("gcr.io/distroless/java17"))
                .as("runtime image %s is a Java 17 JRE", runtime).isTrue();
    }

    @Test
    void finalStageRunsAsNumericNonRootUser() {
        DockerfileModel.Instruction user = dockerfile.finalStage().last("USER");
        assertThat(user).as("final stage sets USER").isNotNull();
        assertThat(user.args()).matches("\\d+(:\\d+)?");
        int uid = Integer.parseInt(user.args().split(":")[0]);
        assertThat(uid).isNotZero().isEqualTo(185);
    }

    @Test
    void entrypointIsExecFormRunningQuarkusRunJar() throws IOException {
        DockerfileModel.Instruction entrypoint = dockerfile.finalStage().last("ENTRYPOINT");
        assertThat(entrypoint).isNotNull();
        assertThat(entrypoint.args()).as("exec form (JSON array)").startsWith("[").endsWith("]");
        List<String> argv = List.of(new ObjectMapper().readValue(entrypoint.args(), String[].class));
        assertThat(argv.get(0)).isEqualTo("java");
        assertThat(argv).contains("-XX:+ExitOnOutOfMemoryError",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        // Sized for the 512Mi limit by measurement (docs/benchmark.md, "Memory"): the heap ceiling plus
        // the JVM's native memory must stay under the limit, and a larger CPU limit must not switch to G1.
        assertThat(argv).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50.0", "-XX:MinHeapFreeRatio=20",
                "-XX:MaxHeapFreeRatio=40");
        assertThat(argv).noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:+UseG1GC"));
        // C1 only: C2's compile burst cost more CPU and resident memory than its faster code saved.
        assertThat(argv).contains("-XX:TieredStopAtLevel=1");
        int jar = argv.indexOf("-jar");
        assertThat(jar).isPositive();
        assertThat(argv.subList(jar + 1, argv.size())).first().isEqualTo("/deployments/quarkus-run.jar");
        // A shell-form CMD would be appended to the entrypoint's arguments via /bin/sh -c.
        assertThat(dockerfile.finalStage().all("CMD")).isEmpty();
    }

    @Test
    void exposesPort8080() {
        assertThat(dockerfile.finalStage().all("EXPOSE"))
                .anySatisfy(e -> assertThat(e.args().split("\\s+")).contains("8080"));
    }

    @Test
    void copiesExactlyTheQuarkusFastJarLayoutFromTheBuildStage() {
        String workdir = dockerfile.stages.get(0).last("WORKDIR").args();
        List<DockerfileModel.CopyFrom> copies = dockerfile.copiesFromOtherStages();
        assertThat(copies).isNotEmpty().allSatisfy(c -> {
            assertThat(c.stage()).isEqualTo("build");
            assertThat(c.destination()).startsWith("/deployments/");
        });
        Set<String> sources = copies.stream()
                .flatMap(c -> c.sources().stream())
                .map(s -> relativeToWorkdir(workdir, s))
                .collect(Collectors.toSet());
        assertThat(sources).containsExactlyInAnyOrderElementsOf(FAST_JAR_PARTS);
        // Directory parts keep their names under /deployments (quarkus-run.jar resolves them relatively).
        for (DockerfileModel.CopyFrom c : copies) {
            String src = relativeToWorkdir(workdir, c.sources().get(0));
            if (src.endsWith("/")) {
                String dir = src.substring("target/quarkus-app/".length());
                assertThat(c.destination()).isEqualTo("/deployments/" + dir);
            } else {
                assertThat(c.destination()).isEqualTo("/deployments/");
            }
        }
    }

    @Test
    void dockerignoreKeepsTheBuildInputs() throws IOException {
        List<String> lines = Files.readAllLines(ShipFiles.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        // The build stage copies pom.xml and src/; whatever .dockerignore excludes, it must re-include them.
        if (lines.contains("**") || lines.contains("*")) {
            assertThat(lines).contains("!pom.xml", "!src/");
        }
        assertThat(lines).doesNotContain("pom.xml", "src", "src/", "src/main", "src/main/");
    }

    static String relativeToWorkdir(String workdir, String source) {
        String prefix = workdir.endsWith("/") ? workdir : workdir + "/";
        return source.startsWith(prefix) ? source.substring(prefix.length()) : source;
    }
}
