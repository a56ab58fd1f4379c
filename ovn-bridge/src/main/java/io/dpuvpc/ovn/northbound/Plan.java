package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.ovn.ovsdb.Operation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What {@link NbPlanner} decided: the operations of one transaction (empty when NB already is as
 * desired), per owner what they do, and the UUIDs of the rows they remove (deleted, or unlinked
 * from every parent and so garbage-collected), so a caller can wait until the cache lost them.
 */
public record Plan(List<Operation> operations, Map<ResourceKey, OwnerSummary> owners, Set<UUID> deletedUuids) {
    public Plan {
        operations = List.copyOf(operations);
        owners = Collections.unmodifiableMap(new LinkedHashMap<>(owners));
        deletedUuids = Set.copyOf(deletedUuids);
    }

    /** Nothing to write. */
    public boolean isEmpty() {
        return operations.isEmpty();
    }

    public OwnerSummary summary(ResourceKey owner) {
        return owners.getOrDefault(owner, OwnerSummary.EMPTY);
    }

    /**
     * One owner's share: rows inserted, rows updated (changed columns, or linked into their
     * parent again), rows removed, and rows not written this time with what they wait for
     * ({@code "waits for <table> <id>"}).
     */
    public record OwnerSummary(List<RowRef> inserted, List<RowRef> updated, List<RowRef> deleted,
                               Map<RowRef, String> deferred) {
        static final OwnerSummary EMPTY = new OwnerSummary(List.of(), List.of(), List.of(), Map.of());

        public OwnerSummary {
            inserted = List.copyOf(inserted);
            updated = List.copyOf(updated);
            deleted = List.copyOf(deleted);
            deferred = Collections.unmodifiableMap(new LinkedHashMap<>(deferred));
        }

        /** Every desired row is in NB as wanted and nothing of the owner is left over. */
        public boolean isSettled() {
            return inserted.isEmpty() && updated.isEmpty() && deleted.isEmpty() && deferred.isEmpty();
        }
    }
}
