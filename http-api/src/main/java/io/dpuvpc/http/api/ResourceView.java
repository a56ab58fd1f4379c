package io.dpuvpc.http.api;

import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.http.document.DocumentStatus;
import io.dpuvpc.http.document.Metadata;
import io.dpuvpc.http.document.ResourceDocuments;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One resource as the controller holds it: its key, spec (the domain record), the server's
 * metadata, its conditions and any further status fields (a network's interfaces, a VPC's nodes).
 */
public record ResourceView(ResourceKey key, Map<String, String> labels, Map<String, String> annotations, Object spec,
                           Metadata metadata, Conditions conditions, Map<String, Object> statusFields) {
    public ResourceView {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        conditions = conditions == null ? Conditions.EMPTY : conditions;
        statusFields = statusFields == null ? Map.of() : Map.copyOf(statusFields);
    }

    /** The Kubernetes-shaped document of this resource. */
    public ObjectNode render() {
        return ResourceDocuments.render(key.kind(), key, labels, annotations, spec, metadata,
                new DocumentStatus(conditions, statusFields));
    }
}
