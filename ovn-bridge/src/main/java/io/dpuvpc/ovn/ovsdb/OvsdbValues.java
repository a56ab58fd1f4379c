package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Converts between Java values and the RFC 7047 section 5.1 {@code <value>} notation. */
public final class OvsdbValues {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OvsdbValues() {
    }

    /** Encodes a Java value: a Set becomes {@code ["set", ...]}, a Map {@code ["map", ...]}. */
    public static JsonNode toJson(Object value) {
        if (value instanceof Set<?> set) {
            ArrayNode elements = JSON.arrayNode();
            set.forEach(e -> elements.add(atomToJson(e)));
            return JSON.arrayNode().add("set").add(elements);
        }
        if (value instanceof Collection<?> list) {
            // A List is accepted too, for callers that care about the order on the wire.
            return toJson(new LinkedHashSet<Object>(list));
        }
        if (value instanceof Map<?, ?> map) {
            ArrayNode pairs = JSON.arrayNode();
            map.forEach((k, v) -> pairs.add(JSON.arrayNode().add(atomToJson(k)).add(atomToJson(v))));
            return JSON.arrayNode().add("map").add(pairs);
        }
        return atomToJson(value);
    }

    static JsonNode atomToJson(Object atom) {
        if (atom instanceof String s) {
            return JSON.textNode(s);
        }
        if (atom instanceof Long || atom instanceof Integer || atom instanceof Short || atom instanceof Byte) {
            return JSON.numberNode(((Number) atom).longValue());
        }
        if (atom instanceof Double || atom instanceof Float) {
            return JSON.numberNode(((Number) atom).doubleValue());
        }
        if (atom instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (atom instanceof UUID u) {
            return JSON.arrayNode().add("uuid").add(u.toString());
        }
        if (atom instanceof NamedUuid n) {
            return JSON.arrayNode().add("named-uuid").add(n.name());
        }
        throw new IllegalArgumentException("not an OVSDB atom: " + (atom == null ? "null" : atom.getClass().getName() + " " + atom));
    }

    /**
     * Decodes a value without a schema: a bare atom stays an atom, {@code ["set", ...]} becomes an
     * unmodifiable Set, {@code ["map", ...]} an unmodifiable Map. {@link ColumnType#normalize}
     * then shapes it by its column type.
     */
    public static Object fromJson(JsonNode json) {
        if (json.isArray() && json.size() == 2 && json.get(0).isTextual()) {
            String tag = json.get(0).asText();
            JsonNode body = json.get(1);
            switch (tag) {
                case "set" -> {
                    requireArray(body, "set");
                    Set<Object> set = new LinkedHashSet<>();
                    body.forEach(e -> set.add(atomFromJson(e)));
                    return Collections.unmodifiableSet(set);
                }
                case "map" -> {
                    requireArray(body, "map");
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (JsonNode pair : body) {
                        if (!pair.isArray() || pair.size() != 2) {
                            throw new OvsdbProtocolException("map pair is not a 2-element array: " + abbreviate(pair));
                        }
                        map.put(atomFromJson(pair.get(0)), atomFromJson(pair.get(1)));
                    }
                    return Collections.unmodifiableMap(map);
                }
                default -> {
                    return atomFromJson(json);
                }
            }
        }
        return atomFromJson(json);
    }

    static Object atomFromJson(JsonNode json) {
        if (json.isTextual()) {
            return json.asText();
        }
        if (json.isIntegralNumber()) {
            if (!json.canConvertToLong()) {
                throw new OvsdbProtocolException("integer out of the 64-bit range: " + abbreviate(json));
            }
            return json.longValue();
        }
        if (json.isNumber()) {
            return json.doubleValue();
        }
        if (json.isBoolean()) {
            return json.booleanValue();
        }
        if (json.isArray() && json.size() == 2 && json.get(0).isTextual() && json.get(1).isTextual()) {
            String tag = json.get(0).asText();
            if (tag.equals("uuid")) {
                try {
                    return UUID.fromString(json.get(1).asText());
                } catch (IllegalArgumentException e) {
                    throw new OvsdbProtocolException("malformed uuid: " + abbreviate(json));
                }
            }
            if (tag.equals("named-uuid")) {
                return new NamedUuid(json.get(1).asText());
            }
        }
        throw new OvsdbProtocolException("not an OVSDB atom: " + abbreviate(json));
    }

    private static void requireArray(JsonNode body, String tag) {
        if (!body.isArray()) {
            throw new OvsdbProtocolException("\"" + tag + "\" body is not an array: " + abbreviate(body));
        }
    }

    /** Short text of a JSON value for error messages: never dump megabytes into a log. */
    static String abbreviate(JsonNode json) {
        String s = json == null ? "null" : json.toString();
        return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " chars)";
    }

    /** Iterates over the atoms of a value: the atom itself, or the elements of a set. */
    static Iterator<Object> atoms(Object value) {
        if (value instanceof Set<?> set) {
            @SuppressWarnings("unchecked")
            Iterator<Object> it = (Iterator<Object>) set.iterator();
            return it;
        }
        return Collections.singleton(value).iterator();
    }
}
