package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows one resource owns, as wanted now. Whole ({@code removedIds} null): every row the owner
 * owns, and an empty list means none (the owner is gone); the planner removes any other row of
 * the owner. A part ({@link #part}): only the rows that changed since a plan the monitor showed
 * in place, and the ids of the rows that left; the planner removes only those and leaves the
 * owner's other rows as they are.
 */
public record OwnerRows(ResourceKey owner, List<DesiredRow> rows, Set<String> removedIds) {
    public OwnerRows {
        rows = List.copyOf(rows);
        removedIds = removedIds == null ? null : Set.copyOf(removedIds);
    }

    public OwnerRows(ResourceKey owner, List<DesiredRow> rows) {
        this(owner, rows, null);
    }

    public static OwnerRows none(ResourceKey owner) {
        return new OwnerRows(owner, List.of());
    }

    /** The changed and new rows of an owner, and the ids of its rows that are no longer wanted. */
    public static OwnerRows part(ResourceKey owner, List<DesiredRow> changed, Set<String> removedIds) {
        return new OwnerRows(owner, changed, removedIds);
    }

    /**
     * The part of {@code now} that differs from {@code before} (both whole, of one owner): its rows
     * that are new or not equal to the row of the same table and id before, and the ids of the rows
     * before that it no longer has.
     */
    public static OwnerRows changedSince(OwnerRows before, OwnerRows now) {
        Map<RowRef, DesiredRow> left = new HashMap<>();
        before.rows().forEach(row -> left.put(row.ref(), row));
        List<DesiredRow> changed = new ArrayList<>();
        for (DesiredRow row : now.rows()) {
            if (!row.equals(left.remove(row.ref()))) {
                changed.add(row);
            }
        }
        Set<String> removed = new HashSet<>();
        left.keySet().forEach(ref -> removed.add(ref.id()));
        return part(now.owner(), changed, removed);
    }

    public boolean isPart() {
        return removedIds != null;
    }
}
