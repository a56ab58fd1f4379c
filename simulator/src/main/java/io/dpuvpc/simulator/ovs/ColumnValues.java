package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.NamedUuid;
import io.dpuvpc.ovn.ovsdb.OvsdbException;
import io.dpuvpc.ovn.ovsdb.OvsdbValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Values of the emulated databases in the shapes our client's cache uses ({@link ColumnType#normalize}):
 * atoms as String, Long, Double, Boolean, UUID; set columns (optional scalars too) as Sets, maps as
 * Maps. Decoding checks each atom against the column's type, as ovsdb-server does (RFC 7047 5.1),
 * and replaces {@code named-uuid}s by the rows the transaction inserts.
 */
final class ColumnValues {
    private ColumnValues() {}

    /** A wire value for {@code type}; {@code named} resolves a {@code named-uuid} (null: unknown). */
    static Object decode(ColumnType type, JsonNode json, Function<String, UUID> named) {
        Object raw;
        try {
            raw = OvsdbValues.fromJson(json);
        } catch (OvsdbException e) {
            throw new OvsdbRequestException("syntax error", e.getMessage());
        }
        raw = resolve(raw, named);
        Object value;
        try {
            value = type.normalize(raw); // checks each atom's type; a scalar may come as a set of one
        } catch (OvsdbException e) {
            throw new OvsdbRequestException("syntax error", e.getMessage());
        }
        return compact(value);
    }

    /**
     * The immutable collections of {@code Set.copyOf}/{@code Map.copyOf}: a tenth of the memory of
     * the decoder's unmodifiable LinkedHash views, which matters at 10,000 databases.
     */
    static Object compact(Object value) {
        if (value instanceof Set<?> set) {
            return Set.copyOf(set);
        }
        return value instanceof Map<?, ?> map ? Map.copyOf(map) : value;
    }

    private static Object resolve(Object raw, Function<String, UUID> named) {
        if (raw instanceof NamedUuid n) {
            UUID uuid = named.apply(n.name());
            if (uuid == null) {
                throw new OvsdbRequestException("syntax error", "unknown named-uuid " + n.name());
            }
            return uuid;
        }
        if (raw instanceof Set<?> set) {
            Set<Object> out = new LinkedHashSet<>();
            set.forEach(e -> out.add(resolve(e, named)));
            return Collections.unmodifiableSet(out);
        }
        if (raw instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(resolve(k, named), resolve(v, named)));
            return Collections.unmodifiableMap(out);
        }
        return raw;
    }

    /** Whether {@code value} is the column's default, which rows do not store. */
    static boolean isDefault(ColumnType type, Object value) {
        return type.defaultValue().equals(value);
    }

    /** The number of elements a column holds, for its {@code min}/{@code max} (scalars hold one). */
    static long size(Object value) {
        if (value instanceof Set<?> set) {
            return set.size();
        }
        return value instanceof Map<?, ?> map ? map.size() : 1;
    }
}
