import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Build step (pom.xml, exec-maven-plugin, process-classes): limits {@code metadata.name} of a CRD
 * written by fabric8's crd-generator to a maximum length, in the schema's {@code metadata}
 * property. The generator cannot express it: it leaves metadata out of the schema, and a CEL rule
 * on the root is reported with no field at all ({@code <nil>}; a {@code fieldPath} into metadata
 * is refused). A CRD's root schema may restrict exactly metadata.name and metadata.generateName,
 * and the server then reports the error at {@code metadata.name}.
 *
 * <p>Run as a single-file program: {@code java src/build/CrdMetadataName.java <crd.yml> <maxLength> <description>}.
 * It rewrites the file in place and fails when the root schema is not where the generator puts it
 * or already has a metadata property. Text-based like CrdPrinterColumns, for the same reason.
 */
public final class CrdMetadataName {

    private static final String ROOT = "      openAPIV3Schema:";
    private static final String PROPERTIES = "        properties:";

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: CrdMetadataName <crd.yml> <maxLength> <description>");
        }
        Path file = Path.of(args[0]);
        int maxLength = Integer.parseInt(args[1]);
        String description = args[2].replace("\\", "\\\\").replace("\"", "\\\"");
        List<String> lines = Files.readAllLines(file);
        int root = lines.indexOf(ROOT);
        if (root < 0 || root + 1 >= lines.size() || !lines.get(root + 1).equals(PROPERTIES)) {
            throw new IllegalStateException(file + ": no root schema properties");
        }
        if (lines.contains("          metadata:")) {
            throw new IllegalStateException(file + ": the root schema already has a metadata property");
        }
        List<String> result = new ArrayList<>(lines.subList(0, root + 2));
        result.addAll(List.of(
                "          metadata:",
                "            properties:",
                "              name:",
                "                description: \"" + description + "\"",
                "                maxLength: " + maxLength,
                "                type: \"string\"",
                "            type: \"object\""));
        result.addAll(lines.subList(root + 2, lines.size()));
        Files.write(file, result);
    }
}
