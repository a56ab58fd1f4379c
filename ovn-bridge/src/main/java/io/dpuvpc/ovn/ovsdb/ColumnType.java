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
     * one-element set as a bare atom), maps are {@link Map}s, reals are {@link Double}s, and a
     * scalar sent as a one-element set is its element. A value this type cannot hold (an atom of
     * another type, a set where one value goes, more elements than an optional value's one) is an
     * {@link OvsdbProtocolException}: kept, it would fail later, far from the input, in whatever
     * read the column (a fuzzed update once put two names in a port and crashed the cache's index).
     * The count of a larger set is not checked: an update2 modify carries a difference, which may
     * hold more elements than the column. A stored value holds no {@code named-uuid}: those are
     * for {@link #normalizeToWrite}.
     */
    public Object normalize(Object value) {
        return normalize(value, false);
    }

    /**
     * As {@link #normalize}, for a value a transaction writes: a uuid may also be the {@link
     * NamedUuid} of a row the same transaction inserts (RFC 7047 section 5.1).
     */
    public Object normalizeToWrite(Object value) {
        return normalize(value, true);
    }

    private Object normalize(Object value, boolean named) {
        if (isMap()) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new OvsdbProtocolException("expected " + this + ", got " + describe(value));
            }
            map.forEach((k, v) -> {
                requireAtom(keyType, k, named);
                requireAtom(valueType, v, named);
            });
            if (!"real".equals(keyType) && !"real".equals(valueType)) {
                return value;
            }
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(atom(keyType, k), atom(valueType, v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Map<?, ?>) {
            throw new OvsdbProtocolException("expected " + this + ", got a map");
        }
        if (isSet()) {
            if (!(value instanceof Set<?> set)) {
                return Set.of(atom(keyType, requireAtom(keyType, value, named)));
            }
            if (max == 1 && set.size() > 1) {
                throw new OvsdbProtocolException("expected " + this + ", got a set of " + set.size());
            }
            set.forEach(e -> requireAtom(keyType, e, named));
            if (!"real".equals(keyType)) {
                return value;
            }
            Set<Object> copy = new LinkedHashSet<>();
            set.forEach(e -> copy.add(atom(keyType, e)));
            return Collections.unmodifiableSet(copy);
        }
        if (value instanceof Set<?> set) {
            if (set.size() != 1) {
                throw new OvsdbProtocolException("expected " + this + ", got a set of " + set.size());
            }
            value = set.iterator().next();
        }
        return atom(keyType, requireAtom(keyType, value, named));
    }

    /** The atom, if it is of {@code type} (RFC 7047 section 5.1; an integer is a valid real). */
    private static Object requireAtom(String type, Object atom, boolean named) {
        boolean fits = switch (type) {
            case "string" -> atom instanceof String;
            case "integer" -> atom instanceof Long;
            case "real" -> atom instanceof Double || atom instanceof Long;
            case "boolean" -> atom instanceof Boolean;
            case "uuid" -> atom instanceof java.util.UUID || named && atom instanceof NamedUuid;
            default -> true;
        };
        if (!fits) {
            throw new OvsdbProtocolException("expected " + (type.equals("integer") ? "an " : "a ") + type + ", got "
                + describe(atom));
        }
        return atom;
    }

    private static String describe(Object value) {
        if (value instanceof Set<?> set) {
            return "a set of " + set.size();
        }
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        String kind = value instanceof String ? "string" : value instanceof Long ? "integer" : value instanceof Double
            ? "real" : value instanceof Boolean ? "boolean" : value instanceof java.util.UUID ? "uuid" : "named-uuid";
        String text = String.valueOf(value);
        return kind + " " + (text.length() <= 60 ? text : text.substring(0, 60) + "...");
    }

    /** As RFC 7047 writes it, shortly: {@code string}, {@code set of 0..unlimited uuid}, {@code map of 0..unlimited string to string}. */
    @Override
    public String toString() {
        String range = min + ".." + (max == Long.MAX_VALUE ? "unlimited" : String.valueOf(max));
        if (isMap()) {
            return "map of " + range + " " + keyType + " to " + valueType;
        }
        return isSet() ? "set of " + range + " " + keyType : keyType;
    }

    private static Object atom(String type, Object atom) {
        if ("real".equals(type) && atom instanceof Long l) {
            return l.doubleValue();
        }
        return atom;
    }
}
