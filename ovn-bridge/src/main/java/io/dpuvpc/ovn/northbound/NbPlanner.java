package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.Mutation;
import io.dpuvpc.ovn.ovsdb.NamedUuid;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The diff engine: turns the rows some owners want into the fewest OVSDB operations that make the
 * monitored Northbound cache hold exactly them, touching nothing else. A pure function of the
 * cache and the desired rows: no I/O, no blocking; the caller transacts {@link Plan#operations()}
 * in one transaction and plans again when the cache changed.
 *
 * <p>Rules:
 * <ul>
 *   <li>A desired row is the cached row of its table whose {@code external_ids} have
 *       {@link Ownership#ID} = its id and {@link Ownership#OWNER} = its owner. Missing: inserted.
 *       Present: only the listed columns that differ are updated; {@code external_ids} is ours
 *       and compared whole. Several cached rows with one id: the smallest UUID is kept (the same
 *       choice wherever the row is referenced), the others removed.</li>
 *   <li>A non-root row hangs from its {@link ParentLink}: when the parent is inserted by the plan
 *       the children go into the parent's insert (their named-uuids: ovsdb-server resolves them
 *       wherever they are in the transaction), otherwise a {@code mutate ... insert} on the
 *       parent's UUID links them. A parent must not list a column its children link into: that
 *       column is written by mutations only, so an update can never drop another owner's child
 *       (an {@link IllegalArgumentException} says so).</li>
 *   <li>{@link RowRef}s in values (atoms, set elements, map values) resolve to the UUID of the
 *       row in the cache or to the named-uuid of its insert; a row whose reference or parent is
 *       neither is deferred ("waits for table id"), and so are the rows hanging from it.</li>
 *   <li>Cached rows of a planned owner (any managed table) that no desired row claims are
 *       removed: a root row by {@code delete}, a non-root row by deleting it from the parent rows
 *       that reference it (then OVSDB garbage-collects it), unless its parents are removed too.
 *       For an owner given as a part ({@link OwnerRows#part}) only its rows with the part's
 *       removed ids, and duplicates of its desired rows, are removed: its other rows stay.</li>
 *   <li>Rows without {@link Ownership#OWNER}, and rows of owners not planned, are never written,
 *       except a parent row of another owner into which a planned child is linked or from which
 *       it is unlinked.</li>
 * </ul>
 * Operations are sorted by table, then id, so the same state always gives the same plan.
 */
public final class NbPlanner {
    private NbPlanner() {}

    public static Plan plan(DatabaseCache nb, Collection<OwnerRows> owners) {
        return new Planning(nb, owners).run();
    }

    static final Comparator<RowRef> REF_ORDER = Comparator.comparing(RowRef::table).thenComparing(RowRef::id);

    private record Desired(ResourceKey owner, DesiredRow row) {}

    /** A reference from a parent row's column to a child. */
    private record Link(String table, UUID parent, String column) {}

    /** A cached row of a planned owner that goes, by delete or by garbage collection. */
    private record Doomed(Row row, ResourceKey owner) {
        RowRef ref() {
            return new RowRef(row.table(), row.getStringMap("external_ids").getOrDefault(Ownership.ID, ""));
        }
    }

    /** One operation with its sort key: the row it is about, then what it does to it. */
    private record Step(String table, String id, int rank, String detail, Operation operation) {}

    private static final Comparator<Step> STEP_ORDER = Comparator.comparing(Step::table).thenComparing(Step::id)
            .thenComparingInt(Step::rank).thenComparing(Step::detail);

    private static final int INSERT = 0;
    private static final int UPDATE = 1;
    private static final int LINK = 2;
    private static final int UNLINK = 3;
    private static final int DELETE = 4;

    /** One planning run; everything here lives for the call only. */
    private static final class Planning {
        private final DatabaseCache nb;
        private final DatabaseSchema schema;
        private final Map<String, List<NbTables.ParentColumn>> parentColumns;
        /** Every strong parent column, each once. */
        private final List<NbTables.ParentColumn> linkColumns;
        private final Map<ResourceKey, OwnerRows> owners = new LinkedHashMap<>();
        // Looked up by hash (several times per row); walked in table/id order through `ordered`.
        private final Map<RowRef, Desired> desired = new HashMap<>();
        private final List<Desired> ordered;
        private final Map<RowRef, Optional<String>> waits = new HashMap<>();
        private final Set<RowRef> visiting = new HashSet<>();
        private final Map<RowRef, NamedUuid> inserted = new HashMap<>();
        // Indexes built once per plan: looking these up row by row made planning quadratic in the
        // batch (the converge benchmark spent most of its JVM time there).
        private final Map<RowRef, List<Desired>> childrenByParent = new HashMap<>();
        private final Map<RowRef, Optional<Row>> cachedRows = new HashMap<>();
        private Set<UUID> doomed = Set.of();

        private final List<Step> steps = new ArrayList<>();
        private final Map<ResourceKey, Summary> summaries = new LinkedHashMap<>();
        private final Set<UUID> deleted = new LinkedHashSet<>();

        Planning(DatabaseCache nb, Collection<OwnerRows> given) {
            this.nb = nb;
            this.schema = nb.schema();
            this.parentColumns = NbTables.parentColumns(schema);
            Set<NbTables.ParentColumn> columns = new LinkedHashSet<>();
            parentColumns.values().forEach(columns::addAll);
            this.linkColumns = List.copyOf(columns);
            for (OwnerRows owner : given) {
                if (owners.put(owner.owner(), owner) != null) {
                    throw new IllegalArgumentException("owner " + owner.owner() + " is given twice");
                }
                summaries.put(owner.owner(), new Summary());
                for (DesiredRow row : owner.rows()) {
                    validate(row);
                    Desired previous = desired.put(row.ref(), new Desired(owner.owner(), row));
                    if (previous != null) {
                        throw new IllegalArgumentException(row.table() + " " + row.id() + " is desired twice (by "
                                + previous.owner() + " and " + owner.owner() + ")");
                    }
                }
            }
            List<Desired> sorted = new ArrayList<>(desired.values());
            sorted.sort(Comparator.comparing(d -> d.row().ref(), REF_ORDER));
            this.ordered = sorted;
            ordered.forEach(d -> checkParentColumn(d.row()));
            for (Desired d : ordered) {
                ParentLink link = d.row().parent();
                if (link != null) {
                    childrenByParent.computeIfAbsent(new RowRef(link.table(), link.id()), k -> new ArrayList<>()).add(d);
                }
            }
        }

        Plan run() {
            // Named-uuids in table/id order, so the same input always gives the same operations.
            int n = 0;
            for (Desired d : ordered) {
                if (waitsFor(d.row().ref()).isEmpty() && cached(d).isEmpty()) {
                    inserted.put(d.row().ref(), new NamedUuid("new" + n++));
                }
            }
            Set<UUID> kept = new HashSet<>();
            for (Desired d : ordered) {
                cached(d).ifPresent(row -> kept.add(row.uuid()));
            }
            Map<UUID, Doomed> doomed = doomed(kept);
            this.doomed = doomed.keySet();
            for (Desired d : ordered) {
                plan(d);
            }
            planDeletes(doomed);
            steps.sort(STEP_ORDER);
            Map<ResourceKey, Plan.OwnerSummary> result = new LinkedHashMap<>();
            summaries.forEach((owner, s) -> result.put(owner, s.toSummary()));
            return new Plan(steps.stream().map(Step::operation).toList(), result, deleted);
        }

        // ---- desired rows

        private void plan(Desired d) {
            DesiredRow row = d.row();
            Summary summary = summaries.get(d.owner());
            Optional<String> waiting = waitsFor(row.ref());
            if (waiting.isPresent()) {
                summary.deferred.put(row.ref(), waiting.get());
                return;
            }
            Optional<Row> current = cached(d);
            if (current.isEmpty()) {
                insert(d);
                summary.inserted.add(row.ref());
                return;
            }
            if (update(d, current.get())) {
                summary.updated.add(row.ref());
            }
        }

        private void insert(Desired d) {
            DesiredRow row = d.row();
            NamedUuid name = inserted.get(row.ref());
            Map<String, Object> values = new LinkedHashMap<>();
            TableSchema table = schema.table(row.table());
            row.columns().forEach((column, value) -> {
                if (!column.equals("external_ids")) {
                    values.put(column, desiredValue(table, column, value));
                }
            });
            values.put("external_ids", externalIds(d));
            // The children of a new parent go into its insert: ovsdb-server resolves named-uuids
            // anywhere in the transaction, so no ordering between the operations matters.
            children(row.ref()).forEach((column, refs) -> values.put(column, refs));
            steps.add(new Step(row.table(), row.id(), INSERT, "", new Operation.Insert(row.table(), values, name.name())));
            if (row.parent() != null) {
                parentRow(row.parent()).ifPresent(parent -> link(row, parent, name));
            }
        }

        /** Updates the differing columns and fixes the parent link; true if anything was written. */
        private boolean update(Desired d, Row current) {
            DesiredRow row = d.row();
            TableSchema table = schema.table(row.table());
            Map<String, Object> changed = new TreeMap<>();
            row.columns().forEach((column, value) -> {
                if (column.equals("external_ids")) {
                    return;
                }
                Object wanted = desiredValue(table, column, value);
                if (!Objects.equals(wanted, current.get(column))) {
                    changed.put(column, wanted);
                }
            });
            Map<String, String> ids = externalIds(d);
            if (!ids.equals(current.getStringMap("external_ids"))) {
                changed.put("external_ids", ids);
            }
            boolean written = false;
            if (!changed.isEmpty()) {
                steps.add(new Step(row.table(), row.id(), UPDATE, "",
                        Operation.update(row.table(), changed, Condition.uuid(current.uuid()))));
                written = true;
            }
            if (row.parent() != null) {
                written |= relink(row, current);
            }
            return written;
        }

        /**
         * Links a present child into its parent if it is not there yet (the parent was deleted and
         * inserted again, or the link moved) and out of any other parent row.
         */
        private boolean relink(DesiredRow row, Row current) {
            ParentLink link = row.parent();
            Optional<Row> parent = parentRow(link);
            boolean written = false;
            if (parent.isPresent() && !parent.get().getSet(link.column()).contains(current.uuid())) {
                link(row, parent.get(), current.uuid());
                written = true;
            }
            // A new parent took the child's UUID in its insert (see children()).
            UUID parentUuid = parent.map(Row::uuid).orElse(null);
            for (Link other : links(current.uuid())) {
                if (other.parent().equals(parentUuid) && other.column().equals(link.column())
                        || doomed.contains(other.parent())) {
                    continue;
                }
                steps.add(new Step(row.table(), row.id(), UNLINK, other.table() + other.parent() + other.column(),
                        Operation.mutate(other.table(), List.of(Mutation.delete(other.column(), Set.of(current.uuid()))),
                                Condition.uuid(other.parent()))));
                written = true;
            }
            return written;
        }

        private void link(DesiredRow row, Row parent, Object child) {
            ParentLink link = row.parent();
            steps.add(new Step(row.table(), row.id(), LINK, "", Operation.mutate(link.table(),
                    List.of(Mutation.insert(link.column(), Set.of(child))), Condition.uuid(parent.uuid()))));
        }

        /** For a parent inserted by this plan: per column, its non-deferred children's references. */
        private Map<String, Set<Object>> children(RowRef parent) {
            Map<String, Set<Object>> columns = new TreeMap<>();
            for (Desired d : childrenByParent.getOrDefault(parent, List.of())) {
                ParentLink link = d.row().parent();
                if (waitsFor(d.row().ref()).isPresent()) {
                    continue;
                }
                Object child = cached(d).<Object>map(Row::uuid).orElseGet(() -> inserted.get(d.row().ref()));
                columns.computeIfAbsent(link.column(), c -> new LinkedHashSet<>()).add(child);
            }
            return columns;
        }

        private Map<String, String> externalIds(Desired d) {
            Object given = d.row().columns().getOrDefault("external_ids", Map.of());
            Map<String, String> extra = new TreeMap<>();
            ((Map<?, ?>) given).forEach((k, v) -> extra.put(String.valueOf(k), String.valueOf(v)));
            return Ownership.externalIds(d.owner(), d.row().id(), extra);
        }

        /** A column's desired value as the cache would hold it, RowRefs resolved. */
        private Object desiredValue(TableSchema table, String column, Object value) {
            ColumnType type = table.column(column);
            return type.normalizeToWrite(resolve(value));
        }

        private Object resolve(Object value) {
            if (value instanceof RowRef ref) {
                return referenced(ref).<Object>map(Row::uuid).orElseGet(() -> {
                    NamedUuid name = inserted.get(ref);
                    if (name == null) {
                        throw new IllegalStateException("unresolved " + ref + " in a row that is not deferred");
                    }
                    return name;
                });
            }
            if (value instanceof Map<?, ?> map) {
                Map<Object, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(resolve(k), resolve(v)));
                return copy;
            }
            if (value instanceof Collection<?> collection) {
                Set<Object> copy = new LinkedHashSet<>();
                collection.forEach(e -> copy.add(resolve(e)));
                return copy;
            }
            if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            if (value instanceof Float f) {
                return f.doubleValue();
            }
            return value;
        }

        // ---- deferral

        /** Why {@code ref} (a desired row) cannot be written now, or empty. */
        private Optional<String> waitsFor(RowRef ref) {
            Optional<String> known = waits.get(ref);
            if (known != null) {
                return known;
            }
            if (!visiting.add(ref)) {
                return Optional.empty(); // a cycle of new rows: named-uuids resolve it in one transaction
            }
            Desired d = desired.get(ref);
            Optional<String> result = Optional.empty();
            List<RowRef> needed = new ArrayList<>();
            if (d.row().parent() != null) {
                needed.add(new RowRef(d.row().parent().table(), d.row().parent().id()));
            }
            d.row().columns().values().forEach(value -> collectRefs(value, needed));
            for (RowRef target : needed) {
                if (!available(target)) {
                    result = Optional.of("waits for " + target.table() + " " + target.id());
                    break;
                }
            }
            visiting.remove(ref);
            waits.put(ref, result);
            return result;
        }

        /** In NB already (even if itself deferred: its UUID is known), or inserted by this plan. */
        private boolean available(RowRef target) {
            if (referenced(target).isPresent()) {
                return true;
            }
            return desired.containsKey(target) && waitsFor(target).isEmpty();
        }

        private static void collectRefs(Object value, List<RowRef> refs) {
            if (value instanceof RowRef ref) {
                refs.add(ref);
            } else if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    collectRefs(k, refs);
                    collectRefs(v, refs);
                });
            } else if (value instanceof Collection<?> collection) {
                collection.forEach(e -> collectRefs(e, refs));
            }
        }

        // ---- cache lookups

        /** The kept cached row of a desired row: its id, its owner, the smallest UUID. */
        private Optional<Row> cached(Desired d) {
            Optional<Row> known = cachedRows.get(d.row().ref());
            if (known == null) {
                known = kept(d);
                cachedRows.put(d.row().ref(), known);
            }
            return known;
        }

        /** Of the cached rows with the desired row's id and owner, the one with the smallest UUID. */
        private Optional<Row> kept(Desired d) {
            String owner = Ownership.ownerValue(d.owner());
            return smallest(d.row().ref(), r -> owner.equals(r.getStringMap("external_ids").get(Ownership.OWNER)));
        }

        /** Of the cached rows with {@code ref}'s id that pass {@code test}, the one with the smallest UUID. */
        private Optional<Row> smallest(RowRef ref, Predicate<Row> test) {
            Row found = null;
            // Almost always one row or none: no stream, no sort.
            for (Row r : nb.table(ref.table()).byExternalId(Ownership.ID, ref.id())) {
                if (test.test(r) && (found == null || smaller(r, found))) {
                    found = r;
                }
            }
            return Optional.ofNullable(found);
        }

        /** The order of UUIDs as strings, as every plan has chosen the row to keep. */
        private static boolean smaller(Row a, Row b) {
            return a.uuid().toString().compareTo(b.uuid().toString()) < 0;
        }

        /** The row a reference or parent link designates: ours if planned, else any owner's. */
        private Optional<Row> referenced(RowRef ref) {
            Desired d = desired.get(ref);
            if (d != null) {
                return cached(d);
            }
            return smallest(ref, r -> r.getStringMap("external_ids").containsKey(Ownership.OWNER));
        }

        private Optional<Row> parentRow(ParentLink link) {
            return referenced(new RowRef(link.table(), link.id()));
        }

        /**
         * The parent rows that reference {@code child}, over every strong parent column, from the
         * cache's reference index: looked up per child, so a plan costs what its owners hold, not
         * what the whole Northbound holds.
         */
        private List<Link> links(UUID child) {
            List<Link> found = new ArrayList<>(1);
            for (NbTables.ParentColumn pc : linkColumns) {
                for (Row parent : nb.table(pc.table()).referrers(pc.column(), child)) {
                    found.add(new Link(pc.table(), parent.uuid(), pc.column()));
                }
            }
            return found;
        }

        // ---- deletes

        /**
         * The cached rows of the planned owners that no desired row keeps, with their owner:
         * collected first, so that a child whose parents all go is left to garbage collection.
         */
        private Map<UUID, Doomed> doomed(Set<UUID> kept) {
            Map<UUID, Doomed> doomed = new LinkedHashMap<>();
            for (OwnerRows given : owners.values()) {
                ResourceKey owner = given.owner();
                String value = Ownership.ownerValue(owner);
                for (String table : NbTables.MANAGED) {
                    if (!nb.tableNames().contains(table)) {
                        continue;
                    }
                    for (Row row : nb.table(table).byExternalId(Ownership.OWNER, value)) {
                        if (given.isPart() && !inPart(given, row)) {
                            continue; // a row of the owner's that this part leaves as it is
                        }
                        if (!kept.contains(row.uuid()) && !claimedByDeferred(row, owner)) {
                            doomed.put(row.uuid(), new Doomed(row, owner));
                        }
                    }
                }
            }
            return doomed;
        }

        /** A row a part plans: one that left, or a duplicate of one of its desired rows. */
        private boolean inPart(OwnerRows part, Row row) {
            String id = row.getStringMap("external_ids").get(Ownership.ID);
            return id != null && (part.removedIds().contains(id) || desired.containsKey(new RowRef(row.table(), id)));
        }

        private void planDeletes(Map<UUID, Doomed> doomed) {
            List<Doomed> sorted = doomed.values().stream().sorted(Comparator.comparing(Doomed::ref, REF_ORDER)
                    .thenComparing(g -> g.row().uuid().toString())).toList();
            for (Doomed gone : sorted) {
                Row row = gone.row();
                String id = gone.ref().id();
                summaries.get(gone.owner()).deleted.add(gone.ref());
                deleted.add(row.uuid());
                if (schema.table(row.table()).isRoot()) {
                    steps.add(new Step(row.table(), id, DELETE, row.uuid().toString(),
                            Operation.delete(row.table(), Condition.uuid(row.uuid()))));
                    continue;
                }
                List<Link> holders = links(row.uuid());
                if (holders.isEmpty()) {
                    // Not seen in any parent (cannot be for a consistent cache): unlink wherever it is.
                    for (NbTables.ParentColumn pc : parentColumns.getOrDefault(row.table(), List.of())) {
                        steps.add(new Step(row.table(), id, DELETE, row.uuid() + pc.table() + pc.column(),
                                Operation.mutate(pc.table(), List.of(Mutation.delete(pc.column(), Set.of(row.uuid()))),
                                        Condition.includes(pc.column(), Set.of(row.uuid())))));
                    }
                    continue;
                }
                for (Link holder : holders) {
                    if (doomed.containsKey(holder.parent())) {
                        continue; // garbage-collected with its parent
                    }
                    steps.add(new Step(row.table(), id, DELETE, row.uuid() + holder.table() + holder.parent() + holder.column(),
                            Operation.mutate(holder.table(), List.of(Mutation.delete(holder.column(), Set.of(row.uuid()))),
                                    Condition.uuid(holder.parent()))));
                }
            }
        }

        /** A cached duplicate is removed; the row of a deferred desired row stays as it is. */
        private boolean claimedByDeferred(Row row, ResourceKey owner) {
            String id = row.getStringMap("external_ids").get(Ownership.ID);
            Desired d = id == null ? null : desired.get(new RowRef(row.table(), id));
            return d != null && d.owner().equals(owner) && waitsFor(d.row().ref()).isPresent();
        }

        // ---- validation

        private void validate(DesiredRow row) {
            if (!NbTables.isManaged(row.table())) {
                throw new IllegalArgumentException("table " + row.table() + " of " + row.id() + " is not one of the managed "
                        + "Northbound tables " + NbTables.MANAGED);
            }
            TableSchema table = schema.table(row.table());
            row.columns().keySet().forEach(table::column);
            if (row.columns().containsKey("_uuid") || row.columns().containsKey("_version")) {
                throw new IllegalArgumentException(row.table() + " " + row.id() + " sets _uuid or _version");
            }
            Object ids = row.columns().get("external_ids");
            if (ids != null && !(ids instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(row.table() + " " + row.id() + ": external_ids must be a map");
            }
            ParentLink link = row.parent();
            if (table.isRoot() && link != null) {
                throw new IllegalArgumentException(row.table() + " is a root table: " + row.id() + " takes no parent");
            }
            if (!table.isRoot()) {
                if (link == null) {
                    throw new IllegalArgumentException(row.table() + " is not a root table: " + row.id()
                            + " needs a parent, or OVSDB deletes it");
                }
                if (!parentColumns.getOrDefault(row.table(), List.of())
                        .contains(new NbTables.ParentColumn(link.table(), link.column()))) {
                    throw new IllegalArgumentException(row.table() + " " + row.id() + " cannot hang from " + link.table()
                            + "." + link.column() + " (parents of " + row.table() + ": " + parentColumns.get(row.table()) + ")");
                }
            }
        }

        /**
         * A column children link into belongs to the mutations: an update of the whole set from
         * the parent's desired row would unlink children of other owners (or not yet inserted).
         */
        private void checkParentColumn(DesiredRow child) {
            ParentLink link = child.parent();
            if (link == null) {
                return;
            }
            Desired parent = desired.get(new RowRef(link.table(), link.id()));
            if (parent != null && parent.row().columns().containsKey(link.column())) {
                throw new IllegalArgumentException(link.table() + " " + link.id() + " lists column " + link.column()
                        + ", which " + child.table() + " " + child.id() + " links into: children are linked by mutations "
                        + "only, so a parent's desired row must not set that column");
            }
        }
    }

    /** Mutable per-owner collection while planning. */
    private static final class Summary {
        final List<RowRef> inserted = new ArrayList<>();
        final List<RowRef> updated = new ArrayList<>();
        final List<RowRef> deleted = new ArrayList<>();
        final Map<RowRef, String> deferred = new LinkedHashMap<>();

        Plan.OwnerSummary toSummary() {
            return new Plan.OwnerSummary(inserted, updated, deleted, deferred);
        }
    }
}
