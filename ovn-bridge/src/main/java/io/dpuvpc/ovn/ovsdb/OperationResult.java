package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The result of one operation (RFC 7047 section 5.2): {@code uuid} for an insert, {@code count}
 * for update, mutate and delete, {@code rows} for a select; {@code error} when it failed.
 */
public record OperationResult(UUID uuid, Integer count, List<Map<String, Object>> rows, String error, String details) {

    static OperationResult fromJson(JsonNode json) {
        if (json == null || json.isNull()) {
            // Operations after a failed one get a null result.
            return new OperationResult(null, null, List.of(), null, null);
        }
        if (!json.isObject()) {
            throw new OvsdbProtocolException("operation result is not an object: " + OvsdbValues.abbreviate(json));
        }
        UUID uuid = json.has("uuid") ? (UUID) OvsdbValues.atomFromJson(json.get("uuid")) : null;
        Integer count = json.has("count") ? json.get("count").intValue() : null;
        List<Map<String, Object>> rows = List.of();
        if (json.has("rows")) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (JsonNode row : json.get("rows")) {
                Map<String, Object> columns = new LinkedHashMap<>();
                row.fields().forEachRemaining(e -> columns.put(e.getKey(), OvsdbValues.fromJson(e.getValue())));
                list.add(Collections.unmodifiableMap(columns));
            }
            rows = List.copyOf(list);
        }
        String error = json.hasNonNull("error") ? json.get("error").asText() : null;
        String details = json.hasNonNull("details") ? json.get("details").asText() : null;
        return new OperationResult(uuid, count, rows, error, details);
    }

    public boolean failed() {
        return error != null;
    }
}
