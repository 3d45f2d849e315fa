package dev.isolation.operator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code validate -f <file|dir|->…}: checks IsolationProfiles as the operator does, offline.
 * Errors go to stdout, one per line, so CI logs and PR annotations show them in order.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check IsolationProfiles exactly as the operator does, without a cluster.",
                "Prints <file>: <profile>: <field path>: <message> per error.",
                "Exit 0: all valid; 1: a profile is invalid; 2: an input could not be read."})
public class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ProfileFiles files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ManifestReader.Result read = files.read();
        read.unreadable().forEach(err::println);
        List<ProfileInput.Loaded> profiles = ProfileInput.load(read.documents());
        profiles.forEach(p -> p.errorLines().forEach(out::println));
        if (!read.unreadable().isEmpty()) {
            return ExitCodes.UNREADABLE;
        }
        if (profiles.isEmpty()) {
            err.println("no IsolationProfile found in " + files);
            return ExitCodes.UNREADABLE;
        }
        long invalid = profiles.stream().filter(p -> !p.valid()).count();
        if (invalid > 0) {
            err.println(invalid + " of " + profiles.size() + " profiles invalid");
            return ExitCodes.INVALID;
        }
        err.println(profiles.size() + " of " + profiles.size() + " profiles valid");
        return ExitCodes.OK;
    }
}
