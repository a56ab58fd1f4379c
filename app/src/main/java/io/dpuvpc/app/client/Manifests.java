package io.dpuvpc.app.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.dpuvpc.http.document.Document;
import io.dpuvpc.http.document.DocumentException;
import io.dpuvpc.http.document.KindNames;
import io.dpuvpc.http.document.MediaKind;
import io.dpuvpc.http.document.ResourceDocuments;

/**
 * The documents of {@code -f} arguments, as kubectl reads them: a file (multi-document YAML, JSON,
 * or a List), {@code -} for stdin, or a directory's {@code *.yaml}, {@code *.yml} and {@code *.json}
 * in name order (not recursive). Parsed here with the server's own codec, so that each document's
 * kind, namespace and name give its URL, and a malformed file is refused before anything is sent.
 */
public final class Manifests {
    private Manifests() {}

    /** One document and where it came from (a file, or {@code <stdin>}). */
    public record Manifest(String source, Document document) {}

    /**
     * The documents of every argument, in order. {@code namespace}: given with {@code -n} (may be
     * null); namespaced documents without one get it (else {@value ResourceDocuments#DEFAULT_NAMESPACE}),
     * and a document naming another namespace is refused, as kubectl refuses it.
     */
    public static List<Manifest> read(List<String> arguments, String namespace, InputStream stdin) {
        List<Manifest> manifests = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.equals("-")) {
                manifests.addAll(parse("<stdin>", readStdin(stdin), namespace));
                continue;
            }
            for (Path file : files(Path.of(argument))) {
                manifests.addAll(parse(file.toString(), readFile(file), namespace));
            }
        }
        return manifests;
    }

    /** The documents of one text; its media type is JSON when it starts with '{' or '[', else YAML. */
    public static List<Manifest> parse(String source, String text, String namespace) {
        MediaKind media = text.stripLeading().startsWith("{") || text.stripLeading().startsWith("[")
                ? MediaKind.JSON : MediaKind.YAML;
        List<Document> documents;
        try {
            documents = ResourceDocuments.parse(text, media,
                    namespace != null ? namespace : ResourceDocuments.DEFAULT_NAMESPACE);
        } catch (DocumentException e) {
            throw new IllegalArgumentException(source + " is refused:\n" + e.problems().stream()
                    .map(p -> p.fieldPath().isEmpty() || p.message().startsWith(p.fieldPath()) ? p.message()
                            : p.fieldPath() + ": " + p.message())
                    .collect(Collectors.joining("\n")));
        }
        List<Manifest> manifests = new ArrayList<>();
        for (Document document : documents) {
            String own = document.key().namespace();
            if (namespace != null && KindNames.of(document.kind()).namespaced() && !own.equals(namespace)) {
                throw new IllegalArgumentException(source + ": the namespace of " + ResourcePaths.displayName(document)
                        + ", \"" + own + "\", does not match --namespace \"" + namespace + "\": pass -n " + own
                        + " or leave -n out");
            }
            manifests.add(new Manifest(source, document));
        }
        return manifests;
    }

    private static List<Path> files(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("-f " + path + ": no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            List<Path> files = entries.filter(Files::isRegularFile).filter(Manifests::isManifest).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("-f " + path + ": the directory has no *.yaml, *.yml or *.json file");
            }
            return files;
        } catch (IOException e) {
            throw new IllegalArgumentException("-f " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static String readFile(Path file) {
        try {
            return ResourceDocuments.decodeUtf8(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (DocumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static String readStdin(InputStream stdin) {
        try {
            return ResourceDocuments.decodeUtf8(stdin.readAllBytes());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read stdin: " + e.getMessage(), e);
        } catch (DocumentException e) {
            throw new IllegalArgumentException("<stdin>: " + e.getMessage(), e);
        }
    }
}
