package io.dpuvpc.ovn.ovsdb.typed;

import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.SchemaMismatchException;
import io.dpuvpc.ovn.ovsdb.TableCache;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A typed view of one OVSDB table: the columns it reads and how a {@link Row} holding them
 * becomes a {@code T}.
 *
 * <p>A view names no schema version. {@link #verify} checks that a server's schema has every
 * column the view reads, and a monitor built from views ({@link #monitorRequest(Collection)},
 * {@link #addTo}) asks for exactly those columns. A server with a newer schema therefore works
 * unchanged; one that lacks a column fails when the view is bound, with a
 * {@link SchemaMismatchException} naming the table and column, rather than later with a null.
 *
 * <p>Every view also reads the row's {@code _uuid}. It is the row's key in a monitor update, not a
 * column to ask for, so it is not among {@link #columns()}.
 *
 * @param <T> the record a row becomes
 */
public final class TableView<T> {
    private final String database;
    private final String table;
    private final List<String> columns;
    private final Function<Row, T> mapper;

    private TableView(String database, String table, List<String> columns, Function<Row, T> mapper) {
        this.database = Objects.requireNonNull(database, "database");
        this.table = Objects.requireNonNull(table, "table");
        this.columns = List.copyOf(columns);
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("a view of " + table + " must read at least one column");
        }
        if (new HashSet<>(this.columns).size() != this.columns.size()) {
            throw new IllegalArgumentException("a view of " + table + " lists a column twice: " + this.columns);
        }
        if (this.columns.contains("_uuid") || this.columns.contains("_version")) {
            throw new IllegalArgumentException("_uuid and _version are not columns to monitor; every view reads the row's uuid");
        }
    }

    /**
     * A view of {@code database}.{@code table}; {@code mapper} may read only {@code columns} (and
     * the row's uuid).
     */
    public static <T> TableView<T> of(String database, String table, List<String> columns, Function<Row, T> mapper) {
        return new TableView<>(database, table, columns, mapper);
    }

    public String database() {
        return database;
    }

    public String table() {
        return table;
    }

    /** The columns the view reads, in the order it lists them (without {@code _uuid}). */
    public List<String> columns() {
        return columns;
    }

    /**
     * Checks that {@code schema} has this view's table and every column it reads.
     *
     * @return this, for chaining
     * @throws SchemaMismatchException naming the database, the table or the first missing column
     */
    public TableView<T> verify(DatabaseSchema schema) {
        if (!schema.name().equals(database)) {
            throw new SchemaMismatchException("the view of " + database + "." + table
                + " was checked against the schema of database " + schema.name());
        }
        schema.table(table).requireColumns(columns);
        return this;
    }

    /**
     * The record of one row of this table.
     *
     * @throws IllegalArgumentException if the row is of another table, or lacks a column of this
     *                                  view (its monitor did not ask for the view's columns)
     */
    public T from(Row row) {
        if (!row.table().equals(table)) {
            throw new IllegalArgumentException("a row of " + row.table() + " given to the view of " + table);
        }
        for (String column : columns) {
            if (!row.columns().containsKey(column)) {
                throw new IllegalArgumentException("row " + row.uuid() + " of " + table + " has no column '" + column
                    + "': monitor the table with this view's columns");
            }
        }
        return mapper.apply(row);
    }

    /** Every cached row of this table, in no particular order. */
    public List<T> all(DatabaseCache cache) {
        return tableOf(cache).rows().stream().map(this::from).toList();
    }

    public Optional<T> find(DatabaseCache cache, UUID uuid) {
        return tableOf(cache).row(uuid).map(this::from);
    }

    /** Rows whose {@code name} is {@code name} (not unique in every table). */
    public List<T> byName(DatabaseCache cache, String name) {
        requireReads("name");
        return tableOf(cache).byName(name).stream().map(this::from).toList();
    }

    /** Rows whose {@code external_ids} map {@code key} to {@code value}: how we find the rows we own. */
    public List<T> byExternalId(DatabaseCache cache, String key, String value) {
        requireReads("external_ids");
        return tableOf(cache).byExternalId(key, value).stream().map(this::from).toList();
    }

    /**
     * Adds this view's table with exactly its columns (and, for monitor_cond, the rows to send) to
     * a request of the view's database.
     */
    public MonitorRequest.Builder addTo(MonitorRequest.Builder builder, Condition... where) {
        return builder.table(table, columns, where);
    }

    /** A monitor of these views' tables with exactly their columns; all views must be of one database. */
    public static MonitorRequest monitorRequest(Collection<? extends TableView<?>> views) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("a monitor request needs at least one view");
        }
        String database = views.iterator().next().database();
        MonitorRequest.Builder builder = MonitorRequest.builder(database);
        for (TableView<?> view : views) {
            if (!view.database().equals(database)) {
                throw new IllegalArgumentException("one monitor request covers one database: " + view.database() + "."
                    + view.table() + " is not in " + database);
            }
            view.addTo(builder);
        }
        return builder.build();
    }

    /** {@link #monitorRequest(Collection)} of the given views. */
    public static MonitorRequest monitorRequest(TableView<?>... views) {
        return monitorRequest(List.of(views));
    }

    private TableCache tableOf(DatabaseCache cache) {
        if (!cache.schema().name().equals(database)) {
            throw new IllegalArgumentException("the view of " + database + "." + table + " was given a cache of "
                + cache.schema().name());
        }
        return cache.table(table);
    }

    private void requireReads(String column) {
        if (!columns.contains(column)) {
            throw new IllegalStateException("the view of " + table + " does not read column '" + column + "'");
        }
    }

    @Override
    public String toString() {
        return "TableView[" + database + "." + table + " " + columns + "]";
    }
}
