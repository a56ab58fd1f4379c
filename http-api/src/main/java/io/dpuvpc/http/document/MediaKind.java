package io.dpuvpc.http.document;

import java.util.Locale;
import java.util.Optional;

/** The two encodings of a document body, as kubectl sends them. */
public enum MediaKind {
    YAML("application/yaml"),
    JSON("application/json");

    private final String contentType;

    MediaKind(String contentType) {
        this.contentType = contentType;
    }

    /** The content type to answer with. */
    public String contentType() {
        return contentType;
    }

    /**
     * The kind of a request's {@code Content-Type} (parameters such as {@code charset} ignored):
     * {@code application/json} and {@code +json} types are JSON; {@code application/yaml},
     * {@code application/x-yaml}, {@code text/yaml} and {@code text/x-yaml} are YAML.
     */
    public static Optional<MediaKind> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.endsWith("+json")) {
            return Optional.of(JSON);
        }
        if (type.equals("application/yaml") || type.equals("application/x-yaml")
                || type.equals("text/yaml") || type.equals("text/x-yaml") || type.endsWith("+yaml")) {
            return Optional.of(YAML);
        }
        return Optional.empty();
    }
}
