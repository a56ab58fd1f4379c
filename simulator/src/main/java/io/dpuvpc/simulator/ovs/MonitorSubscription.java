package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.MonitorMethod;
import io.dpuvpc.ovn.ovsdb.OvsdbValues;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One monitor of one session: per table the columns and rows it follows and which changes it
 * wants ({@code select}), and the method that shapes its messages: RFC 7047 {@code monitor}
 * (whole {@code new} rows and the {@code old} values of changed columns), or ovsdb-server(7)'s
 * {@code monitor_cond} and {@code monitor_cond_since} ({@code initial}/{@code insert} rows without
 * default columns, {@code modify} diffs, {@code delete}).
 */
final class MonitorSubscription {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private record Select(boolean initial, boolean insert, boolean delete, boolean modify) {
    }

    private record Watched(TableSchema table, List<String> columns, Conditions where, Select select) {
    }

    private final JsonNode id;
    private final MonitorMethod method;
    private final List<Watched> watched;

    private MonitorSubscription(JsonNode id, MonitorMethod method, List<Watched> watched) {
        this.id = id;
        this.method = method;
        this.watched = watched;
    }

    /** Parses {@code <monitor-requests>} (an object per table, or an array of them, for every method). */
    static MonitorSubscription parse(ServedSchema schema, JsonNode id, MonitorMethod method, JsonNode requests) {
        if (requests == null || !requests.isObject()) {
            throw new OvsdbRequestException("syntax error", "monitor requests are not an object");
        }
        List<Watched> watched = new ArrayList<>();
        requests.fields().forEachRemaining(e -> {
            TableSchema table = schema.table(e.getKey());
            List<JsonNode> parts = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(parts::add);
            } else {
                parts.add(e.getValue());
            }
            for (JsonNode part : parts) {
                watched.add(new Watched(table, columns(table, part.get("columns")),
                    method == MonitorMethod.MONITOR ? Conditions.ALL : Conditions.parse(table, part.get("where"), n -> null),
                    select(part.get("select"))));
            }
        });
        return new MonitorSubscription(id, method, List.copyOf(watched));
    }

    private static List<String> columns(TableSchema table, JsonNode columns) {
        if (columns == null || columns.isNull()) {
            // ovsdb-server monitors every column of the schema, not _uuid nor _version.
            return table.columns().keySet().stream().filter(c -> !c.startsWith("_")).toList();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode c : columns) {
            if (!table.hasColumn(c.asText())) {
                throw new OvsdbRequestException("syntax error", "table " + table.name() + " has no column " + c.asText());
            }
            names.add(c.asText());
        }
        return names;
    }

    private static Select select(JsonNode select) {
        if (select == null || select.isNull()) {
            return new Select(true, true, true, true);
        }
        return new Select(select.path("initial").asBoolean(true), select.path("insert").asBoolean(true),
            select.path("delete").asBoolean(true), select.path("modify").asBoolean(true));
    }

    JsonNode id() {
        return id;
    }

    MonitorMethod method() {
        return method;
    }

    /** The {@code <table-updates>} of the monitor's reply: every row it follows, as it is now. */
    ObjectNode initial(Map<String, Map<UUID, Map<String, Object>>> rows) {
        ObjectNode updates = JSON.objectNode();
        for (Watched w : watched) {
            if (!w.select().initial()) {
                continue;
            }
            rows.getOrDefault(w.table().name(), Map.of()).forEach((uuid, row) -> {
                if (w.where().matches(w.table(), uuid, row)) {
                    tableUpdates(updates, w).set(uuid.toString(), isV1()
                        ? JSON.objectNode().set("new", RowJson.of(w.table(), uuid, row, w.columns(), true))
                        : JSON.objectNode().set("initial", RowJson.of(w.table(), uuid, row, w.columns(), false)));
                }
            });
        }
        return updates;
    }

    /** What a commit from {@code before} to {@code after} changed in what the monitor follows; empty: nothing. */
    ObjectNode changes(Map<String, Map<UUID, Map<String, Object>>> before, Map<String, Map<UUID, Map<String, Object>>> after) {
        ObjectNode updates = JSON.objectNode();
        for (Watched w : watched) {
            Map<UUID, Map<String, Object>> old = before.getOrDefault(w.table().name(), Map.of());
            Map<UUID, Map<String, Object>> now = after.getOrDefault(w.table().name(), Map.of());
            Set<UUID> uuids = new LinkedHashSet<>(old.keySet());
            uuids.addAll(now.keySet());
            for (UUID uuid : uuids) {
                Map<String, Object> was = visible(w, uuid, old.get(uuid));
                Map<String, Object> is = visible(w, uuid, now.get(uuid));
                JsonNode update = rowUpdate(w, uuid, was, is);
                if (update != null) {
                    tableUpdates(updates, w).set(uuid.toString(), update);
                }
            }
        }
        return updates;
    }

    private static Map<String, Object> visible(Watched w, UUID uuid, Map<String, Object> row) {
        return row != null && w.where().matches(w.table(), uuid, row) ? row : null;
    }

    private JsonNode rowUpdate(Watched w, UUID uuid, Map<String, Object> was, Map<String, Object> is) {
        if (was == null && is == null) {
            return null;
        }
        TableSchema table = w.table();
        if (was == null) {
            return !w.select().insert() ? null : isV1()
                ? JSON.objectNode().set("new", RowJson.of(table, uuid, is, w.columns(), true))
                : JSON.objectNode().set("insert", RowJson.of(table, uuid, is, w.columns(), false));
        }
        if (is == null) {
            return !w.select().delete() ? null : isV1()
                ? JSON.objectNode().set("old", RowJson.of(table, uuid, was, w.columns(), true))
                : JSON.objectNode().putNull("delete");
        }
        List<String> changed = w.columns().stream().filter(c -> !Objects.equals(was.get(c), is.get(c))).toList();
        if (changed.isEmpty() || !w.select().modify()) {
            return null;
        }
        if (isV1()) {
            ObjectNode update = JSON.objectNode();
            update.set("old", RowJson.of(table, uuid, was, changed, true));
            update.set("new", RowJson.of(table, uuid, is, w.columns(), true));
            return update;
        }
        ObjectNode diff = JSON.objectNode();
        for (String column : changed) {
            ColumnType type = table.column(column);
            diff.set(column, OvsdbValues.toJson(diff(type, was.getOrDefault(column, type.defaultValue()),
                is.getOrDefault(column, type.defaultValue()))));
        }
        return JSON.objectNode().set("modify", diff);
    }

    /**
     * The update2 diff of ovsdb-server(7): a map's added, removed (old value) and changed (new
     * value) pairs; a set of more than one element, the symmetric difference; anything else, the new value.
     */
    static Object diff(ColumnType type, Object was, Object is) {
        if (type.isMap()) {
            Map<Object, Object> out = new LinkedHashMap<>();
            Map<?, ?> old = (Map<?, ?>) was;
            Map<?, ?> now = (Map<?, ?>) is;
            old.forEach((k, v) -> {
                if (!now.containsKey(k)) {
                    out.put(k, v);
                }
            });
            now.forEach((k, v) -> {
                if (!v.equals(old.get(k))) {
                    out.put(k, v);
                }
            });
            return out;
        }
        if (type.isSet() && type.max() > 1) {
            Set<Object> out = new LinkedHashSet<>();
            ((Set<?>) was).stream().filter(e -> !((Set<?>) is).contains(e)).forEach(out::add);
            ((Set<?>) is).stream().filter(e -> !((Set<?>) was).contains(e)).forEach(out::add);
            return out;
        }
        return is;
    }

    private boolean isV1() {
        return method == MonitorMethod.MONITOR;
    }

    private static ObjectNode tableUpdates(ObjectNode updates, Watched w) {
        JsonNode existing = updates.get(w.table().name());
        return existing != null ? (ObjectNode) existing : updates.putObject(w.table().name());
    }
}
