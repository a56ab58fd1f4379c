package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.OvsdbValues;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** A stored row as a JSON {@code <row>} (RFC 7047 5.1) of the given columns. */
final class RowJson {
    private RowJson() {}

    /** {@code withDefaults} false leaves default values out, as update2 rows do (ovsdb-server(7)). */
    static ObjectNode of(TableSchema table, UUID uuid, Map<String, Object> row, Collection<String> columns, boolean withDefaults) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        for (String column : columns) {
            ColumnType type = table.column(column);
            Object value = column.equals("_uuid") ? uuid : row.get(column);
            if (value == null && column.equals(Transaction.VERSION)) {
                continue;
            }
            if (value == null && withDefaults) {
                value = type.defaultValue();
            }
            if (value != null) {
                json.set(column, OvsdbValues.toJson(value));
            }
        }
        return json;
    }
}
