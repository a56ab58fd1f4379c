package io.dpuvpc.http.document;

import io.dpuvpc.actors.conditions.Conditions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a resource's {@code status} shows: its conditions (rendered as Kubernetes conditions) and
 * other fields by name, such as {@code observedGeneration} or a list of children, whose values are
 * plain JSON values (strings, numbers, booleans, lists and maps of them, or records Jackson writes).
 */
public record DocumentStatus(Conditions conditions, Map<String, Object> fields) {

    public DocumentStatus {
        conditions = conditions == null ? Conditions.EMPTY : conditions;
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (fields.containsKey("conditions")) {
            throw new IllegalArgumentException("status.conditions comes from the Conditions, not from the extra fields");
        }
    }

    public static DocumentStatus of(Conditions conditions) {
        return new DocumentStatus(conditions, Map.of());
    }
}
