package dev.isolation.operator.ship;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates files of the repository for the "ship it" tests (Dockerfile, kustomize, gitops...). */
final class ShipFiles {

    private ShipFiles() {
    }

    /** The repository root: the nearest directory at or above the working directory holding pom.xml. */
    static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("src"))) {
                return p;
            }
        }
        throw new IllegalStateException("no pom.xml at or above " + dir);
    }

    static Path resolve(String relative) {
        return repoRoot().resolve(relative);
    }
}
