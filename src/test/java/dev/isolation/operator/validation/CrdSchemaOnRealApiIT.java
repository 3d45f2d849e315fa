package dev.isolation.operator.validation;

import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileSpec;
import dev.isolation.operator.realapi.RealApiServer;
import dev.isolation.operator.realapi.ShippedInstall;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped CRD on a real API server against {@link ProfileValidator}, example by example from
 * {@link ProfileValidatorTest}: what the validator accepts, the server accepts; what the schema
 * (and its CEL rules) can express, the server rejects with the validator's field path. The rest
 * the operator alone reports in status (InvalidSpec); {@link #SCHEMA_REJECTS} names exactly which
 * examples the schema covers, so a schema change that adds or loses a rule shows up here.
 */
class CrdSchemaOnRealApiIT {

    /** Invalid examples the CRD schema itself rejects (everything else is left to the operator). */
    static final Set<String> SCHEMA_REJECTS = Set.of(
            "64-character name",
            "upper-case name",
            "underscore in name",
            "name ending in a dot",
            "254-character name: the 63 limit is the one reported",
            "long name with bad characters: both problems",
            "empty name",
            "null name",
            "nothing selected",
            "empty namespaces list only",
            "policy without name",
            "policy with empty name",
            "policy without spec",
            "upper-case policy name",
            "policy name with underscore",
            "bad profile name is not repeated per policy");

    private static KubernetesClient admin;

    @BeforeAll
    static void install() {
        admin = RealApiServer.get().adminClient();
        ShippedInstall.apply(admin);
    }

    @AfterAll
    static void close() {
        if (admin != null) {
            admin.close();
        }
    }

    private static IsolationProfile profile(String name, String yaml) {
        IsolationProfile profile = new IsolationProfile();
        profile.setMetadata(new ObjectMetaBuilder().withName(name).build());
        profile.setSpec(TestYaml.parse(yaml, IsolationProfileSpec.class));
        return profile;
    }

    /** Field paths of the server's rejection of a server-side dry-run create, or null if it accepted. */
    private static List<String> serverRejection(IsolationProfile profile) {
        try {
            admin.resources(IsolationProfile.class).resource(profile).dryRun().create();
            return null;
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
            return e.getStatus().getDetails().getCauses().stream().map(StatusCause::getField).toList();
        }
    }

    static Stream<Arguments> validProfiles() {
        return ProfileValidatorTest.validProfiles();
    }

    static Stream<Arguments> invalidProfiles() {
        return ProfileValidatorTest.invalidProfiles();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validProfiles")
    void whatTheValidatorAcceptsTheServerAccepts(String description, String name, String yaml) {
        assertThat(serverRejection(profile(name, yaml))).isNull();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidProfiles")
    void whatTheSchemaExpressesIsRejectedAtTheValidatorsPath(String description, String name, String yaml,
                                                             List<String> paths, String message) {
        List<String> rejection = serverRejection(profile(name, yaml));
        if (SCHEMA_REJECTS.contains(description)) {
            assertThat(rejection).as("the server must reject: " + description).isNotNull();
            assertThat(rejection).as("field paths of the server's causes").contains(paths.get(0));
        } else {
            assertThat(rejection).as("not expressed by the schema, so the server accepts it; the operator reports it")
                    .isNull();
        }
    }

    /** The contract's defaults for scalar fields, applied by the server itself. */
    @Test
    void scalarDefaultsAreAppliedByTheServer() {
        IsolationProfile created = admin.resources(IsolationProfile.class)
                .resource(profile("defaults", "namespaces: [default]\ndefaultDeny: {}\nallow: {}")).dryRun().create();
        IsolationProfileSpec spec = created.getSpec();
        assertThat(spec.getMode()).hasToString("Enforce");
        assertThat(spec.getVerification()).hasToString("Detect");
        assertThat(spec.getLegacyIsolationAnnotation()).hasToString("Auto");
        assertThat(spec.getDefaultDeny().getIngress()).isTrue();
        assertThat(spec.getDefaultDeny().getEgress()).isFalse();
        assertThat(spec.getAllow().getSameNamespace()).isTrue();
        assertThat(spec.getAllow().getDns()).isTrue();
        assertThat(spec.getAllow().getKubeApiServer()).isFalse();
        assertThat(spec.getAllow().getNodes()).isFalse();
    }

    /**
     * The contract's defaults when the user omits defaultDeny and allow altogether. Structural
     * defaulting never creates a missing parent object, so the CRD gives both {@code default: {}}
     * (found on the real server: without it, stored objects showed none of their defaults).
     */
    @Test
    void objectDefaultsAreAppliedByTheServer() {
        IsolationProfile created = admin.resources(IsolationProfile.class)
                .resource(profile("defaults", "namespaces: [default]")).dryRun().create();
        assertThat(created.getSpec().getDefaultDeny()).as("spec.defaultDeny").isNotNull();
        assertThat(created.getSpec().getAllow()).as("spec.allow").isNotNull();
        assertThat(created.getSpec().getDefaultDeny().getIngress()).isTrue();
        assertThat(created.getSpec().getAllow().getDns()).isTrue();
    }
}
