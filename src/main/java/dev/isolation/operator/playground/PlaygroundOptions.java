package dev.isolation.operator.playground;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code playground} command's options. Parsed twice: once in {@code main} before Quarkus
 * boots (the HTTP port and the embedded API's URL must be settings by then), once by the command.
 */
public class PlaygroundOptions {

    @Option(names = "--cni", defaultValue = "calico", paramLabel = "<fixture>",
            description = "The real CNI install manifest to seed: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CniFixture cni;

    @Option(names = "--kubeconfig", defaultValue = "playground.kubeconfig", paramLabel = "<path>",
            description = "Where to write the kubeconfig for kubectl (default: ./${DEFAULT-VALUE}).")
    Path kubeconfig;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "<n>",
            description = "The dashboard's (and health/metrics') HTTP port (default: ${DEFAULT-VALUE}).")
    int port;
}
