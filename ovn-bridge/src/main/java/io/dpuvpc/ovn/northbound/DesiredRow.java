package io.dpuvpc.ovn.northbound;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row we want in the Northbound database: its table, its identity (our {@link Ownership#ID}
 * in {@code external_ids}, stable across restarts), the columns we set (values as {@code
 * OvsdbValues} takes them, with {@link RowRef} wherever a UUID would go) and, for a non-root table,
 * its {@link ParentLink}. Columns not listed are left as OVN keeps them (northd's
 * {@code dynamic_addresses}, {@code up}...); {@code external_ids} is written whole, the ownership
 * keys added to what is given here.
 */
public record DesiredRow(String table, String id, Map<String, Object> columns, ParentLink parent) {
    public DesiredRow {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(id, "id");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    public static DesiredRow root(String table, String id, Map<String, Object> columns) {
        return new DesiredRow(table, id, columns, null);
    }

    public static DesiredRow child(String table, String id, Map<String, Object> columns, ParentLink parent) {
        return new DesiredRow(table, id, columns, Objects.requireNonNull(parent, "parent"));
    }

    public RowRef ref() {
        return new RowRef(table, id);
    }
}
