package dev.isolation.operator.ship;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal Dockerfile parser for static checks: joins backslash continuations, drops comments
 * and parser directives, and splits instructions into build stages at each FROM.
 */
final class DockerfileModel {

    record Instruction(String keyword, String args) {
    }

    record Stage(String from, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Instruction last(String keyword) {
            List<Instruction> list = all(keyword);
            return list.isEmpty() ? null : list.get(list.size() - 1);
        }
    }

    /** A {@code COPY --from=<stage> <src>... <dest>} instruction. */
    record CopyFrom(String stage, List<String> sources, String destination) {
    }

    final List<Stage> stages;

    private DockerfileModel(List<Stage> stages) {
        this.stages = stages;
    }

    static DockerfileModel parse(Path file) throws IOException {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.startsWith("#")) {
                continue; // comments and parser directives (also inside continuations)
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String joined = current.toString().strip();
            current.setLength(0);
            if (!joined.isEmpty()) {
                logical.add(joined);
            }
        }
        if (!current.toString().isBlank()) {
            logical.add(current.toString().strip());
        }

        List<Stage> stages = new ArrayList<>();
        List<Instruction> currentStage = null;
        for (String line : logical) {
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String args = parts.length > 1 ? parts[1].strip() : "";
            if (keyword.equals("FROM")) {
                String[] from = args.split("\\s+");
                int i = 0;
                while (i < from.length && from[i].startsWith("--")) {
                    i++; // --platform=...
                }
                String image = from[i];
                String name = (from.length >= i + 3 && from[i + 1].equalsIgnoreCase("AS")) ? from[i + 2] : null;
                currentStage = new ArrayList<>();
                stages.add(new Stage(image, name, currentStage));
            } else if (currentStage != null) {
                currentStage.add(new Instruction(keyword, args));
            } else if (!keyword.equals("ARG")) {
                throw new IllegalArgumentException("instruction before the first FROM: " + line);
            }
        }
        return new DockerfileModel(stages);
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    /** Every {@code COPY --from=...} of the final stage (shell form only; exec form is not used here). */
    List<CopyFrom> copiesFromOtherStages() {
        List<CopyFrom> result = new ArrayList<>();
        for (Instruction copy : finalStage().all("COPY")) {
            List<String> tokens = new ArrayList<>(List.of(copy.args().split("\\s+")));
            String stage = null;
            while (!tokens.isEmpty() && tokens.get(0).startsWith("--")) {
                String flag = tokens.remove(0);
                if (flag.startsWith("--from=")) {
                    stage = flag.substring("--from=".length());
                }
            }
            if (stage != null && tokens.size() >= 2) {
                result.add(new CopyFrom(stage, List.copyOf(tokens.subList(0, tokens.size() - 1)),
                        tokens.get(tokens.size() - 1)));
            }
        }
        return result;
    }
}
