package dev.isolation.operator.realapi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a cluster admin installs from kustomize/base, applied from the shipped files themselves:
 * the CRD, the operator's namespace, ServiceAccount, ClusterRole, Role and their bindings. The
 * operator then runs with a token of that ServiceAccount (TokenRequest API), not as admin.
 */
public final class ShippedInstall {

    public static final String NAMESPACE = "isolation-operator";
    public static final String SERVICE_ACCOUNT = "isolation-operator";
    /** The user name the API server gives the ServiceAccount's tokens (what the audit log records). */
    public static final String USER = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;

    static final List<Path> FILES = List.of(
            Path.of("crds", "isolationprofiles.isolation.dev-v1.yml"),
            Path.of("kustomize", "base", "namespace.yaml"),
            Path.of("kustomize", "base", "serviceaccount.yaml"),
            Path.of("kustomize", "base", "clusterrole.yaml"),
            Path.of("kustomize", "base", "clusterrolebinding.yaml"),
            Path.of("kustomize", "base", "role.yaml"),
            Path.of("kustomize", "base", "rolebinding.yaml"));

    private static boolean installed;

    private ShippedInstall() {
    }

    /** Server-side applies the shipped files (once per JVM; the server is shared). */
    public static synchronized void apply(KubernetesClient admin) {
        if (installed) {
            return;
        }
        applyTo(admin);
        installed = true;
    }

    /** Server-side applies the shipped files to the server of {@code admin}, e.g. a dedicated benchmark server. */
    public static void applyTo(KubernetesClient admin) {
        for (Path file : FILES) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata item : admin.load(in).items()) {
                    admin.resource(item).fieldManager("realapi-tests").forceConflicts().serverSideApply();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        admin.apiextensions().v1().customResourceDefinitions().withName("isolationprofiles.isolation.dev")
                .waitUntilCondition(crd -> crd.getStatus() != null && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                        60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A client authenticated as the operator's ServiceAccount with a freshly minted token. */
    public static KubernetesClient operatorClient(RealApiServer server, KubernetesClient admin, Interceptor... interceptors) {
        return operatorClient(server, admin, null, interceptors);
    }

    /**
     * The same with its own User-Agent (when not null): the audit log records it, so tests running
     * several instances can tell their requests apart (they all authenticate as the same user).
     */
    public static KubernetesClient operatorClient(RealApiServer server, KubernetesClient admin, String userAgent,
                                                  Interceptor... interceptors) {
        Config config = operatorConfig(server, admin);
        if (userAgent != null) {
            config.setUserAgent(userAgent);
        }
        return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(builder -> {
            for (int i = 0; i < interceptors.length; i++) {
                builder.addOrReplaceInterceptor("realapi-" + i, interceptors[i]);
            }
        }).build();
    }

    /** The client configuration of the operator's ServiceAccount, with a freshly minted token. */
    public static Config operatorConfig(RealApiServer server, KubernetesClient admin) {
        apply(admin);
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
        String token = admin.serviceAccounts().inNamespace(NAMESPACE).withName(SERVICE_ACCOUNT)
                .tokenRequest(request).getStatus().getToken();
        Config admin0 = server.adminConfig();
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(admin0.getMasterUrl())
                .withCaCertFile(admin0.getCaCertFile())
                .withCaCertData(admin0.getCaCertData())
                .withTrustCerts(admin0.getCaCertFile() == null && admin0.getCaCertData() == null)
                .withOauthToken(token)
                .withNamespace(NAMESPACE)
                .build();
    }
}
