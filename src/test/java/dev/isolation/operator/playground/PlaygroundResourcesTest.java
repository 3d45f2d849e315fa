package dev.isolation.operator.playground;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The playground's packaged copies stay identical to their sources of truth. */
class PlaygroundResourcesTest {

    @ParameterizedTest
    @EnumSource(CniFixture.class)
    void theCniManifestIsTheUnchangedUpstreamFixture(CniFixture cni) throws IOException {
        byte[] fixture = Files.readAllBytes(Path.of("src/test/resources/fixtures/cni/" + cni.name() + ".yaml"));
        try (InputStream packaged = PlaygroundResourcesTest.class.getResourceAsStream(cni.resource())) {
            assertThat(packaged).as(cni.resource()).isNotNull();
            assertThat(packaged.readAllBytes()).isEqualTo(fixture);
        }
    }

    @Test
    void everyExampleIsSeededAndPackaged() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")))
                    .containsExactlyInAnyOrderElementsOf(PlaygroundSeed.EXAMPLES);
        }
        for (String example : PlaygroundSeed.EXAMPLES) {
            assertThat(PlaygroundResourcesTest.class.getResource("/playground/examples/" + example)).as(example).isNotNull();
        }
    }

    @Test
    void theKubeconfigPointsKubectlAtThePlaygroundWithoutCredentials() {
        Config config = KubeConfigUtils.parseConfigFromString(Kubeconfig.of("http://127.0.0.1:4242"));

        assertThat(config.getCurrentContext()).isEqualTo(Kubeconfig.CONTEXT);
        assertThat(config.getClusters()).singleElement().satisfies(c -> assertThat(c.getCluster().getServer())
                .isEqualTo("http://127.0.0.1:4242"));
        assertThat(config.getUsers()).singleElement().satisfies(u -> {
            assertThat(u.getUser().getToken()).isNull();
            assertThat(u.getUser().getClientKeyData()).isNull();
        });
    }
}
