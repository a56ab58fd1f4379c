package io.dpuvpc.http.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.actors.validation.ValidationReasons;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one object of a document, recording each problem (with its path) instead of
 * stopping at the first, so that one answer lists everything to fix. Every field a reader is asked
 * for becomes known; {@link #finish()} then refuses the object's other fields, so a misspelt field
 * is reported rather than silently dropped. An explicit {@code null} reads as absent, as in
 * Kubernetes.
 */
final class FieldReader {
    private final JsonNode node;
    private final String path;
    private final List<DocumentProblem> problems;
    private final Set<String> known = new LinkedHashSet<>();

    private FieldReader(JsonNode node, String path, List<DocumentProblem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** A reader of {@code node}, or null when it is absent, null, or (a problem recorded) not an object. */
    static FieldReader of(JsonNode node, String path, List<DocumentProblem> problems) {
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(wrongType(path, "an object", node));
            return null;
        }
        return new FieldReader(node, path, problems);
    }

    String path() {
        return path;
    }

    String child(String field) {
        return FieldPaths.child(path, field);
    }

    /** Whether the field is given (and not null); marks it known. */
    boolean has(String field) {
        known.add(field);
        return !absent(node.get(field));
    }

    /** Marks a field known without reading it: fields the server sets, which a client may echo back. */
    void ignore(String field) {
        known.add(field);
    }

    String string(String field) {
        JsonNode value = field(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(wrongType(child(field), "a string", value));
            return null;
        }
        return value.textValue();
    }

    Boolean bool(String field) {
        JsonNode value = field(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            problems.add(wrongType(child(field), "a boolean (true or false, without quotes)", value));
            return null;
        }
        return value.booleanValue();
    }

    Integer integer(String field) {
        JsonNode value = field(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problems.add(wrongType(child(field), "a whole number (without quotes)", value));
            return null;
        }
        return value.intValue();
    }

    Long longInteger(String field) {
        JsonNode value = field(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problems.add(wrongType(child(field), "a whole number (without quotes)", value));
            return null;
        }
        return value.longValue();
    }

    /** A map of strings to strings (labels, annotations, parameters); null when absent. */
    Map<String, String> stringMap(String field) {
        JsonNode value = field(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            problems.add(wrongType(child(field), "a map of strings", value));
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            JsonNode v = entry.getValue();
            if (v.isTextual()) {
                map.put(entry.getKey(), v.textValue());
            } else {
                problems.add(wrongType(FieldPaths.key(child(field), entry.getKey()), "a string", v));
            }
        }
        return map;
    }

    /** A list of strings; null when absent. */
    List<String> strings(String field) {
        return list(field, (item, itemPath) -> {
            if (!item.isTextual()) {
                problems.add(wrongType(itemPath, "a string", item));
                return null;
            }
            return item.textValue();
        });
    }

    /** The reader of a nested object; null when absent or not an object. */
    FieldReader object(String field) {
        JsonNode value = field(field);
        return value == null ? null : of(value, child(field), problems);
    }

    /** A list of objects, each read by {@code reader}; null when absent. Null entries are refused. */
    <T> List<T> objects(String field, Function<FieldReader, T> reader) {
        return list(field, (item, itemPath) -> {
            FieldReader r = of(item, itemPath, problems);
            if (r == null) {
                if (absent(item)) {
                    problems.add(DocumentProblem.invalid(ValidationReasons.REQUIRED,
                            itemPath, itemPath + " is null: give the entry's fields or remove the entry"));
                }
                return null;
            }
            return reader.apply(r);
        });
    }

    /** Reports every field of the object that no read asked for. */
    void finish() {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                problems.add(DocumentProblem.invalid(DocumentProblem.UNKNOWN_FIELD, child(name),
                        child(name) + " is not a field of " + FieldPaths.name(path) + ": " + Suggestions.suggest(name, known)));
            }
        }
    }

    private interface ItemReader<T> {
        T read(JsonNode item, String itemPath);
    }

    private <T> List<T> list(String field, ItemReader<T> reader) {
        JsonNode value = field(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            problems.add(wrongType(child(field), "a list", value));
            return null;
        }
        List<T> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            T item = reader.read(value.get(i), FieldPaths.index(child(field), i));
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    private JsonNode field(String field) {
        known.add(field);
        JsonNode value = node.get(field);
        return absent(value) ? null : value;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    static DocumentProblem wrongType(String path, String expected, JsonNode actual) {
        boolean scalarExpected = expected.startsWith("a boolean") || expected.startsWith("a whole number");
        String advice;
        if (actual.isTextual() && scalarExpected) {
            advice = ": write it without quotes";
        } else if ((actual.isNumber() || actual.isBoolean()) && expected.startsWith("a string")) {
            advice = ": quote it (\"" + actual.asText() + "\")";
        } else {
            advice = "";
        }
        return DocumentProblem.malformed(DocumentProblem.WRONG_TYPE, path,
                FieldPaths.name(path) + " must be " + expected + ", not " + describe(actual) + advice);
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            String text = value.textValue();
            return "the string \"" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "\"";
        }
        if (value.isNumber()) {
            return "the number " + value.asText();
        }
        if (value.isBoolean()) {
            return "the boolean " + value.asText();
        }
        return value.isArray() ? "a list" : value.isObject() ? "an object" : "null";
    }
}
