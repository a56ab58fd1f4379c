package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table of a {@link DatabaseSchema}: its columns with their types, root flag and indexes. */
public record TableSchema(String database, String name, Map<String, ColumnType> columns, boolean isRoot,
                          List<List<String>> indexes) {

    static TableSchema fromJson(String database, String name, JsonNode json) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        // Every table has these two implicitly (RFC 7047 section 3.2).
        columns.put("_uuid", new ColumnType("uuid", null, null, 1, 1));
        columns.put("_version", new ColumnType("uuid", null, null, 1, 1));
        json.path("columns").fields().forEachRemaining(e -> columns.put(e.getKey(), ColumnType.fromJson(e.getValue().get("type"))));
        List<List<String>> indexes = new ArrayList<>();
        for (JsonNode index : json.path("indexes")) {
            List<String> cols = new ArrayList<>();
            index.forEach(c -> cols.add(c.asText()));
            indexes.add(List.copyOf(cols));
        }
        return new TableSchema(database, name, Collections.unmodifiableMap(columns), json.path("isRoot").asBoolean(false),
            List.copyOf(indexes));
    }

    public boolean hasColumn(String column) {
        return columns.containsKey(column);
    }

    /** The column's type, or a {@link SchemaMismatchException} that names the table and column. */
    public ColumnType column(String column) {
        ColumnType type = columns.get(column);
        if (type == null) {
            throw new SchemaMismatchException("table " + name + " of database " + database + " has no column '" + column
                + "' (this server's schema has: " + String.join(", ", columns.keySet()) + ")");
        }
        return type;
    }

    /** Fails, naming the first one missing, unless every column exists. */
    public void requireColumns(Iterable<String> required) {
        required.forEach(this::column);
    }
}
