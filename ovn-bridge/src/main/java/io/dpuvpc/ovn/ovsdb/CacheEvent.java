package io.dpuvpc.ovn.ovsdb;

/** One row change seen by a monitor: {@code oldRow} is null for an insert, {@code newRow} for a delete. */
public record CacheEvent(Kind kind, String table, Row oldRow, Row newRow) {
    public enum Kind { INSERT, MODIFY, DELETE }

    /** The row after the change, or before it for a delete. */
    public Row row() {
        return newRow != null ? newRow : oldRow;
    }
}
