package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A column's {@code <type>} (RFC 7047 section 3.2): key type, optional value type (a map), and
 * the number of elements {@code min..max}. {@code max} is {@link Long#MAX_VALUE} for "unlimited".
 */
public record ColumnType(String keyType, String valueType, String refTable, long min, long max) {

    static ColumnType fromJson(JsonNode type) {
        if (type.isTextual()) {
            return new ColumnType(type.asText(), null, null, 1, 1);
        }
        JsonNode key = type.get("key");
        if (key == null) {
            throw new OvsdbProtocolException("column type has no key: " + OvsdbValues.abbreviate(type));
        }
        String keyType = key.isTextual() ? key.asText() : key.path("type").asText();
        String refTable = key.isObject() && key.has("refTable") ? key.get("refTable").asText() : null;
        JsonNode value = type.get("value");
        String valueType = value == null ? null : value.isTextual() ? value.asText() : value.path("type").asText();
        long min = type.path("min").asLong(1);
        JsonNode maxNode = type.get("max");
        long max = maxNode == null ? 1 : maxNode.isTextual() && maxNode.asText().equals("unlimited") ? Long.MAX_VALUE : maxNode.asLong();
        return new ColumnType(keyType, valueType, refTable, min, max);
    }

    public boolean isMap() {
        return valueType != null;
    }

    /** A set column, including an optional scalar ({@code min 0, max 1}). */
    public boolean isSet() {
        return valueType == null && !(min == 1 && max == 1);
    }

    /**
     * The value a column holds when nothing was written to it (RFC 7047 section 5.2.1): the
     * server leaves such columns out of update2 rows, so the cache fills them in.
     */
    public Object defaultValue() {
        if (isMap()) {
            return Map.of();
        }
        if (isSet()) {
            return Set.of();
        }
        return switch (keyType) {
            case "integer" -> 0L;
            case "real" -> 0.0;
            case "boolean" -> false;
            case "uuid" -> new java.util.UUID(0, 0);
            default -> "";
        };
    }

    /**
     * Shapes a decoded wire value by this type: sets are always {@link Set}s (the wire may send a
     * one-element set as a bare atom), maps are {@link Map}s, reals are {@link Double}s.
     */
    public Object normalize(Object value) {
        if (isMap()) {
            if (value instanceof Map<?, ?> map) {
                if (!"real".equals(keyType) && !"real".equals(valueType)) {
                    return value;
                }
                Map<Object, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(atom(keyType, k), atom(valueType, v)));
                return Collections.unmodifiableMap(copy);
            }
            throw new OvsdbProtocolException("expected a map for a column of type " + this + ", got " + value);
        }
        if (isSet()) {
            if (value instanceof Set<?> set) {
                if (!"real".equals(keyType)) {
                    return value;
                }
                Set<Object> copy = new LinkedHashSet<>();
                set.forEach(e -> copy.add(atom(keyType, e)));
                return Collections.unmodifiableSet(copy);
            }
            return Set.of(atom(keyType, value));
        }
        return atom(keyType, value);
    }

    private static Object atom(String type, Object atom) {
        if ("real".equals(type) && atom instanceof Long l) {
            return l.doubleValue();
        }
        return atom;
    }
}
