package io.dpuvpc.http.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference's examples as the project keeps them, {@code examples/*.yaml} at the project root
 * (the first ancestor of the working directory that has them: Maven runs tests in the module's
 * folder).
 */
final class SpecExampleFiles {
    private SpecExampleFiles() {}

    static Path directory() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path examples = p.resolve("examples");
            if (Files.isRegularFile(examples.resolve("00-isolationclass.yaml"))) {
                return examples;
            }
        }
        throw new IllegalStateException("no examples/00-isolationclass.yaml in any ancestor of " + dir);
    }

    static String read(String fileName) {
        try {
            return Files.readString(directory().resolve(fileName), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
