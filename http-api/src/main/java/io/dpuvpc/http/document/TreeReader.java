package io.dpuvpc.http.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a body into JSON trees, one per YAML document (a JSON body holds exactly one), enforcing
 * {@link DocumentLimits}. It builds the tree from the token stream itself rather than with {@code
 * readTree}, to refuse what would otherwise pass silently: Jackson reports a YAML alias as a plain
 * string holding the anchor's name (so {@code *base} would become the text "base"), and a key given
 * twice keeps only the last value. Jackson never constructs types from YAML tags, so a tag such as
 * {@code !!java.lang.Runtime} cannot instantiate anything; we refuse all but the plain-data tags
 * anyway, so that no later change of library can make them mean something.
 */
final class TreeReader {
    private TreeReader() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The tags of plain data (YAML's core schema); any other could only ask for a type to construct. */
    private static final Set<String> PLAIN_TAGS = Set.of("str", "int", "bool", "float", "null", "map", "seq")
            .stream().map(t -> "tag:yaml.org,2002:" + t).collect(Collectors.toUnmodifiableSet());

    /** The parsers' own depth fences sit just above ours, so that our message is the one users see. */
    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(DocumentLimits.MAX_DEPTH + 2)
            .build();

    static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
    static final YAMLFactory YAML = YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(CONSTRAINTS)
            .build();

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        // Aliases are refused outright below; these keep SnakeYAML itself bounded should that change.
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(DocumentLimits.MAX_DEPTH + 2);
        options.setCodePointLimit(DocumentLimits.MAX_YAML_CODE_POINTS);
        // Duplicates are refused in value() below, which knows the field's path; left to Jackson they
        // would be reported by line only.
        options.setAllowDuplicateKeys(true);
        return options;
    }

