package dev.isolation.operator.cli;

import dev.isolation.operator.ApiServerTarget;
import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.config.OperatorConfig;
import dev.isolation.operator.playground.PlaygroundCommand;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * No subcommand: the operator, against the in-cluster config or KUBECONFIG, until stopped. An
 * unreachable API server ends it at once with one line on stderr (exit 1), before any informer
 * starts and fails with a stack trace.
 */
@TopCommand
@Command(name = "isolation-operator", mixinStandardHelpOptions = true,
        description = "Without a command: run the operator against the in-cluster config or KUBECONFIG.",
        subcommands = {ValidateCommand.class, RenderCommand.class, PlaygroundCommand.class})
public class OperatorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Inject
    KubernetesClient client;
    @Inject
    OperatorLauncher launcher;
    @Inject
    OperatorConfig config;

    @Override
    public Integer call() {
        if (config.startOnBoot()) {
            Optional<String> problem = new ApiServerTarget(client.getConfiguration()).unreachable(client);
            if (problem.isPresent()) {
                spec.commandLine().getErr().println(problem.get());
                return ExitCodes.UNREACHABLE;
            }
            launcher.start();
        }
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }
}
