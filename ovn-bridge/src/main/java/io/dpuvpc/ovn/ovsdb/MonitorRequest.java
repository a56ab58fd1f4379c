package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to monitor in one database: per table, the columns (null for all) and, for
 * monitor_cond/monitor_cond_since, the rows ({@code where}; empty for all).
 */
public record MonitorRequest(String database, Map<String, TableRequest> tables) {

    public record TableRequest(List<String> columns, List<Condition> where) {
        public TableRequest {
            columns = columns == null ? null : List.copyOf(columns);
            where = List.copyOf(where);
        }
    }

    public MonitorRequest {
        Objects.requireNonNull(database, "database");
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a monitor of " + database + " needs at least one table");
        }
    }

    /** Every column and row of the given tables. */
    public static MonitorRequest allOf(String database, String... tables) {
        Builder builder = builder(database);
        for (String table : tables) {
            builder.table(table);
        }
        return builder.build();
    }

    public static Builder builder(String database) {
        return new Builder(database);
    }

    /** Builds a request table by table. */
    public static final class Builder {
        private final String database;
        private final Map<String, TableRequest> tables = new LinkedHashMap<>();

        private Builder(String database) {
            this.database = database;
        }

        public Builder table(String table) {
            tables.put(table, new TableRequest(null, List.of()));
            return this;
        }

        public Builder table(String table, List<String> columns, Condition... where) {
            tables.put(table, new TableRequest(columns, List.of(where)));
            return this;
        }

        public MonitorRequest build() {
            return new MonitorRequest(database, tables);
        }
    }

    boolean hasConditions() {
        return tables.values().stream().anyMatch(t -> !t.where().isEmpty());
    }

    /** The {@code <monitor-requests>} of RFC 7047 4.1.5 (monitor) or the cond form (monitor_cond*). */
    ObjectNode toJson(MonitorMethod method) {
        ObjectNode json = OvsdbValues.JSON.objectNode();
        tables.forEach((table, request) -> {
            ObjectNode one = OvsdbValues.JSON.objectNode();
            if (request.columns() != null) {
                ArrayNode cols = one.putArray("columns");
                request.columns().forEach(cols::add);
            }
            if (method == MonitorMethod.MONITOR) {
                json.set(table, one);
            } else {
                if (!request.where().isEmpty()) {
                    ArrayNode where = one.putArray("where");
                    request.where().forEach(c -> where.add(c.toJson()));
                }
                json.set(table, OvsdbValues.JSON.arrayNode().add(one));
            }
        });
        return json;
    }
}
