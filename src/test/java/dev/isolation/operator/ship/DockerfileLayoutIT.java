package dev.isolation.operator.ship;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Dockerfile's {@code COPY --from=build} sources against the real build output.
 *
 * <p>Runs under maven-failsafe in the {@code integration-test} phase ({@code mvn verify}), after
 * {@code package} has produced the Quarkus fast-jar in {@code target/quarkus-app/}. It fails (rather
 * than skipping) when {@code quarkus-run.jar} is missing, because in that phase it must exist.
 * The static layout checks live in {@link DockerfileTest}.
 */
class DockerfileLayoutIT {

    @Test
    void everyCopySourceExistsInThePackagedApplication() throws IOException {
        Path root = ShipFiles.repoRoot();
        assertThat(root.resolve("target/quarkus-app/quarkus-run.jar"))
                .as("mvn package must have built the Quarkus fast-jar before integration tests").isRegularFile();

        DockerfileModel dockerfile = DockerfileModel.parse(root.resolve("Dockerfile"));
        String workdir = dockerfile.stages.get(0).last("WORKDIR").args();
        List<String> sources = dockerfile.copiesFromOtherStages().stream()
                .flatMap(c -> c.sources().stream())
                .map(s -> DockerfileTest.relativeToWorkdir(workdir, s))
                .toList();
        assertThat(sources).isNotEmpty();

        for (String source : sources) {
            if (source.contains("*")) {
                Path dir = root.resolve(source.substring(0, source.lastIndexOf('/')));
                PathMatcher glob = FileSystems.getDefault()
                        .getPathMatcher("glob:" + source.substring(source.lastIndexOf('/') + 1));
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.filter(f -> glob.matches(f.getFileName())).toList())
                            .as("files matching %s", source).isNotEmpty();
                }
            } else {
                Path path = root.resolve(source);
                assertThat(path).as(source).exists();
                if (source.endsWith("/")) {
                    try (Stream<Path> files = Files.list(path)) {
                        assertThat(files.toList()).as("%s is not empty", source).isNotEmpty();
                    }
                }
            }
        }
        // The top-level jar glob must bring quarkus-run.jar, the ENTRYPOINT's target.
        assertThat(sources).contains("target/quarkus-app/*.jar");
    }
}
