package io.dpuvpc.simulator.ovs;

import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Open_vSwitch, Bridge, Port and Interface rows of a database, read with {@code select} through
 * our client, so that two servers' databases can be compared: rows keyed by name (the root row by
 * {@code "."}), references replaced by the name of the row they point to, {@code _uuid},
 * {@code _version} and the columns only ovs-vswitchd fills left out (neither server runs one).
 */
record VswitchSnapshot(Map<String, Map<String, Map<String, Object>>> tables) {
    static final List<String> TABLES = List.of("Open_vSwitch", "Bridge", "Port", "Interface");
    /** Status columns ovs-vswitchd writes (the ephemeral ones and its version and config counters). */
    private static final Set<String> VSWITCHD_COLUMNS = Set.of("cur_cfg", "ovs_version", "db_version", "system_type",
        "system_version", "datapath_types", "iface_types", "dpdk_initialized", "dpdk_version", "statistics", "status",
        "rstp_status", "rstp_statistics", "datapath_id", "datapath_version", "mac_in_use", "ifindex", "ofport", "bfd_status",
        "cfm_remote_mpids", "cfm_fault", "cfm_fault_status", "cfm_remote_opstate", "cfm_health", "lacp_current",
        "admin_state", "link_state", "link_resets", "link_speed", "duplex", "mtu", "error");

    static VswitchSnapshot read(String remote) throws Exception {
        try (OvsdbClient client = OvsdbClient.connect(OvsdbClientOptions.builder(remote).databases("Open_vSwitch")
                .leaderOnly(false).build()).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            DatabaseSchema schema = client.schema("Open_vSwitch");
            List<OperationResult> results = client.transact("Open_vSwitch",
                    TABLES.stream().map(t -> (Operation) Operation.select(t)).toList())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Map<UUID, String> names = new HashMap<>();
            for (int i = 0; i < TABLES.size(); i++) {
                for (Map<String, Object> row : results.get(i).rows()) {
                    names.put((UUID) row.get("_uuid"), TABLES.get(i) + ":" + key(row));
                }
            }
            Map<String, Map<String, Map<String, Object>>> tables = new TreeMap<>();
            for (int i = 0; i < TABLES.size(); i++) {
                String table = TABLES.get(i);
                Map<String, Map<String, Object>> rows = new TreeMap<>();
                for (Map<String, Object> row : results.get(i).rows()) {
                    Map<String, Object> columns = new TreeMap<>();
                    row.forEach((column, value) -> {
                        if (!column.startsWith("_") && !VSWITCHD_COLUMNS.contains(column)) {
                            ColumnType type = schema.table(table).column(column);
                            columns.put(column, named(type.normalize(value), names));
                        }
                    });
                    rows.put(key(row), columns);
                }
                tables.put(table, rows);
            }
            return new VswitchSnapshot(tables);
        }
    }

    private static String key(Map<String, Object> row) {
        Object name = row.get("name");
        return name instanceof String s ? s : ".";
    }

    /** A value with every uuid replaced by the name of its row; sets and maps sorted, to read a difference easily. */
    private static Object named(Object value, Map<UUID, String> names) {
        if (value instanceof UUID uuid) {
            return names.getOrDefault(uuid, "dangling:" + uuid);
        }
        if (value instanceof Set<?> set) {
            Set<Object> out = new TreeSet<>();
            set.forEach(e -> out.add(String.valueOf(named(e, names))));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(named(k, names)), named(v, names)));
            return out;
        }
        return value;
    }

    Map<String, Object> row(String table, String name) {
        return tables.getOrDefault(table, Map.of()).get(name);
    }
}
