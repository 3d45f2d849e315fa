package dev.isolation.operator.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests the way {@code kubectl apply -f} takes them: files, directories (their
 * {@code .yaml}, {@code .yml} and {@code .json} files, not recursive, in name order) and {@code -} for
 * stdin; YAML streams of several documents; {@code kind: List} expanded into its items.
 */
final class ManifestReader {

    static final String STDIN = "-";
    static final String STDIN_NAME = "<stdin>";

    /** One object and the file it came from, as the user named it. */
    record Document(String source, JsonNode node) {
    }

    /** What was read, and one message per input that could not be read ({@code <file>: <why>}). */
    record Result(List<Document> documents, List<String> unreadable) {
    }

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ManifestReader() {
    }

    static Result read(List<String> inputs, InputStream stdin) {
        List<Document> documents = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String input : inputs) {
            if (STDIN.equals(input)) {
                readStream(STDIN_NAME, () -> new String(stdin.readAllBytes(), StandardCharsets.UTF_8), documents, unreadable);
                continue;
            }
            Path path = Path.of(input);
            if (Files.isDirectory(path)) {
                List<Path> files = list(path, unreadable);
                files.forEach(f -> readStream(f.toString(), () -> Files.readString(f), documents, unreadable));
            } else if (!Files.exists(path)) {
                unreadable.add(input + ": no such file or directory");
            } else {
                readStream(input, () -> Files.readString(path), documents, unreadable);
            }
        }
        return new Result(documents, unreadable);
    }

    private static List<Path> list(Path dir, List<String> unreadable) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile).filter(ManifestReader::isManifest).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            unreadable.add(dir + ": " + e.getMessage());
            return List.of();
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    @FunctionalInterface
    private interface Content {
        String get() throws IOException;
    }

    private static void readStream(String source, Content content, List<Document> documents, List<String> unreadable) {
        List<Document> read = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(content.get())) {
            while (it.hasNextValue()) {
                add(source, it.nextValue(), read);
            }
        } catch (JsonProcessingException e) {
            // A file is taken whole or not at all: half a stream would make "valid" a lie.
            JsonLocation at = e.getLocation();
            unreadable.add(source + ": " + firstLine(e.getOriginalMessage())
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
            return;
        } catch (IOException | RuntimeException e) {
            unreadable.add(source + ": " + firstLine(e.getMessage()));
            return;
        }
        documents.addAll(read);
    }

    private static void add(String source, JsonNode node, List<Document> out) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return; // an empty document, e.g. after a trailing "---"
        }
        if (!node.isObject()) {
            throw new IOException("a document is not a Kubernetes object (a YAML mapping) but " + node.getNodeType());
        }
        if (node.path("kind").asText().equals("List") && node.path("items").isArray()) {
            for (JsonNode item : node.path("items")) {
                add(source, item, out);
            }
            return;
        }
        out.add(new Document(source, node));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
