package io.dpuvpc.node;

import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.Mutation;
import io.dpuvpc.ovn.ovsdb.NamedUuid;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.Row;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Just enough of ovsdb-server's transaction semantics for the four tables {@link LocalOvs} writes,
 * so unit tests can apply a plan and plan again: inserts with named-uuids, updates, map and set
 * mutations (RFC 7047 5.1: a map insert keeps existing keys), the unique {@code name} index, and
 * garbage collection of unreferenced Bridge, Port and Interface rows. Values are stored in the
 * shapes the monitor's cache uses (optional columns as sets, integers as longs). NodeAgentIT checks
 * the same plans against a real ovsdb-server.
 */
final class FakeOvs {
    private static final List<String> TABLES = List.of("Open_vSwitch", "Bridge", "Port", "Interface");
    private static final Set<String> OPTIONAL = Set.of("fail_mode", "mtu_request");
    /** Non-root table to the parent column that keeps its rows alive. */
    private static final Map<String, String[]> PARENT = Map.of(
        "Bridge", new String[] {"Open_vSwitch", "bridges"},
        "Port", new String[] {"Bridge", "ports"},
        "Interface", new String[] {"Port", "interfaces"});

    private final Map<String, Map<UUID, Map<String, Object>>> tables = new LinkedHashMap<>();
    private int transactions;

    FakeOvs() {
        TABLES.forEach(t -> tables.put(t, new LinkedHashMap<>()));
    }

    int transactions() {
        return transactions;
    }

    LocalOvs.OvsState state() {
        return new LocalOvs.OvsState(rows("Open_vSwitch"), rows("Bridge"), rows("Port"), rows("Interface"));
    }

    List<Row> rows(String table) {
        List<Row> rows = new ArrayList<>();
        tables.get(table).forEach((uuid, columns) -> rows.add(new Row(table, uuid, Map.copyOf(columns))));
        return rows;
    }

    Row byName(String table, String name) {
        return rows(table).stream().filter(r -> name.equals(r.getString("name"))).findFirst().orElse(null);
    }

    /** Adds a row as another writer would (ovs-vsctl, ovn-controller); returns its uuid. */
    UUID put(String table, Map<String, Object> columns) {
        UUID uuid = UUID.randomUUID();
        tables.get(table).put(uuid, shaped(new LinkedHashMap<>(columns)));
        return uuid;
    }

    void set(UUID uuid, String column, Object value) {
        row(uuid).put(column, shape(column, value));
        collectGarbage();
    }

    /** Applies {@code operations} as one transaction (all or nothing is not modelled: tests expect success). */
    void transact(List<Operation> operations) {
        if (operations.isEmpty()) {
            return;
        }
        transactions++;
        Map<String, UUID> named = new HashMap<>();
        for (Operation op : operations) {
            if (op instanceof Operation.Insert insert && insert.uuidName() != null) {
                named.put(insert.uuidName(), UUID.randomUUID());
            }
        }
        for (Operation op : operations) {
            if (op instanceof Operation.Insert insert) {
                UUID uuid = insert.uuidName() == null ? UUID.randomUUID() : named.get(insert.uuidName());
                Map<String, Object> row = new LinkedHashMap<>();
                insert.row().forEach((c, v) -> row.put(c, resolve(v, named)));
                String name = (String) row.get("name");
                if (name != null && byName(insert.table(), name) != null) {
                    throw new IllegalStateException("constraint violation: " + insert.table() + " " + name + " exists");
                }
                tables.get(insert.table()).put(uuid, shaped(row));
            } else if (op instanceof Operation.Update update) {
                Map<String, Object> row = target(update.table(), update.where());
                update.row().forEach((c, v) -> row.put(c, shape(c, resolve(v, named))));
            } else if (op instanceof Operation.Mutate mutate) {
                Map<String, Object> row = target(mutate.table(), mutate.where());
                for (Mutation m : mutate.mutations()) {
                    row.put(m.column(), mutated(row.get(m.column()), m, named));
                }
            } else {
                throw new UnsupportedOperationException("LocalOvs does not plan " + op);
            }
        }
        collectGarbage();
    }

    private Map<String, Object> target(String table, List<Condition> where) {
        if (where.size() != 1 || !where.get(0).column().equals("_uuid") || !where.get(0).function().equals("==")) {
            throw new UnsupportedOperationException("only _uuid == conditions: " + where);
        }
        Map<String, Object> row = tables.get(table).get((UUID) where.get(0).value());
        if (row == null) {
            throw new IllegalStateException("no row " + where.get(0).value() + " in " + table);
        }
        return row;
    }

    private Map<String, Object> row(UUID uuid) {
        return tables.values().stream().map(t -> t.get(uuid)).filter(r -> r != null).findFirst().orElseThrow();
    }

    private static Object mutated(Object current, Mutation m, Map<String, UUID> named) {
        Object value = resolve(m.value(), named);
        if (current instanceof Map<?, ?> || (current == null && value instanceof Map<?, ?>)) {
            Map<Object, Object> result = new TreeMap<>(current == null ? Map.of() : (Map<?, ?>) current);
            switch (m.mutator()) {
                case "insert" -> ((Map<?, ?>) value).forEach(result::putIfAbsent);
                case "delete" -> {
                    if (value instanceof Map<?, ?> pairs) {
                        pairs.forEach(result::remove);
                    } else {
                        ((Collection<?>) value).forEach(result::remove);
                    }
                }
                default -> throw new UnsupportedOperationException(m.mutator());
            }
            return result;
        }
        Set<Object> result = new LinkedHashSet<>(current == null ? Set.of() : (Set<?>) current);
        switch (m.mutator()) {
            case "insert" -> result.addAll((Collection<?>) value);
            case "delete" -> result.removeAll((Collection<?>) value);
            default -> throw new UnsupportedOperationException(m.mutator());
        }
        return result;
    }

    private static Object resolve(Object value, Map<String, UUID> named) {
        if (value instanceof NamedUuid n) {
            UUID uuid = named.get(n.name());
            if (uuid == null) {
                throw new IllegalStateException("unknown named-uuid " + n.name());
            }
            return uuid;
        }
        if (value instanceof Collection<?> c) {
            Set<Object> set = new LinkedHashSet<>();
            c.forEach(e -> set.add(resolve(e, named)));
            return set;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        return value;
    }

    private static Map<String, Object> shaped(Map<String, Object> row) {
        row.replaceAll(FakeOvs::shape);
        return row;
    }

    private static Object shape(String column, Object value) {
        if (OPTIONAL.contains(column) && !(value instanceof Set<?>)) {
            return Set.of(value instanceof Integer i ? i.longValue() : value);
        }
        if (value instanceof Map<?, ?> map) {
            return new TreeMap<>(map);
        }
        return value;
    }

    private void collectGarbage() {
        boolean removed = true;
        while (removed) {
            removed = false;
            for (var entry : PARENT.entrySet()) {
                Set<Object> referenced = new LinkedHashSet<>();
                tables.get(entry.getValue()[0]).values()
                    .forEach(parent -> referenced.addAll((Collection<?>) parent.getOrDefault(entry.getValue()[1], Set.of())));
                removed |= tables.get(entry.getKey()).keySet().removeIf(uuid -> !referenced.contains(uuid));
            }
        }
    }
}
