package dev.isolation.operator.playground;

/** The kubeconfig the playground writes for kubectl: one cluster, no credentials. Pure. */
final class Kubeconfig {

    static final String CONTEXT = "isolation-playground";

    private Kubeconfig() {
    }

    static String of(String serverUrl) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                    namespace: default
                current-context: %1$s
                users:
                - name: %1$s
                  user: {}
                """.formatted(CONTEXT, serverUrl);
    }
}
