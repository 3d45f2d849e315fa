package dev.isolation.operator.cli;

import dev.isolation.operator.playground.Playground;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Set;

/**
 * The jar's entry point: picocli on top of Quarkus. {@link #main} runs before Quarkus reads its
 * configuration, which is the only moment settings can depend on the command: the offline commands
 * (validate, render) must neither bind the HTTP port (an operator may already run on 8080) nor
 * write log lines into the YAML they print on stdout.
 */
@QuarkusMain
public class IsolationMain implements QuarkusApplication {

    /** Commands that work on files only: no cluster, no HTTP server, logs on stderr. */
    static final Set<String> OFFLINE_COMMANDS = Set.of("validate", "render");

    @Inject
    CommandLine commandLine;

    public static void main(String... args) {
        if (args.length > 0 && OFFLINE_COMMANDS.contains(args[0])) {
            offline();
        } else if (args.length > 0 && args[0].equals("playground")) {
            Playground.prepare(Arrays.copyOfRange(args, 1, args.length));
        }
        Quarkus.run(IsolationMain.class, args);
    }

    /** Explicit -D settings win: a system property already set is left alone. */
    static void offline() {
        System.getProperties().putIfAbsent("quarkus.http.host-enabled", "false");
        System.getProperties().putIfAbsent("quarkus.log.console.stderr", "true");
        System.getProperties().putIfAbsent("quarkus.log.level", "WARN");
    }

    @Override
    public int run(String... args) {
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }
}
