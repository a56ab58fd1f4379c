package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The in-memory copy of the monitored tables of one database, kept by a {@link Monitor}. Updates
 * are applied on the client's I/O thread (pure in-memory work, never blocking); listeners get the
 * resulting {@link CacheEvent}s through their own executor, so a slow listener never holds up the
 * connection.
 */
public final class DatabaseCache {
    private final DatabaseSchema schema;
    private final Map<String, TableCache> tables;
    // Per table, each monitored column's empty value: rows on the wire leave those out.
    private final Map<String, Map<String, Object>> defaults;
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    private volatile String lastTxnId;

    private record Registration(CacheListener listener, Executor executor) {
    }

    DatabaseCache(DatabaseSchema schema, MonitorRequest request) {
        this.schema = schema;
        Map<String, TableCache> map = new LinkedHashMap<>();
        Map<String, Map<String, Object>> defaults = new LinkedHashMap<>();
        request.tables().forEach((t, tr) -> {
            TableSchema ts = schema.table(t);
            Set<String> monitored = Set.copyOf(tr.columns() == null ? ts.columns().keySet() : tr.columns());
            map.put(t, new TableCache(ts, monitored));
            Map<String, Object> values = new LinkedHashMap<>();
            monitored.stream()
                .filter(c -> !c.equals("_uuid") && !c.equals("_version"))
                .forEach(c -> values.put(c, ts.column(c).defaultValue()));
            defaults.put(t, Map.copyOf(values));
        });
        this.tables = Map.copyOf(map);
        this.defaults = Map.copyOf(defaults);
    }

    public DatabaseSchema schema() {
        return schema;
    }

    /** The cache of a monitored table; a {@link SchemaMismatchException} if it is not monitored. */
    public TableCache table(String name) {
        TableCache table = tables.get(name);
        if (table == null) {
            throw new SchemaMismatchException("table " + name + " of " + schema.name() + " is not monitored (monitored: "
                + String.join(", ", tables.keySet()) + ")");
        }
        return table;
    }

    public Set<String> tableNames() {
        return tables.keySet();
    }

    /** The id of the last transaction seen (monitor_cond_since / update3), or null. */
    public String lastTxnId() {
        return lastTxnId;
    }

    void lastTxnId(String id) {
        this.lastTxnId = id;
    }

    public void addListener(CacheListener listener, Executor executor) {
        listeners.add(new Registration(listener, executor));
    }

    public void removeListener(CacheListener listener) {
        listeners.removeIf(r -> r.listener() == listener);
    }

    void dispatch(List<CacheEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<CacheEvent> batch = List.copyOf(events);
        for (Registration r : listeners) {
            r.executor().execute(() -> r.listener().onEvents(batch));
        }
    }

    /**
     * Applies {@code <table-updates>} (RFC 7047 4.1.6, {@code v2} false) or
     * {@code <table-updates2>} (ovsdb-server(7), update2/update3) and returns the changes.
     */
    List<CacheEvent> apply(JsonNode tableUpdates, boolean v2) {
        requireObject(tableUpdates, "table-updates");
        List<CacheEvent> events = new ArrayList<>();
        tableUpdates.fields().forEachRemaining(t -> {
            TableCache table = tables.get(t.getKey());
            if (table == null) {
                throw new OvsdbProtocolException("update for table " + t.getKey() + ", which is not monitored");
            }
            requireObject(t.getValue(), "table-update");
            t.getValue().fields().forEachRemaining(r -> {
                UUID uuid = parseUuid(r.getKey());
                CacheEvent event = v2 ? applyRowUpdate2(table, uuid, r.getValue()) : applyRowUpdate(table, uuid, r.getValue());
                if (event != null) {
                    events.add(event);
                }
            });
        });
        return events;
    }

    /**
     * Replaces every monitored table with the rows of an initial reply (a fresh monitor after a
     * reconnect the server could not continue), returning the difference as events.
     */
    List<CacheEvent> replace(JsonNode tableUpdates, boolean v2) {
        requireObject(tableUpdates, "table-updates");
        Map<String, Map<UUID, Row>> fresh = new HashMap<>();
        tables.keySet().forEach(t -> fresh.put(t, new LinkedHashMap<>()));
        tableUpdates.fields().forEachRemaining(t -> {
            TableCache table = tables.get(t.getKey());
            if (table == null) {
                throw new OvsdbProtocolException("initial rows for table " + t.getKey() + ", which is not monitored");
            }
            t.getValue().fields().forEachRemaining(r -> {
                JsonNode update = r.getValue();
                JsonNode row = v2 ? (update.has("initial") ? update.get("initial") : update.get("insert")) : update.get("new");
                if (row != null) {
                    UUID uuid = parseUuid(r.getKey());
                    fresh.get(t.getKey()).put(uuid, decodeRow(table, uuid, row, defaults.get(table.name())));
                }
            });
        });
        List<CacheEvent> events = new ArrayList<>();
        fresh.forEach((name, rows) -> {
            TableCache table = tables.get(name);
            for (Row old : table.snapshot().values()) {
                if (!rows.containsKey(old.uuid())) {
                    table.remove(old.uuid());
                    events.add(new CacheEvent(CacheEvent.Kind.DELETE, name, old, null));
                }
            }
            rows.values().forEach(row -> {
                Row old = table.put(row);
                if (old == null) {
                    events.add(new CacheEvent(CacheEvent.Kind.INSERT, name, null, row));
                } else if (!old.equals(row)) {
                    events.add(new CacheEvent(CacheEvent.Kind.MODIFY, name, old, row));
                }
            });
        });
        return events;
    }

