package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.OvsdbValues;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One {@code transact} (RFC 7047 4.1.3, operations of 5.2) on a private copy of a database's rows:
 * the operations run in order, the first error stops them and nothing is committed; then the
 * commit checks run as ovsdb-server runs them (garbage collection of unreferenced rows of non-root
 * tables, strong references that would dangle, weak references that do and are dropped, the
 * columns' {@code min}/{@code max}, the unique indexes), any failure being one more error after the
 * operations' results. Rows store only non-default columns, and {@code _version} once committed.
 */
final class Transaction {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String VERSION = "_version";

    private final ServedSchema schema;
    private final Map<String, Map<UUID, Map<String, Object>>> tables = new HashMap<>();
    private final Map<String, UUID> named = new HashMap<>();
    private final ArrayNode results = JSON.arrayNode();
    private final boolean waitsExpired;
    private boolean failed;
    private long blockedMillis = -1;

    /** {@code waitsExpired}: the last run of a held-back transaction, whose waits now fail. */
    Transaction(ServedSchema schema, Map<String, Map<UUID, Map<String, Object>>> before, boolean waitsExpired) {
        this.schema = schema;
        this.waitsExpired = waitsExpired;
        // Databases are small (a DPU's bridges, ports, interfaces): copying the row maps is cheap; rows are immutable.
        before.forEach((table, rows) -> tables.put(table, new LinkedHashMap<>(rows)));
    }

    /** The results of {@code operations}; {@link #committed()} holds the new rows unless one failed. */
    ArrayNode run(List<JsonNode> operations) {
        try {
            nameInserts(operations);
        } catch (OvsdbRequestException e) {
            results.add(e.toJson());
            failed = true;
            return results;
        }
        for (JsonNode op : operations) {
            try {
                results.add(execute(op));
            } catch (WaitBlocked e) {
                blockedMillis = e.timeoutMillis;
                failed = true;
                return results;
            } catch (OvsdbRequestException e) {
                results.add(e.toJson());
                failed = true;
                return results;
            }
        }
        try {
            commitChecks();
        } catch (OvsdbRequestException e) {
            results.add(e.toJson());
            failed = true;
        }
        return results;
    }

    /** The timeout of the wait that holds this transaction back, or -1 when none does. */
    long blockedMillis() {
        return blockedMillis;
    }

    /** The rows after a successful run (empty tables left out), or null after a failure. */
    Map<String, Map<UUID, Map<String, Object>>> committed() {
        if (failed) {
            return null;
        }
        Map<String, Map<UUID, Map<String, Object>>> out = new HashMap<>();
        tables.forEach((table, rows) -> {
            if (!rows.isEmpty()) {
                out.put(table, rows);
            }
        });
        return out;
    }

    /** Named-uuids may be referred to before their insert, so every one is known up front. */
    private void nameInserts(List<JsonNode> operations) {
        for (JsonNode op : operations) {
            if ("insert".equals(op.path("op").asText()) && op.hasNonNull("uuid-name")) {
                String name = op.get("uuid-name").asText();
                if (named.put(name, UUID.randomUUID()) != null) {
                    throw new OvsdbRequestException("duplicate uuid-name", "uuid-name " + name + " is used more than once");
                }
            }
        }
    }

    private JsonNode execute(JsonNode op) {
        if (!op.isObject() || !op.path("op").isTextual()) {
            throw new OvsdbRequestException("syntax error", "an operation must be an object with \"op\": " + op);
        }
        String name = op.get("op").asText();
        return switch (name) {
            case "insert" -> insert(op);
            case "select" -> select(op);
            case "update" -> count(update(op));
            case "mutate" -> count(mutate(op));
            case "delete" -> count(delete(op));
            case "wait" -> waitFor(op);
            case "commit", "comment" -> JSON.objectNode();
            case "abort" -> throw new OvsdbRequestException("aborted", "aborted by request");
            case "assert" -> throw new OvsdbRequestException("not owner", "this server grants no locks");
            default -> throw new OvsdbRequestException("syntax error", "unknown operation " + name);
        };
    }

    private static ObjectNode count(int n) {
        return JSON.objectNode().put("count", n);
    }

    // ---- the operations of RFC 7047 5.2

    private JsonNode insert(JsonNode op) {
        TableSchema table = table(op);
        UUID uuid = op.hasNonNull("uuid-name") ? named.get(op.get("uuid-name").asText()) : UUID.randomUUID();
        Map<String, Object> row = new LinkedHashMap<>();
        writeColumns(table, op.path("row"), row, false);
        rows(table.name()).put(uuid, Map.copyOf(row));
        return JSON.objectNode().set("uuid", OvsdbValues.toJson(uuid));
    }

    private JsonNode select(JsonNode op) {
        TableSchema table = table(op);
        List<String> columns = columns(table, op.get("columns"));
        ArrayNode rows = JSON.arrayNode();
        matching(table, op).forEach((uuid, row) -> rows.add(RowJson.of(table, uuid, row, columns, true)));
        return JSON.objectNode().set("rows", rows);
    }

    private int update(JsonNode op) {
        TableSchema table = table(op);
        Map<UUID, Map<String, Object>> hits = matching(table, op);
        hits.forEach((uuid, row) -> {
            Map<String, Object> changed = new LinkedHashMap<>(row);
            writeColumns(table, op.path("row"), changed, true);
            store(table.name(), uuid, changed);
        });
        return hits.size();
    }

    private int mutate(JsonNode op) {
        TableSchema table = table(op);
        JsonNode mutations = op.path("mutations");
        if (!mutations.isArray()) {
            throw new OvsdbRequestException("syntax error", "mutations is not an array");
        }
        Map<UUID, Map<String, Object>> hits = matching(table, op);
        hits.forEach((uuid, row) -> {
            Map<String, Object> changed = new LinkedHashMap<>(row);
            for (JsonNode m : mutations) {
                Mutator.apply(schema, table, m, changed, named::get);
            }
            store(table.name(), uuid, changed);
        });
        return hits.size();
    }

    private int delete(JsonNode op) {
        TableSchema table = table(op);
        Map<UUID, Map<String, Object>> hits = matching(table, op);
        hits.keySet().forEach(rows(table.name())::remove);
        return hits.size();
    }

    /** A {@code wait} that does not hold yet and may still: its transaction is held back for up to the timeout. */
    private static final class WaitBlocked extends RuntimeException {
        final long timeoutMillis;

        WaitBlocked(long timeoutMillis) {
            super(null, null, false, false);
            this.timeoutMillis = timeoutMillis;
        }
    }

    /**
     * {@code wait}: the selected rows, projected to {@code columns}, are (or are not) exactly
     * {@code rows}; if not, "timed out" at once with a timeout of 0 (or on the last run),
     * otherwise the transaction is held back (no timeout: for ever).
     */
    private JsonNode waitFor(JsonNode op) {
        TableSchema table = table(op);
        List<String> columns = columns(table, op.get("columns"));
        String until = op.path("until").asText();
        if (!until.equals("==") && !until.equals("!=")) {
            throw new OvsdbRequestException("syntax error", "until must be == or !=");
        }
        List<Map<String, Object>> actual = new ArrayList<>();
        matching(table, op).forEach((uuid, row) -> actual.add(project(table, uuid, row, columns)));
        List<Map<String, Object>> wanted = new ArrayList<>();
        for (JsonNode row : op.path("rows")) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String column : columns) {
                ColumnType type = table.column(column);
                values.put(column, row.has(column) ? ColumnValues.decode(type, row.get(column), named::get) : type.defaultValue());
            }
            wanted.add(values);
        }
        boolean equal = actual.size() == wanted.size() && new ArrayList<>(actual).containsAll(wanted) && wanted.containsAll(actual);
        if (equal != until.equals("==")) {
            long timeout = op.has("timeout") ? op.get("timeout").asLong() : Long.MAX_VALUE;
            if (timeout > 0 && !waitsExpired) {
                throw new WaitBlocked(timeout);
            }
            throw new OvsdbRequestException("timed out", "the wait condition on " + table.name() + " does not hold");
        }
        return JSON.objectNode();
    }

    // ---- helpers of the operations

    private TableSchema table(JsonNode op) {
        if (!op.path("table").isTextual()) {
            throw new OvsdbRequestException("syntax error", op.path("op").asText() + " without a table");
        }
        return schema.table(op.get("table").asText());
    }

    private Map<UUID, Map<String, Object>> rows(String table) {
        return tables.computeIfAbsent(table, t -> new LinkedHashMap<>());
    }

    private Map<UUID, Map<String, Object>> matching(TableSchema table, JsonNode op) {
        if (!op.has("where")) {
            throw new OvsdbRequestException("syntax error", op.path("op").asText() + " without where");
        }
        Conditions where = Conditions.parse(table, op.get("where"), named::get);
        Map<UUID, Map<String, Object>> hits = new LinkedHashMap<>();
        rows(table.name()).forEach((uuid, row) -> {
            if (where.matches(table, uuid, row)) {
                hits.put(uuid, row);
            }
        });
        return hits;
    }

    private static List<String> columns(TableSchema table, JsonNode columns) {
        if (columns == null || columns.isNull()) {
            return List.copyOf(table.columns().keySet());
        }
        List<String> names = new ArrayList<>();
        columns.forEach(c -> {
            if (!table.hasColumn(c.asText())) {
                throw new OvsdbRequestException("syntax error", "table " + table.name() + " has no column " + c.asText());
            }
            names.add(c.asText());
        });
        return names;
    }

    private static Map<String, Object> project(TableSchema table, UUID uuid, Map<String, Object> row, List<String> columns) {
        Map<String, Object> out = new LinkedHashMap<>();
        columns.forEach(c -> out.put(c, c.equals("_uuid") ? uuid : row.getOrDefault(c, table.column(c).defaultValue())));
        return out;
    }

    private void writeColumns(TableSchema table, JsonNode values, Map<String, Object> row, boolean isUpdate) {
        if (!values.isObject()) {
            throw new OvsdbRequestException("syntax error", "row is not an object");
        }
        values.fields().forEachRemaining(e -> {
            String column = e.getKey();
            if (column.startsWith("_") || !table.hasColumn(column)) {
                throw new OvsdbRequestException(column.startsWith("_") ? "constraint violation" : "syntax error",
                    "cannot write column " + column + " of " + table.name());
            }
            if (isUpdate && schema.isImmutable(table.name(), column)) {
                throw new OvsdbRequestException("constraint violation", "column " + column + " of " + table.name() + " is immutable");
            }
            ColumnType type = table.column(column);
            putColumn(row, type, column, ColumnValues.decode(type, e.getValue(), named::get));
        });
    }

    static void putColumn(Map<String, Object> row, ColumnType type, String column, Object value) {
        if (ColumnValues.isDefault(type, value)) {
            row.remove(column);
        } else {
            row.put(column, value);
        }
    }

    /** A changed row loses its {@code _version}: the commit gives it a new one. */
    private void store(String table, UUID uuid, Map<String, Object> row) {
        row.remove(VERSION);
        rows(table).put(uuid, Map.copyOf(row));
    }

    // ---- the commit

    private void commitChecks() {
        collectGarbage();
        for (Map.Entry<String, Map<UUID, Map<String, Object>>> table : tables.entrySet()) {
            TableSchema ts = schema.table(table.getKey());
            for (Map.Entry<UUID, Map<String, Object>> row : List.copyOf(table.getValue().entrySet())) {
                checkReferences(ts, row.getKey(), row.getValue());
            }
        }
        for (Map.Entry<String, Map<UUID, Map<String, Object>>> table : tables.entrySet()) {
            TableSchema ts = schema.table(table.getKey());
            if (table.getValue().size() > schema.maxRows(ts.name())) {
                throw new OvsdbRequestException("constraint violation", "table " + ts.name() + " may hold "
                    + schema.maxRows(ts.name()) + " row(s), not " + table.getValue().size());
            }
            table.getValue().forEach((uuid, row) -> checkSizes(ts, uuid, row));
            checkIndexes(ts, table.getValue());
            table.getValue().replaceAll((uuid, row) -> row.containsKey(VERSION) ? row : withVersion(row));
        }
    }

    private static Map<String, Object> withVersion(Map<String, Object> row) {
        Map<String, Object> versioned = new LinkedHashMap<>(row);
        versioned.put(VERSION, UUID.randomUUID());
        return Map.copyOf(versioned);
    }

    /** ovsdb-server deletes the rows of non-root tables that no strong reference holds, until none is left. */
    private void collectGarbage() {
        boolean deleted = true;
        while (deleted) {
            Set<UUID> held = new java.util.HashSet<>();
            tables.forEach((table, rows) -> schema.references(table).stream().filter(r -> !r.weak())
                .forEach(ref -> rows.values().forEach(row -> held.addAll(referenced(row.get(ref.column()), ref)))));
            deleted = false;
            for (Map.Entry<String, Map<UUID, Map<String, Object>>> table : tables.entrySet()) {
                if (!schema.table(table.getKey()).isRoot()) {
                    deleted |= table.getValue().keySet().removeIf(uuid -> !held.contains(uuid));
                }
            }
        }
    }

    /** Strong references must point at a row; weak ones that do not are dropped (RFC 7047 3.2). */
    private void checkReferences(TableSchema table, UUID uuid, Map<String, Object> row) {
        Map<String, Object> cleaned = null;
        for (ServedSchema.Reference ref : schema.references(table.name())) {
            Object value = row.get(ref.column());
            Map<UUID, Map<String, Object>> target = tables.getOrDefault(ref.refTable(), Map.of());
            for (UUID to : referenced(value, ref)) {
                if (target.containsKey(to)) {
                    continue;
                }
                if (!ref.weak()) {
                    throw new OvsdbRequestException("referential integrity violation", "row " + uuid + " of " + table.name()
                        + " refers in " + ref.column() + " to " + to + ", which is not a row of " + ref.refTable());
                }
                cleaned = cleaned == null ? new LinkedHashMap<>(row) : cleaned;
                putColumn(cleaned, table.column(ref.column()), ref.column(), without(cleaned.get(ref.column()), to, ref));
            }
        }
        if (cleaned != null) {
            store(table.name(), uuid, cleaned);
        }
    }

    private static Set<UUID> referenced(Object value, ServedSchema.Reference ref) {
        Set<UUID> out = new LinkedHashSet<>();
        if (value instanceof Map<?, ?> map) {
            (ref.inValue() ? map.values() : map.keySet()).forEach(v -> out.add((UUID) v));
        } else if (value instanceof Set<?> set) {
            set.forEach(v -> out.add((UUID) v));
        } else if (value instanceof UUID u) {
            out.add(u);
        }
        return out;
    }

    private static Object without(Object value, UUID gone, ServedSchema.Reference ref) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>(map);
            out.entrySet().removeIf(e -> gone.equals(ref.inValue() ? e.getValue() : e.getKey()));
            return Map.copyOf(out);
        }
        Set<Object> out = new LinkedHashSet<>((Set<?>) value);
        out.remove(gone);
        return Set.copyOf(out);
    }

    private static void checkSizes(TableSchema table, UUID uuid, Map<String, Object> row) {
        table.columns().forEach((column, type) -> {
            if ((type.isSet() || type.isMap()) && !column.startsWith("_")) {
                long size = ColumnValues.size(row.getOrDefault(column, type.defaultValue()));
                if (size < type.min() || size > type.max()) {
                    throw new OvsdbRequestException("constraint violation", "column " + column + " of " + table.name() + " row "
                        + uuid + " holds " + size + " values, outside " + type.min() + ".." + type.max());
                }
            }
        });
    }

    private static void checkIndexes(TableSchema table, Map<UUID, Map<String, Object>> rows) {
        for (List<String> index : table.indexes()) {
            Map<List<Object>, UUID> seen = new HashMap<>();
            rows.forEach((uuid, row) -> {
                List<Object> key = index.stream().map(c -> row.getOrDefault(c, table.column(c).defaultValue())).toList();
                UUID other = seen.putIfAbsent(key, uuid);
                if (other != null) {
                    throw new OvsdbRequestException("constraint violation", "Transaction causes multiple rows in \"" + table.name()
                        + "\" table to have identical values " + key + " for index on " + index);
                }
            });
        }
    }
}
