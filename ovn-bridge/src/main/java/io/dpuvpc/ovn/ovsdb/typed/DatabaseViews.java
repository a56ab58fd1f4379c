package io.dpuvpc.ovn.ovsdb.typed;

import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.SchemaMismatchException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The views we have of one database, checked together against a server's schema and monitored
 * together with exactly their columns.
 */
public record DatabaseViews(String database, List<TableView<?>> views) {

    public DatabaseViews {
        views = List.copyOf(views);
        Set<String> tables = new HashSet<>();
        for (TableView<?> view : views) {
            if (!view.database().equals(database)) {
                throw new IllegalArgumentException(view + " is not a view of " + database);
            }
            if (!tables.add(view.table())) {
                throw new IllegalArgumentException("two views of " + database + "." + view.table());
            }
        }
    }

    public static DatabaseViews of(String database, TableView<?>... views) {
        return new DatabaseViews(database, List.of(views));
    }

    /**
     * Checks every view against {@code schema}.
     *
     * @throws SchemaMismatchException naming, for each view that does not fit, its missing table
     *                                 or first missing column
     */
    public void verifyAll(DatabaseSchema schema) {
        if (!schema.name().equals(database)) {
            throw new SchemaMismatchException("the views of " + database + " were checked against the schema of database "
                + schema.name());
        }
        List<String> problems = new ArrayList<>();
        for (TableView<?> view : views) {
            try {
                view.verify(schema);
            } catch (SchemaMismatchException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException(database + " schema version " + schema.version() + " does not fit "
                + problems.size() + " of our views: " + String.join("; ", problems));
        }
    }

    /** A monitor of every view's table with exactly its columns. */
    public MonitorRequest monitorRequest() {
        return TableView.monitorRequest(views);
    }
}
