package io.dpuvpc.app.simulate;

import io.dpuvpc.ovn.northbound.NbTables;
import io.dpuvpc.ovn.northbound.Ownership;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Our rows in the Northbound as a {@code select} reads them, independent of the controller's
 * cache: how many rows each owner has, and the rows written twice (two rows with the same owner and
 * the same id, which the planner's idempotent writes must never leave).
 *
 * @param rows our rows (those with an owner), per table
 * @param rowsByOwner owner ({@code Kind/namespace/name}) → its rows
 * @param duplicates owner and id → how many rows carry them, for those carried by more than one
 */
record NbAudit(Map<String, Long> rows, Map<String, Long> rowsByOwner, Map<String, Long> duplicates) {

    static NbAudit read(String nbEndpoint) {
        try (OvsdbClient client = OvsdbClient.connect(OvsdbClientOptions.builder(nbEndpoint).databases(NbTables.DATABASE)
            .build()).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
            List<String> tables = NbTables.MANAGED;
            List<Operation> selects = tables.stream().map(t -> (Operation) Operation.select(t).columns("external_ids")).toList();
            List<OperationResult> results = client.transact(NbTables.DATABASE, selects).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
            Map<String, Long> rows = new TreeMap<>();
            Map<String, Long> byOwner = new TreeMap<>();
            Map<String, Long> byOwnerAndId = new HashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                long ours = 0;
                for (Map<String, Object> row : results.get(i).rows()) {
                    @SuppressWarnings("unchecked")
                    Map<String, String> ids = (Map<String, String>) row.getOrDefault("external_ids", Map.of());
                    String owner = ids.get(Ownership.OWNER);
                    if (owner != null) {
                        ours++;
                        byOwner.merge(owner, 1L, Long::sum);
                        byOwnerAndId.merge(owner + " " + tables.get(i) + " " + ids.getOrDefault(Ownership.ID, ""), 1L, Long::sum);
                    }
                }
                rows.put(tables.get(i), ours);
            }
            Map<String, Long> duplicates = new TreeMap<>();
            byOwnerAndId.forEach((key, count) -> {
                if (count > 1) {
                    duplicates.put(key, count);
                }
            });
            return new NbAudit(rows, byOwner, duplicates);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the Northbound at " + nbEndpoint + ": " + e.getMessage(), e);
        }
    }

    long total() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows written twice, beyond the first. */
    long duplicateRows() {
        return duplicates.values().stream().mapToLong(c -> c - 1).sum();
    }

    /** Owners with rows that are not among {@code live} (resources the API lists): left behind. */
    Set<String> orphans(Set<String> live) {
        Set<String> orphans = new TreeSet<>(rowsByOwner.keySet());
        orphans.removeAll(live);
        return orphans;
    }
}
