package io.dpuvpc.http.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The admin API's document codec: parses the YAML or JSON that kubectl would send for our CRDs
 * into {@link Document}s of domain records, and renders resources back in Kubernetes shape. Pure:
 * no HTTP, no actors. A refused body is a {@link DocumentException} listing every problem with its
 * field path and HTTP category.
 *
 * <p>Accepted: one object; a multi-document YAML stream ({@code ---}, empty documents skipped); a
 * {@code List} (or {@code DPUVPCList} etc.) with {@code items}. Refused: unknown fields, a namespace
 * on a cluster-scoped kind, values of the wrong type, YAML aliases and custom tags, and bodies over
 * {@link DocumentLimits}. A namespaced document without a namespace gets the default namespace.
 */
public final class ResourceDocuments {
    private ResourceDocuments() {}

    /** The namespace of namespaced documents that name none, as kubectl's default context has it. */
    public static final String DEFAULT_NAMESPACE = "default";

    private static final ObjectMapper JSON_WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The start of a YAML 1.1 timestamp. */
    private static final Pattern YAML_TIMESTAMP = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}");
    /**
     * Quotes only where YAML needs them, as kubectl writes; strings that read as numbers, and times
     * (which YAML 1.1 readers such as PyYAML would turn into timestamps), stay quoted.
     */
    private static final ObjectMapper YAML_WRITER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new StringQuotingChecker.Default() {
                private static final long serialVersionUID = 1L;

                @Override
                public boolean needToQuoteValue(String value) {
                    return super.needToQuoteValue(value) || YAML_TIMESTAMP.matcher(value).lookingAt();
                }
            })
            .build());

    /** The documents of a body, namespaced ones without a namespace in {@value #DEFAULT_NAMESPACE}. */
    public static List<Document> parse(String body, MediaKind media) {
        return parse(body, media, DEFAULT_NAMESPACE);
    }

    /** The documents of a body; namespaced ones without a namespace get {@code defaultNamespace} (e.g. the URL's). */
    public static List<Document> parse(String body, MediaKind media, String defaultNamespace) {
        if (defaultNamespace == null || defaultNamespace.isBlank()) {
            throw new IllegalArgumentException("the default namespace must be a namespace, e.g. \"default\"");
        }
        return DocumentReader.read(TreeReader.read(body == null ? "" : body, media), defaultNamespace);
    }

    /**
     * A body's bytes as text, strictly UTF-8 (a leading byte order mark dropped); invalid bytes are
     * refused as MALFORMED with their offset.
     */
    public static String decodeUtf8(byte[] body) {
        return TreeReader.decodeUtf8(body);
    }

    /** As {@link #parse(String, MediaKind)} from raw bytes, which must be UTF-8. */
    public static List<Document> parse(byte[] body, MediaKind media) {
        return parse(body, media, DEFAULT_NAMESPACE);
    }

    /** As {@link #parse(String, MediaKind, String)} from raw bytes, which must be UTF-8. */
    public static List<Document> parse(byte[] body, MediaKind media, String defaultNamespace) {
        return parse(TreeReader.decodeUtf8(body), media, defaultNamespace);
    }

    /**
     * Parses, then runs each document's {@link Document#validate()}: the body is refused (INVALID)
     * with every domain error of every document, paths prefixed as in {@link #parse}.
     */
    public static List<Document> parseValid(String body, MediaKind media, String defaultNamespace) {
        List<Document> documents = parse(body, media, defaultNamespace);
        List<DocumentProblem> problems = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            String prefix = documents.size() > 1 ? FieldPaths.index("documents", i) : "";
            for (FieldError error : documents.get(i).validate()) {
                problems.add(DocumentProblem.of(prefix, error));
            }
        }
        if (!problems.isEmpty()) {
            throw new DocumentException(problems);
        }
        return documents;
    }

    /** As {@link #parseValid(String, MediaKind, String)} from raw bytes, which must be UTF-8. */
    public static List<Document> parseValid(byte[] body, MediaKind media, String defaultNamespace) {
        return parseValid(TreeReader.decodeUtf8(body), media, defaultNamespace);
    }

    /**
     * A resource in Kubernetes shape. {@code meta} (may be null) adds the server's metadata; {@code
     * status} (may be null) adds {@code status} with Kubernetes conditions. For a ServiceInterface,
     * {@code spec} is its {@link io.dpuvpc.actors.model.ServiceInterfaceTemplate}, whose labels and
     * annotations join the given ones.
     */
    public static ObjectNode render(ResourceKind kind, ResourceKey key, Map<String, String> labels,
                                    Map<String, String> annotations, Object spec, Metadata meta, DocumentStatus status) {
        return DocumentRenderer.render(kind, key, labels, annotations, spec, meta, status);
    }

    /** A document rendered back with the server's metadata and a status. */
    public static ObjectNode render(Document document, Metadata meta, DocumentStatus status) {
        return render(document.kind(), document.key(), document.labels(), document.annotations(), document.spec(),
                meta, status);
    }

    /** A list of rendered resources of one kind: {@code kind: DPUVPCList}, {@code items}. */
    public static ObjectNode renderList(ResourceKind kind, List<? extends JsonNode> items, String resourceVersion) {
        return DocumentRenderer.list(kind, items, resourceVersion);
    }

    public static String toJson(JsonNode tree) {
        try {
            return JSON_WRITER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a JSON tree always serializes", e);
        }
    }

    public static String toYaml(JsonNode tree) {
        try {
            return YAML_WRITER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a JSON tree always serializes", e);
        }
    }

    /** Several trees as one YAML stream, separated by {@code ---}. */
    public static String toYaml(List<? extends JsonNode> trees) {
        StringBuilder yaml = new StringBuilder();
        for (JsonNode tree : trees) {
            if (yaml.length() > 0) {
                yaml.append("---\n");
            }
            yaml.append(toYaml(tree));
        }
        return yaml.toString();
    }
}
