package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A database schema as {@code get_schema} returns it (RFC 7047 section 3.2). */
public record DatabaseSchema(String name, String version, Map<String, TableSchema> tables) {

    public static DatabaseSchema fromJson(JsonNode json) {
        if (!json.isObject() || !json.has("name") || !json.has("tables")) {
            throw new OvsdbProtocolException("not a database schema: " + OvsdbValues.abbreviate(json));
        }
        String name = json.get("name").asText();
        Map<String, TableSchema> tables = new LinkedHashMap<>();
        json.get("tables").fields().forEachRemaining(e -> tables.put(e.getKey(), TableSchema.fromJson(name, e.getKey(), e.getValue())));
        return new DatabaseSchema(name, json.path("version").asText(""), Collections.unmodifiableMap(tables));
    }

    /** The table, or a {@link SchemaMismatchException} that names it. */
    public TableSchema table(String table) {
        TableSchema schema = tables.get(table);
        if (schema == null) {
            throw new SchemaMismatchException("database " + name + " (schema version " + version + ") has no table '" + table + "'");
        }
        return schema;
    }

    public boolean hasTable(String table) {
        return tables.containsKey(table);
    }
}
