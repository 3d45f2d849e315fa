package dev.isolation.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Installs or upgrades the IsolationProfile CRD shipped in the jar. Off by default: in a cluster
 * the CRD comes with the kustomize install and the operator's RBAC has no rights on CRDs. It makes
 * "run the operator against my current kubeconfig context" a single command.
 */
final class CrdInstaller {

    static final String RESOURCE = "/META-INF/crds/isolationprofiles.isolation.dev-v1.yml";
    private static final Logger LOG = Logger.getLogger(CrdInstaller.class);

    private CrdInstaller() {
    }

    static void install(KubernetesClient client) {
        try (InputStream in = CrdInstaller.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(NonDeletingOperation::update);
            LOG.infof("installed CRD %s", crd.getMetadata().getName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