    /** Decodes a body as strict UTF-8 (a leading byte order mark dropped); invalid bytes are MALFORMED. */
    static String decodeUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(body);
        try {
            CharBuffer chars = decoder.decode(bytes);
            String text = chars.toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.MALFORMED_BODY, "",
                    "the body is not valid UTF-8 (invalid bytes near offset " + firstInvalidByte(body)
                            + "): send it encoded as UTF-8"));
        }
    }

    private static int firstInvalidByte(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length + 1);
        decoder.decode(in, out, true);
        return in.position();
    }

    /**
     * The root values of {@code body}: for YAML one per document in stream order, an empty document
     * as a {@link NullNode} (so that indices match the user's count of {@code ---}); for JSON exactly
     * one.
     */
    static List<JsonNode> read(String body, MediaKind media) {
        List<JsonNode> roots = new ArrayList<>();
        try (JsonParser parser = (media == MediaKind.YAML ? YAML : JSON).createParser(body)) {
            while (parser.nextToken() != null) {
                if (roots.size() == DocumentLimits.MAX_DOCUMENTS) {
                    throw tooManyDocuments();
                }
                if (media == MediaKind.JSON && roots.size() == 1) {
                    throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.MALFORMED_BODY, "",
                            "the JSON body holds more than one value: send one object, or a List with items"));
                }
                JsonNode root = value(parser, roots.size() == 0 ? "" : FieldPaths.index("documents", roots.size()), 1);
                // Jackson reads an empty YAML document (e.g. after a trailing ---) as the empty string.
                boolean emptyYaml = media == MediaKind.YAML && root.isTextual() && root.textValue().isEmpty();
                roots.add(emptyYaml ? NullNode.getInstance() : root);
            }
        } catch (JsonProcessingException e) {
            throw DocumentException.of(syntax(media, roots.size(), e.getOriginalMessage(), e.getLocation()));
        } catch (IOException e) {
            throw DocumentException.of(syntax(media, roots.size(), e.getMessage(), null));
        } catch (YAMLException e) {
            // SnakeYAML's own limits (code points, nesting) may surface as its unchecked exception.
            throw DocumentException.of(syntax(media, roots.size(), e.getMessage(), null));
        }
        // An empty YAML stream is a valid stream of no documents; an empty JSON body is no JSON at all.
        if (media == MediaKind.JSON && (roots.isEmpty() || roots.get(0).isNull())) {
            throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.MALFORMED_BODY, "",
                    "the JSON body is " + (roots.isEmpty() ? "empty" : "null") + ": send one object, or a List with items"));
        }
        return roots;
    }

    static DocumentException tooManyDocuments() {
        return DocumentException.of(DocumentProblem.malformed(DocumentProblem.MALFORMED_BODY, "",
                "the body holds more than " + DocumentLimits.MAX_DOCUMENTS + " documents: split it into several requests"));
    }

    private static DocumentProblem syntax(MediaKind media, int document, String detail, JsonLocation location) {
        String where = location == null || location.getLineNr() < 1
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        String firstLine = detail == null ? "" : detail.lines().findFirst().orElse("");
        return DocumentProblem.malformed(DocumentProblem.MALFORMED_BODY,
                document == 0 ? "" : FieldPaths.index("documents", document),
                "the body is not valid " + media + where + ": " + firstLine + ": correct the syntax");
    }

    /**
     * A number, kept exact. Jackson refuses with an unchecked NumberFormatException a number whose
     * exponent does not fit a BigDecimal's scale (e.g. {@code 1.5E2222222222}): that is the user's
     * input, so it is refused like any other value, naming the field, not left to escape as an
     * internal error. (No field of ours takes a fraction; the validators refuse those by field.)
     */
    private static JsonNode number(JsonParser parser, String path) throws IOException {
        try {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return NODES.numberNode(parser.getDecimalValue());
            }
            return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? NODES.numberNode(parser.getBigIntegerValue())
                    : NODES.numberNode(parser.getLongValue());
        } catch (NumberFormatException e) {
            String text = parser.getText();
            String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
            throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.WRONG_TYPE, path,
                    FieldPaths.name(path) + " holds the number " + shown
                            + ", which is out of range: write an ordinary number, or quote it to make it text"));
        }
    }

    /** The value at the parser's current token, which is at nesting {@code depth}. */
    private static JsonNode value(JsonParser parser, String path, int depth) throws IOException {
        if (parser instanceof YAMLParser yaml) {
            refuseAliasesAndTags(yaml, path);
        }
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                checkDepth(path, depth);
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String child = FieldPaths.child(path, name);
                    if (object.has(name)) {
                        throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.DUPLICATE_FIELD, child,
                                FieldPaths.name(child) + " is given twice: keep one of them"));
                    }
                    parser.nextToken();
                    object.set(name, value(parser, child, depth + 1));
                }
                return object;
            }
            case START_ARRAY -> {
                checkDepth(path, depth);
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser, FieldPaths.index(path, array.size()), depth + 1));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return number(parser, path);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NullNode.getInstance();
            }
            default -> throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.WRONG_TYPE, path,
                    FieldPaths.name(path) + " holds a value that is neither text, number, boolean, list nor object"
                            + " (e.g. !!binary): write plain YAML or JSON values"));
        }
    }

    private static void refuseAliasesAndTags(YAMLParser yaml, String path) throws IOException {
        if (yaml.isCurrentAlias()) {
            throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.MALFORMED_BODY, path,
                    FieldPaths.name(path) + " is a YAML alias (*" + yaml.getText()
                            + "): aliases and merge keys are not accepted; write the value out in full"));
        }
        String tag = yaml.getTypeId();
        if (tag != null && !PLAIN_TAGS.contains(tag)) {
            throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.MALFORMED_BODY, path,
                    FieldPaths.name(path) + " carries the YAML tag " + tag
                            + ": only the plain tags (!!str, !!int, !!bool, !!float, !!null, !!map, !!seq) are accepted;"
                            + " remove it"));
        }
    }

    private static void checkDepth(String path, int depth) {
        if (depth > DocumentLimits.MAX_DEPTH) {
            throw DocumentException.of(DocumentProblem.malformed(DocumentProblem.MALFORMED_BODY, path,
                    FieldPaths.name(path) + " is nested more than " + DocumentLimits.MAX_DEPTH
                            + " levels deep: no resource has fields that deep; flatten the document"));
        }
    }
}
