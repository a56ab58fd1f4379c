package io.dpuvpc.http.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference examples, {@code /work/shared/spec/examples/*.yaml}: found as {@code
 * shared/spec/examples} beside an ancestor of the working directory (Maven runs tests in the
 * module directory, so from {@code main/http-api} that is {@code ../../shared}, i.e. {@code
 * ../shared} from the project).
 */
final class SpecExampleFiles {
    private SpecExampleFiles() {}

    static Path directory() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path examples = p.resolve("shared/spec/examples");
            if (Files.isDirectory(examples)) {
                return examples;
            }
        }
        throw new IllegalStateException("no shared/spec/examples beside any ancestor of " + dir);
    }

    static String read(String fileName) {
        try {
            return Files.readString(directory().resolve(fileName), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
