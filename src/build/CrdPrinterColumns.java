import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Build step (pom.xml, exec-maven-plugin, process-classes): puts the printer columns of a CRD
 * written by fabric8's crd-generator into the order the contract gives. The generator sorts them
 * by name (AGE, CNI, ENFORCED, ...), and kubectl shows them in the order they are listed.
 *
 * <p>Run as a single-file program: {@code java src/build/CrdPrinterColumns.java <crd.yml> <Name,Name,...>}.
 * It rewrites the file in place, and fails when the columns in the file and the order given differ
 * (a column added to the model must be placed here too). Text-based on purpose: the generator's
 * layout is fixed, and a YAML round trip would reformat the whole file.
 */
public final class CrdPrinterColumns {

    private static final String BLOCK = "  - additionalPrinterColumns:";
    private static final String ENTRY = "    - jsonPath: ";
    private static final String NAME = "      name: \"";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CrdPrinterColumns <crd.yml> <Name,Name,...>");
        }
        Path file = Path.of(args[0]);
        List<String> order = Arrays.asList(args[1].split(","));
        List<String> lines = Files.readAllLines(file);
        int start = lines.indexOf(BLOCK);
        if (start < 0) {
            throw new IllegalStateException(file + ": no printer columns");
        }
        int end = start + 1;
        Map<String, List<String>> columns = new LinkedHashMap<>();
        List<String> current = null;
        while (end < lines.size() && lines.get(end).startsWith("    ") && !lines.get(end).startsWith("    name: ")) {
            String line = lines.get(end);
            if (line.startsWith(ENTRY)) {
                current = new ArrayList<>();
                columns.put("?" + columns.size(), current);
            }
            if (current == null) {
                throw new IllegalStateException(file + ":" + (end + 1) + ": unexpected line " + line);
            }
            current.add(line);
            end++;
        }
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (List<String> column : columns.values()) {
            String name = column.stream().filter(l -> l.startsWith(NAME)).findFirst()
                    .map(l -> l.substring(NAME.length(), l.length() - 1))
                    .orElseThrow(() -> new IllegalStateException(file + ": printer column without a name: " + column));
            byName.put(name, column);
        }
        if (!byName.keySet().equals(new java.util.HashSet<>(order)) || byName.size() != order.size()) {
            throw new IllegalStateException(file + ": printer columns " + byName.keySet() + " differ from the order given " + order);
        }
        List<String> result = new ArrayList<>(lines.subList(0, start + 1));
        order.forEach(name -> result.addAll(byName.get(name)));
        result.addAll(lines.subList(end, lines.size()));
        Files.write(file, result);
    }
}
