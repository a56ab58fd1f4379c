package io.dpuvpc.ovn.northbound;

/**
 * A reference, inside a desired column value, to another row of ours by its id ({@link
 * Ownership#ID}): resolved when planning to the row's UUID when it is in the database, or to a
 * named-uuid when it is inserted by the same transaction.
 */
public record RowRef(String table, String id) {}