    private CacheEvent applyRowUpdate(TableCache table, UUID uuid, JsonNode update) {
        JsonNode newRow = update.get("new");
        Row old = table.row(uuid).orElse(null);
        if (newRow == null || newRow.isNull()) {
            Row removed = table.remove(uuid);
            return removed == null ? null : new CacheEvent(CacheEvent.Kind.DELETE, table.name(), removed, null);
        }
        // "new" holds every monitored column of the row; merge for safety with partial rows.
        Row row = decodeRow(table, uuid, newRow, old == null ? defaults.get(table.name()) : old.columns());
        table.put(row);
        return new CacheEvent(old == null ? CacheEvent.Kind.INSERT : CacheEvent.Kind.MODIFY, table.name(), old, row);
    }

    private CacheEvent applyRowUpdate2(TableCache table, UUID uuid, JsonNode update) {
        requireObject(update, "row-update2");
        Row old = table.row(uuid).orElse(null);
        if (update.has("initial") || update.has("insert")) {
            JsonNode json = update.has("initial") ? update.get("initial") : update.get("insert");
            Row row = decodeRow(table, uuid, json, defaults.get(table.name()));
            table.put(row);
            return new CacheEvent(old == null ? CacheEvent.Kind.INSERT : CacheEvent.Kind.MODIFY, table.name(), old, row);
        }
        if (update.has("delete")) {
            Row removed = table.remove(uuid);
            return removed == null ? null : new CacheEvent(CacheEvent.Kind.DELETE, table.name(), removed, null);
        }
        if (update.has("modify")) {
            if (old == null) {
                throw new OvsdbProtocolException("modify of row " + uuid + " of " + table.name() + ", which the cache does not have");
            }
            Map<String, Object> columns = new LinkedHashMap<>(old.columns());
            update.get("modify").fields().forEachRemaining(c -> {
                ColumnType type = table.schema().column(c.getKey());
                Object diff = shape(table, c.getKey(), type, c.getValue());
                columns.put(c.getKey(), applyDiff(type, columns.get(c.getKey()), diff));
            });
            Row row = new Row(table.name(), uuid, columns);
            table.put(row);
            return new CacheEvent(CacheEvent.Kind.MODIFY, table.name(), old, row);
        }
        throw new OvsdbProtocolException("row-update2 with none of initial/insert/modify/delete: " + OvsdbValues.abbreviate(update));
    }

    /**
     * The diff semantics of update2 (ovsdb-server(7)): a set column of more than one element
     * carries the symmetric difference; a map column carries pairs to add, to remove (same value)
     * or to change (new value); any other column carries its new value, including an optional
     * scalar ({@code min 0, max 1}): ovsdb-server 3.1 sends {@code "up": true} after {@code false},
     * and {@code ["set", []]} when it is cleared. Read as a difference, the first made a port's
     * {@code up} hold two values (the bridge then crashed and resynchronised on every port
     * binding, seen in DatapathE2E) and the second left the old value in place.
     */
    static Object applyDiff(ColumnType type, Object current, Object diff) {
        if (type.isMap()) {
            Map<Object, Object> result = new LinkedHashMap<>(current == null ? Map.of() : (Map<?, ?>) current);
            ((Map<?, ?>) diff).forEach((k, v) -> {
                if (v.equals(result.get(k))) {
                    result.remove(k);
                } else {
                    result.put(k, v);
                }
            });
            return java.util.Collections.unmodifiableMap(result);
        }
        if (type.isSet() && type.max() > 1) {
            Set<Object> result = new LinkedHashSet<>(current == null ? Set.of() : (Set<?>) current);
            for (Object element : (Set<?>) diff) {
                if (!result.remove(element)) {
                    result.add(element);
                }
            }
            return java.util.Collections.unmodifiableSet(result);
        }
        return diff;
    }

    private Row decodeRow(TableCache table, UUID uuid, JsonNode json, Map<String, Object> base) {
        requireObject(json, "row");
        Map<String, Object> columns = new LinkedHashMap<>(base);
        json.fields().forEachRemaining(c -> {
            ColumnType type = table.schema().columns().get(c.getKey());
            columns.put(c.getKey(), type == null ? OvsdbValues.fromJson(c.getValue()) : shape(table, c.getKey(), type, c.getValue()));
        });
        return new Row(table.name(), uuid, columns);
    }

    /** A column's wire value decoded and shaped by its type; an error names the column and the value. */
    private static Object shape(TableCache table, String column, ColumnType type, JsonNode json) {
        try {
            return type.normalize(OvsdbValues.fromJson(json));
        } catch (OvsdbProtocolException e) {
            throw new OvsdbProtocolException("column " + table.name() + "." + column + ": " + e.getMessage() + " in "
                + OvsdbValues.abbreviate(json), e);
        }
    }

    private static UUID parseUuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new OvsdbProtocolException("row key is not a uuid: " + text);
        }
    }

    private static void requireObject(JsonNode json, String what) {
        if (json == null || !json.isObject()) {
            throw new OvsdbProtocolException(what + " is not a JSON object: " + OvsdbValues.abbreviate(json));
        }
    }
}
