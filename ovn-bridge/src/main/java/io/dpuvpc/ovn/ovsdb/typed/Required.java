package io.dpuvpc.ovn.ovsdb.typed;

import io.dpuvpc.ovn.ovsdb.Row;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads a required scalar column (schema {@code min 1, max 1}) of a row. {@link Row}'s getters
 * return an {@link Optional} for every scalar because a scalar may be an optional one; for a
 * required column an empty value means the row was not monitored with that column, a bug worth
 * a message that names it.
 */
public final class Required {
    private Required() {
    }

    public static String string(Row row, String column) {
        return present(row.string(column), row, column);
    }

    public static long integer(Row row, String column) {
        return present(row.integer(column), row, column);
    }

    public static boolean bool(Row row, String column) {
        return present(row.bool(column), row, column);
    }

    public static UUID reference(Row row, String column) {
        return present(row.reference(column), row, column);
    }

    private static <T> T present(Optional<T> value, Row row, String column) {
        return value.orElseThrow(() -> new IllegalStateException("row " + row.uuid() + " of " + row.table()
            + " has no value in required column '" + column + "'"));
    }
}
