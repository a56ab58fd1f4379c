package io.dpuvpc.http.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.validation.ValidationReasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns the trees of a body into {@link Document}s: expands Lists ({@code kind: List}, or a served
 * kind's {@code ...List}), checks the type meta and metadata, reads the spec, and collects every
 * problem of every document before refusing the body as a whole.
 */
final class DocumentReader {

    private final String defaultNamespace;
    private final List<DocumentProblem> problems = new ArrayList<>();
    private final List<Document> documents = new ArrayList<>();
    private int count;

    private DocumentReader(String defaultNamespace) {
        this.defaultNamespace = defaultNamespace;
    }

    /**
     * The documents of {@code roots}; paths are prefixed {@code documents[i].} when the body was a
     * stream of several YAML documents, and {@code items[j].} inside a List.
     */
    static List<Document> read(List<JsonNode> roots, String defaultNamespace) {
        DocumentReader reader = new DocumentReader(defaultNamespace);
        for (int i = 0; i < roots.size(); i++) {
            reader.root(roots.get(i), roots.size() > 1 ? FieldPaths.index("documents", i) : "");
        }
        if (!reader.problems.isEmpty()) {
            throw new DocumentException(reader.problems);
        }
        return List.copyOf(reader.documents);
    }

    private void root(JsonNode node, String path) {
        if (node.isNull()) {
            return; // an empty YAML document, e.g. after a trailing ---
        }
        if (!node.isObject()) {
            problems.add(notAnObject(path, node));
            return;
        }
        if (isList(node)) {
            list(FieldReader.of(node, path, problems));
        } else {
            document(FieldReader.of(node, path, problems), Optional.empty());
        }
    }

    private static boolean isList(JsonNode node) {
        JsonNode kind = node.get("kind");
        JsonNode apiVersion = node.get("apiVersion");
        return kind != null && kind.isTextual() && (kind.textValue().equals("List")
                || (apiVersion != null && apiVersion.isTextual()
                        && KindNames.byListKind(apiVersion.textValue(), kind.textValue()).isPresent()));
    }

    private void list(FieldReader list) {
        String apiVersion = list.string("apiVersion");
        String kind = list.string("kind");
        // A typed list's items may leave out their apiVersion and kind, as the API server's do.
        Optional<ServedKind> itemKind = KindNames.byListKind(apiVersion, kind);
        list.ignore("metadata");
        if (!list.has("items")) {
            problems.add(DocumentProblem.invalid(ValidationReasons.REQUIRED, list.child("items"),
                    list.child("items") + " is required in a " + kind + ": list the documents there"));
        }
        list.objects("items", item -> {
            document(item, itemKind);
            return item;
        });
        list.finish();
    }

    private void document(FieldReader doc, Optional<ServedKind> impliedKind) {
        if (++count > DocumentLimits.MAX_DOCUMENTS) {
            throw TreeReader.tooManyDocuments();
        }
        int problemsBefore = problems.size();
        String apiVersion = typeField(doc, "apiVersion", impliedKind.map(ServedKind::apiVersion));
        String kindName = typeField(doc, "kind", impliedKind.map(ServedKind::kindName));
        doc.ignore("status"); // the server's to write; accepted so that a document read can be sent back
        Optional<ServedKind> served = apiVersion == null || kindName == null
                ? Optional.empty()
                : KindNames.byTypeMeta(apiVersion, kindName);
        if (served.isEmpty()) {
            if (apiVersion != null && kindName != null) {
                problems.add(unknownKind(doc.child("kind"), apiVersion, kindName));
            }
            doc.ignore("metadata");
            doc.ignore("spec");
            doc.finish();
            return;
        }
        FieldReader metadata = doc.object("metadata");
        if (metadata == null && !doc.has("metadata")) {
            problems.add(DocumentProblem.invalid(ValidationReasons.REQUIRED, doc.child("metadata"),
                    doc.child("metadata") + " is required: give at least its name"));
        }
        MetadataFields meta = metadata == null ? null : metadata(metadata, served.get());
        FieldReader spec = doc.object("spec");
        Map<String, String> labels = meta == null ? null : meta.labels;
        Map<String, String> annotations = meta == null ? null : meta.annotations;
        Object specRecord = SpecReader.read(served.get().kind(), spec, labels, annotations);
        doc.finish();
        if (problems.size() == problemsBefore && meta != null) {
            ResourceKey key = new ResourceKey(served.get().kind(), meta.namespace, meta.name);
            documents.add(Document.of(key, labels, annotations, Optional.ofNullable(meta.resourceVersion), specRecord));
        }
    }

    private record MetadataFields(String name, String namespace, Map<String, String> labels,
                                  Map<String, String> annotations, String resourceVersion) {}

    private MetadataFields metadata(FieldReader m, ServedKind served) {
        String name = m.string("name");
        if (name == null && !m.has("name") || "".equals(name)) {
            problems.add(DocumentProblem.invalid(ValidationReasons.REQUIRED, m.child("name"),
                    m.child("name") + " is required: name the " + served.kindName() + ", e.g. \"example\""));
        }
        String namespace = m.string("namespace");
        if (served.namespaced()) {
            namespace = namespace == null || namespace.isEmpty() ? defaultNamespace : namespace;
        } else if (namespace != null && !namespace.isEmpty()) {
            problems.add(DocumentProblem.invalid(ValidationReasons.FIELD_NOT_ALLOWED, m.child("namespace"),
                    m.child("namespace") + ": " + served.kindName() + " is cluster scoped and has no namespace: remove it"));
            namespace = "";
        }
        Map<String, String> labels = m.stringMap("labels");
        Map<String, String> annotations = m.stringMap("annotations");
        String resourceVersion = m.string("resourceVersion");
        // Set by the server; accepted (type-checked, then ignored) so that a document read can be sent back.
        m.string("uid");
        m.longInteger("generation");
        m.string("creationTimestamp");
        m.finish();
        return new MetadataFields(name, namespace, labels, annotations, resourceVersion);
    }

    private String typeField(FieldReader doc, String field, Optional<String> implied) {
        String value = doc.string(field);
        if (value == null && !doc.has(field) && implied.isEmpty()) {
            problems.add(DocumentProblem.invalid(ValidationReasons.REQUIRED, doc.child(field),
                    doc.child(field) + " is required: every document names its apiVersion and kind, e.g. "
                            + "apiVersion: vpc.dpu.nvidia.com/v1alpha1, kind: DPUVPC"));
        }
        return value != null ? value : implied.orElse(null);
    }

    private static DocumentProblem unknownKind(String path, String apiVersion, String kind) {
        Optional<ServedKind> sameKind = KindNames.ignoringCase(kind);
        String advice;
        if (sameKind.isPresent() && sameKind.get().kindName().equals(kind)) {
            advice = "set apiVersion to " + sameKind.get().apiVersion();
        } else if (sameKind.isPresent()) {
            advice = "kinds are case-sensitive: write kind: " + sameKind.get().kindName()
                    + " with apiVersion " + sameKind.get().apiVersion();
        } else {
            advice = "the kinds served here are " + KindNames.served().stream()
                    .map(s -> s.apiVersion() + " " + s.kindName()).collect(Collectors.joining(", "));
        }
        return new DocumentProblem(ProblemCategory.UNKNOWN_KIND, DocumentProblem.UNKNOWN_KIND, path,
                "kind " + kind + " of apiVersion " + apiVersion + " is not served here: " + advice);
    }

    private static DocumentProblem notAnObject(String path, JsonNode node) {
        return FieldReader.wrongType(path, "an object with apiVersion, kind, metadata and spec", node);
    }
}
