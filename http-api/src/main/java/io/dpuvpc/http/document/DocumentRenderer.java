package io.dpuvpc.http.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds Kubernetes-shaped trees: apiVersion, kind, metadata, spec, status; and Lists of them. */
final class DocumentRenderer {
    private DocumentRenderer() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** For the extra status fields only: their values are whatever plain data the caller has. */
    private static final ObjectMapper VALUES = new ObjectMapper();

    static ObjectNode render(ResourceKind kind, ResourceKey key, Map<String, String> labels,
                             Map<String, String> annotations, Object spec, Metadata meta, DocumentStatus status) {
        ServedKind served = KindNames.of(kind);
        if (key.kind() != kind) {
            throw new IllegalArgumentException("key " + key + " is not of kind " + kind.kindName());
        }
        if (spec != null && !served.specType().isInstance(spec)) {
            throw new IllegalArgumentException(kind.kindName() + "'s spec is a " + served.specType().getSimpleName());
        }
        ObjectNode root = NODES.objectNode();
        root.put("apiVersion", served.apiVersion());
        root.put("kind", served.kindName());
        Map<String, String> allLabels = new TreeMap<>(labels == null ? Map.of() : labels);
        Map<String, String> allAnnotations = new TreeMap<>(annotations == null ? Map.of() : annotations);
        if (spec instanceof ServiceInterfaceTemplate template) {
            // The template's metadata is the ServiceInterface's own (see Document).
            allLabels.putAll(template.metadata().labels());
            allAnnotations.putAll(template.metadata().annotations());
        }
        root.set("metadata", metadata(served, key, allLabels, allAnnotations, meta == null ? Metadata.NONE : meta));
        ObjectNode specNode = spec(spec);
        if (specNode != null) {
            root.set("spec", specNode);
        }
        if (status != null) {
            root.set("status", status(status));
        }
        return root;
    }

    static ObjectNode list(ResourceKind kind, List<? extends JsonNode> items, String resourceVersion) {
        ServedKind served = KindNames.of(kind);
        ObjectNode root = NODES.objectNode();
        root.put("apiVersion", served.apiVersion());
        root.put("kind", served.listKind());
        ObjectNode metadata = root.putObject("metadata");
        SpecWriter.putText(metadata, "resourceVersion", resourceVersion);
        ArrayNode array = root.putArray("items");
        items.forEach(array::add);
        return root;
    }

    private static ObjectNode metadata(ServedKind served, ResourceKey key, Map<String, String> labels,
                                       Map<String, String> annotations, Metadata meta) {
        ObjectNode node = NODES.objectNode();
        node.put("name", key.name());
        if (served.namespaced()) {
            node.put("namespace", key.namespace());
        }
        SpecWriter.putText(node, "uid", meta.uid());
        if (meta.generation() > 0) {
            node.put("generation", meta.generation());
        }
        SpecWriter.putText(node, "resourceVersion", meta.resourceVersion());
        if (meta.creationTimestamp() != null) {
            node.put("creationTimestamp", rfc3339(meta.creationTimestamp()));
        }
        SpecWriter.putMap(node, "labels", labels);
        SpecWriter.putMap(node, "annotations", annotations);
        return node;
    }

    private static ObjectNode spec(Object spec) {
        if (spec instanceof IsolationClassSpec s) {
            return SpecWriter.isolationClass(s);
        } else if (spec instanceof DpuVpcSpec s) {
            return SpecWriter.dpuVpc(s);
        } else if (spec instanceof DpuVirtualNetworkSpec s) {
            return SpecWriter.virtualNetwork(s);
        } else if (spec instanceof DpuServiceInterfaceSpec s) {
            return SpecWriter.dpuServiceInterface(s);
        } else if (spec instanceof ServiceInterfaceTemplate s) {
            return s.spec() == null ? null : SpecWriter.interfaceSpec(s.spec());
        }
        return null;
    }

    private static ObjectNode status(DocumentStatus status) {
        ObjectNode node = NODES.objectNode();
        if (!status.conditions().items().isEmpty()) {
            ArrayNode conditions = node.putArray("conditions");
            for (Condition c : status.conditions().items()) {
                // metav1.Condition's field order.
                ObjectNode condition = conditions.addObject();
                condition.put("type", c.type());
                condition.put("status", c.status().text());
                condition.put("observedGeneration", c.observedGeneration());
                condition.put("lastTransitionTime", rfc3339(c.lastTransitionTime()));
                condition.put("reason", c.reason());
                condition.put("message", c.message());
            }
        }
        status.fields().forEach((name, value) -> node.set(name, VALUES.valueToTree(value)));
        return node;
    }

    /** RFC 3339 in UTC at second precision, as the API server writes times. */
    static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
