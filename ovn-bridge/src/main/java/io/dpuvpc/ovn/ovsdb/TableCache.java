package io.dpuvpc.ovn.ovsdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The monitored rows of one table, with lookups by uuid, by {@code name}, by
 * {@code external_ids} key and value, and by the row a reference column holds ({@link #referrers}).
 * Written only by the client's I/O thread; read from any thread (each row is immutable; a reader
 * may see one notification half applied across tables, never a half-written row). The indexes'
 * sets of uuids are {@link UuidSets}: most hold one row, and a concurrent set per entry made
 * 174,000 {@code ConcurrentHashMap}s at 10,000 interfaces (docs/BENCHMARKS.md).
 */
public final class TableCache {
    private final TableSchema schema;
    private final Map<UUID, Row> rows = new ConcurrentHashMap<>();
    private final boolean indexName;
    private final boolean indexExternalIds;
    private final Map<String, Set<UUID>> byName = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Set<UUID>>> byExternalId = new ConcurrentHashMap<>();
    /** The monitored set columns of references to another table (a switch's {@code ports} ...). */
    private final List<String> referenceColumns;
    /** Reference column to referenced uuid to the uuids of this table's rows that hold it. */
    private final Map<String, Map<UUID, Set<UUID>>> referrers = new ConcurrentHashMap<>();

    /** {@code monitored}: the columns the monitor asks for; only those can be indexed. */
    TableCache(TableSchema schema, java.util.Set<String> monitored) {
        this.schema = schema;
        ColumnType name = monitored.contains("name") ? schema.columns().get("name") : null;
        this.indexName = name != null && name.keyType().equals("string") && !name.isMap();
        ColumnType ids = monitored.contains("external_ids") ? schema.columns().get("external_ids") : null;
        this.indexExternalIds = ids != null && ids.isMap();
        this.referenceColumns = schema.columns().entrySet().stream()
            .filter(e -> monitored.contains(e.getKey()) && e.getValue().refTable() != null && !e.getValue().isMap())
            .map(Map.Entry::getKey).sorted().toList();
        referenceColumns.forEach(c -> referrers.put(c, new ConcurrentHashMap<>()));
    }

    public String name() {
        return schema.name();
    }

    public TableSchema schema() {
        return schema;
    }

    public Optional<Row> row(UUID uuid) {
        return Optional.ofNullable(rows.get(uuid));
    }

    public Collection<Row> rows() {
        return Collections.unmodifiableCollection(rows.values());
    }

    public int size() {
        return rows.size();
    }

    /** Rows whose {@code name} column equals {@code name} (names are not unique in every table). */
    public List<Row> byName(String name) {
        if (!indexName) {
            throw new SchemaMismatchException("table " + schema.name() + " has no string column 'name' among the monitored columns to look up by");
        }
        return resolve(byName.get(name));
    }

    /** Rows whose {@code external_ids} map {@code key} to {@code value}. */
    public List<Row> byExternalId(String key, String value) {
        requireExternalIds();
        Map<String, Set<UUID>> values = byExternalId.get(key);
        return values == null ? List.of() : resolve(values.get(value));
    }

    /** Rows whose {@code external_ids} have {@code key}, whatever its value. */
    public List<Row> withExternalId(String key) {
        requireExternalIds();
        Map<String, Set<UUID>> values = byExternalId.get(key);
        return values == null ? List.of() : values.values().stream().flatMap(Set::stream).map(rows::get)
            .filter(Objects::nonNull).toList();
    }

    /**
     * The rows whose reference column {@code column} holds {@code uuid}: who links a child in. The
     * Northbound planner asks this for every child it keeps; a scan of the parents per plan grew
     * with the whole database and was two fifths of its time at 2,000 interfaces.
     */
    public List<Row> referrers(String column, UUID uuid) {
        Map<UUID, Set<UUID>> index = referrers.get(column);
        if (index == null) {
            throw new SchemaMismatchException("column " + schema.name() + "." + column
                + " is not a monitored set of references to look up by");
        }
        return resolve(index.get(uuid));
    }

    public List<Row> find(Predicate<Row> predicate) {
        return rows.values().stream().filter(predicate).toList();
    }

    private void requireExternalIds() {
        if (!indexExternalIds) {
            throw new SchemaMismatchException("table " + schema.name() + " has no map column 'external_ids' among the monitored columns to look up by");
        }
    }

    private List<Row> resolve(Set<UUID> uuids) {
        if (uuids == null) {
            return List.of();
        }
        // A plain loop: this runs for every row the planner looks up, and a stream per call was
        // a tenth of the converge benchmark's JVM time.
        List<Row> found = new ArrayList<>(uuids.size());
        for (UUID uuid : uuids) {
            Row row = rows.get(uuid);
            if (row != null) {
                found.add(row);
            }
        }
        return found;
    }

    /** Stores the row and returns the one it replaced, or null. */
    Row put(Row row) {
        Row old = rows.put(row.uuid(), row);
        if (old != null) {
            unindex(old);
        }
        index(row);
        reindexReferences(old, row);
        return old;
    }

    Row remove(UUID uuid) {
        Row old = rows.remove(uuid);
        if (old != null) {
            unindex(old);
            reindexReferences(old, null);
        }
        return old;
    }

    /** Only the references that changed: a switch gaining its thousandth port moves one entry, not a thousand. */
    private void reindexReferences(Row old, Row now) {
        for (String column : referenceColumns) {
            Set<UUID> before = old == null ? Set.of() : old.getSet(column);
            Set<UUID> after = now == null ? Set.of() : now.getSet(column);
            if (before.equals(after)) {
                continue;
            }
            Map<UUID, Set<UUID>> index = referrers.get(column);
            UUID holder = now != null ? now.uuid() : old.uuid();
            for (UUID gone : before) {
                if (!after.contains(gone)) {
                    index.computeIfPresent(gone, (k, set) -> UuidSets.minus(set, holder));
                }
            }
            for (UUID added : after) {
                if (!before.contains(added)) {
                    index.compute(added, (k, set) -> UuidSets.plus(set, holder));
                }
            }
        }
    }

    Map<UUID, Row> snapshot() {
        return Map.copyOf(rows);
    }

    private void index(Row row) {
        if (indexName) {
            String name = row.getString("name");
            if (name != null) {
                byName.compute(name, (k, set) -> UuidSets.plus(set, row.uuid()));
            }
        }
        if (indexExternalIds) {
            row.getStringMap("external_ids").forEach((k, v) -> byExternalId
                .computeIfAbsent(k, x -> new ConcurrentHashMap<>())
                .compute(v, (x, set) -> UuidSets.plus(set, row.uuid())));
        }
    }

    private void unindex(Row row) {
        if (indexName) {
            String name = row.getString("name");
            if (name != null) {
                byName.computeIfPresent(name, (k, set) -> UuidSets.minus(set, row.uuid()));
            }
        }
        if (indexExternalIds) {
            row.getStringMap("external_ids").forEach((k, v) -> byExternalId.computeIfPresent(k, (x, values) -> {
                values.computeIfPresent(v, (y, set) -> UuidSets.minus(set, row.uuid()));
                return values.isEmpty() ? null : values;
            }));
        }
    }
}
