package dev.isolation.operator.cli;

import picocli.CommandLine.Option;

import java.util.List;

/** The {@code -f} option shared by validate and render (a picocli mixin). */
public class ProfileFiles {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "<file|dir|->",
            description = "Profile manifests: a file, a directory (its *.yaml, *.yml, *.json) or - for stdin. Repeatable.")
    List<String> files;

    ManifestReader.Result read() {
        return ManifestReader.read(files, System.in);
    }

    @Override
    public String toString() {
        return String.join(", ", files);
    }
}
