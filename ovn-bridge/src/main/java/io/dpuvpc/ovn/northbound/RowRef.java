package io.dpuvpc.ovn.northbound;

/**
 * A reference, inside a desired column value, to another row of ours by its id ({@link
 * Ownership#ID}): resolved when planning to the row's UUID when it is in the database, or to a
 * named-uuid when it is inserted by the same transaction.
 *
 * <p>{@code equals} and {@code hashCode} are written out: the planner looks every row up by its
 * RowRef several times per plan, and the record's generated ones go through method handles that
 * the JIT did not inline in the controller (in a profile of `vpc simulate` with VPCs of 100 DPUs,
 * {@code RowRef.equals} and its method-handle frames were 30 % of the bridge's planning samples).
 */
public record RowRef(String table, String id) {
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof RowRef other && id.equals(other.id) && table.equals(other.table);
    }

    @Override
    public int hashCode() {
        return 31 * table.hashCode() + id.hashCode();
    }
}
