package io.dpuvpc.ovn.ovsdb;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An immutable row of a monitored table: its uuid and the monitored columns, values shaped by
 * the schema ({@link ColumnType#normalize}) and held compactly ({@link CompactValues}: the cache
 * holds every monitored row). Getters accept an optional scalar (a set of 0 or 1)
 * where a scalar is asked for.
 */
public record Row(String table, UUID uuid, Map<String, Object> columns) {
    public Row {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(uuid, "uuid");
        columns = CompactValues.columns(columns);
    }

    /** The raw value, or null if the column is not monitored. */
    public Object get(String column) {
        return columns.get(column);
    }

    public Optional<String> string(String column) {
        return scalar(column).map(String.class::cast);
    }

    public String getString(String column) {
        return string(column).orElse(null);
    }

    public Optional<Long> integer(String column) {
        return scalar(column).map(Long.class::cast);
    }

    public Optional<Boolean> bool(String column) {
        return scalar(column).map(Boolean.class::cast);
    }

    public Optional<UUID> reference(String column) {
        return scalar(column).map(UUID.class::cast);
    }

    /** A set column's elements (a scalar becomes a one-element set, absent an empty one). */
    @SuppressWarnings("unchecked")
    public <T> Set<T> getSet(String column) {
        Object value = columns.get(column);
        if (value == null) {
            return Set.of();
        }
        return value instanceof Set<?> set ? (Set<T>) set : Set.of((T) value);
    }

    /** A map column ({@code external_ids}, {@code options} ...); empty if absent. */
    @SuppressWarnings("unchecked")
    public <K, V> Map<K, V> getMap(String column) {
        Object value = columns.get(column);
        return value == null ? Map.of() : (Map<K, V>) value;
    }

    /** A string-to-string map column, the usual {@code external_ids} shape. */
    public Map<String, String> getStringMap(String column) {
        return getMap(column);
    }

    private Optional<Object> scalar(String column) {
        Object value = columns.get(column);
        if (value instanceof Set<?> set) {
            if (set.size() > 1) {
                throw new IllegalStateException("column " + table + "." + column + " holds " + set.size() + " values, not one");
            }
            return set.stream().findFirst().map(Object.class::cast);
        }
        return Optional.ofNullable(value);
    }
}
