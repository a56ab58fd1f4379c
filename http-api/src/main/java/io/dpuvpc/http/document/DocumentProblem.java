package io.dpuvpc.http.document;

import io.dpuvpc.actors.validation.FieldError;
import java.util.Objects;

/**
 * One thing wrong with a request body: its category, a CamelCase reason (those of {@link
 * io.dpuvpc.actors.validation.ValidationReasons} for domain rules, the constants here for the
 * codec's own), the field's path in Kubernetes notation ({@code spec.nodeSelector.matchLabels},
 * {@code items[2].spec.subnet}, {@code documents[1].metadata.name}; empty for the body as a whole)
 * and a message that says what is wrong and what to do.
 */
public record DocumentProblem(ProblemCategory category, String reason, String fieldPath, String message) {

    /** Not YAML or JSON (syntax, encoding, aliases, limits). */
    public static final String MALFORMED_BODY = "MalformedBody";
    /** A value of the wrong JSON type, e.g. a string where a boolean belongs. */
    public static final String WRONG_TYPE = "WrongType";
    /** A key given twice in one object. */
    public static final String DUPLICATE_FIELD = "DuplicateField";
    /** A field this kind does not have (often a typo). */
    public static final String UNKNOWN_FIELD = "UnknownField";
    /** An apiVersion/kind pair not served here. */
    public static final String UNKNOWN_KIND = "UnknownKind";

    public DocumentProblem {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(fieldPath, "fieldPath");
        Objects.requireNonNull(message, "message");
    }

    static DocumentProblem malformed(String reason, String fieldPath, String message) {
        return new DocumentProblem(ProblemCategory.MALFORMED, reason, fieldPath, message);
    }

    static DocumentProblem invalid(String reason, String fieldPath, String message) {
        return new DocumentProblem(ProblemCategory.INVALID, reason, fieldPath, message);
    }

    /** A domain validator's error, its path placed under {@code prefix} (e.g. {@code items[2]}). */
    public static DocumentProblem of(String prefix, FieldError error) {
        return invalid(error.reason(), FieldPaths.child(prefix, error.fieldPath()), error.message());
    }

    @Override
    public String toString() {
        return category + " " + reason + (fieldPath.isEmpty() ? "" : " at " + fieldPath) + ": " + message;
    }
}
