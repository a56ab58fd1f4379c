package io.dpuvpc.ovn.northbound;

import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Northbound tables whose rows we write, and how their non-root rows hang from parents. The
 * planner only ever looks at these tables: the monitor asks for all their columns, so the cache's
 * {@code external_ids} and {@code name} indexes exist for each of them.
 */
public final class NbTables {
    public static final String DATABASE = "OVN_Northbound";

    public static final List<String> MANAGED = List.of(
            "Logical_Switch", "Logical_Switch_Port", "Logical_Router", "Logical_Router_Port",
            "Logical_Router_Static_Route", "Logical_Router_Policy", "NAT", "DHCP_Options", "Address_Set", "ACL",
            "Port_Group");

    /**
     * Reference columns into non-root tables that are weak (ovn-nb.ovsschema): they do not keep
     * the row alive, so they are no parent. Listed by hand because {@link ColumnType} does not
     * carry {@code refType}.
     */
    static final Set<String> WEAK_REFERENCES = Set.of("Port_Group.ports", "NAT.gateway_port");

    private NbTables() {}

    /** A parent's set column that holds (strong) references to rows of a non-root table. */
    public record ParentColumn(String table, String column) {}

    public static boolean isManaged(String table) {
        return MANAGED.contains(table);
    }

    /** Every column of every managed table. */
    public static MonitorRequest monitorRequest() {
        return MonitorRequest.allOf(DATABASE, MANAGED.toArray(String[]::new));
    }

    /**
     * For each managed non-root table, the managed (table, column) pairs whose strong references
     * keep its rows alive: a row is removed by deleting it from those columns (OVSDB then
     * garbage-collects it), never by {@code delete}.
     */
    public static Map<String, List<ParentColumn>> parentColumns(DatabaseSchema schema) {
        Map<String, List<ParentColumn>> parents = new LinkedHashMap<>();
        for (String child : MANAGED) {
            if (!schema.hasTable(child) || schema.table(child).isRoot()) {
                continue;
            }
            List<ParentColumn> columns = new ArrayList<>();
            for (String table : MANAGED) {
                if (!schema.hasTable(table)) {
                    continue;
                }
                TableSchema ts = schema.table(table);
                ts.columns().forEach((column, type) -> {
                    if (child.equals(type.refTable()) && !type.isMap() && !WEAK_REFERENCES.contains(table + "." + column)) {
                        columns.add(new ParentColumn(table, column));
                    }
                });
            }
            parents.put(child, List.copyOf(columns));
        }
        return Collections.unmodifiableMap(parents);
    }
}
