package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operation of a {@code transact} request (RFC 7047 section 5.2). Build them with the
 * factories here; the builders on {@link Insert}, {@link Wait} etc. return new immutable values.
 */
public sealed interface Operation {

    /** The operation as it goes on the wire. */
    ObjectNode toJson();

    static Insert insert(String table) {
        return new Insert(table, Map.of(), null);
    }

    static Select select(String table, Condition... where) {
        return new Select(table, List.of(where), null);
    }

    static Update update(String table, Map<String, ?> row, Condition... where) {
        return new Update(table, List.of(where), row);
    }

    static Mutate mutate(String table, List<Mutation> mutations, Condition... where) {
        return new Mutate(table, List.of(where), mutations);
    }

    static Delete delete(String table, Condition... where) {
        return new Delete(table, List.of(where));
    }

    /** Waits until the selected rows are (or are not) exactly {@code rows} in {@code columns}. */
    static Wait waitUntil(String table, String until, List<Condition> where, List<String> columns,
                          List<Map<String, ?>> rows, long timeoutMillis) {
        return new Wait(table, where, columns, until, rows, timeoutMillis);
    }

    static Commit commit(boolean durable) {
        return new Commit(durable);
    }

    static Abort abort() {
        return Abort.INSTANCE;
    }

    static Comment comment(String text) {
        return new Comment(text);
    }

    static Assert assertLock(String lockId) {
        return new Assert(lockId);
    }

    /** RFC 7047 5.2.1. {@code uuidName} may be null. */
    record Insert(String table, Map<String, ?> row, String uuidName) implements Operation {
        public Insert {
            Objects.requireNonNull(table, "table");
            row = Map.copyOf(row);
            if (uuidName != null) {
                new NamedUuid(uuidName); // validates the <id> syntax
            }
        }

        /** A copy with one more column value. */
        public Insert value(String column, Object value) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.put(column, value);
            return new Insert(table, copy, uuidName);
        }

        public Insert values(Map<String, ?> values) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.putAll(values);
            return new Insert(table, copy, uuidName);
        }

        /** Names the new row so later operations of the transaction can refer to it. */
        public Insert withUuidName(String name) {
            return new Insert(table, row, name);
        }

        /** The reference to this row for later operations of the same transaction. */
        public NamedUuid ref() {
            if (uuidName == null) {
                throw new IllegalStateException("insert into " + table + " has no uuid-name: call withUuidName first");
            }
            return new NamedUuid(uuidName);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("insert", table);
            op.set("row", rowJson(row));
            if (uuidName != null) {
                op.put("uuid-name", uuidName);
            }
            return op;
        }
    }

    /** RFC 7047 5.2.2. {@code columns} null selects all columns. */
    record Select(String table, List<Condition> where, List<String> columns) implements Operation {
        public Select {
            Objects.requireNonNull(table, "table");
            where = List.copyOf(where);
            columns = columns == null ? null : List.copyOf(columns);
        }

        public Select columns(String... names) {
            return new Select(table, where, List.of(names));
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("select", table);
            op.set("where", whereJson(where));
            if (columns != null) {
                ArrayNode cols = op.putArray("columns");
                columns.forEach(cols::add);
            }
            return op;
        }
    }

    /** RFC 7047 5.2.3. */
    record Update(String table, List<Condition> where, Map<String, ?> row) implements Operation {
        public Update {
            Objects.requireNonNull(table, "table");
            where = List.copyOf(where);
            row = Map.copyOf(row);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("update", table);
            op.set("where", whereJson(where));
            op.set("row", rowJson(row));
            return op;
        }
    }

    /** RFC 7047 5.2.4. */
    record Mutate(String table, List<Condition> where, List<Mutation> mutations) implements Operation {
        public Mutate {
            Objects.requireNonNull(table, "table");
            where = List.copyOf(where);
            mutations = List.copyOf(mutations);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("mutate", table);
            op.set("where", whereJson(where));
            ArrayNode muts = op.putArray("mutations");
            mutations.forEach(m -> muts.add(m.toJson()));
            return op;
        }
    }

    /** RFC 7047 5.2.5. */
    record Delete(String table, List<Condition> where) implements Operation {
        public Delete {
            Objects.requireNonNull(table, "table");
            where = List.copyOf(where);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("delete", table);
            op.set("where", whereJson(where));
            return op;
        }
    }

    /** RFC 7047 5.2.6. {@code until} is "==" or "!=". */
    record Wait(String table, List<Condition> where, List<String> columns, String until,
                List<Map<String, ?>> rows, long timeoutMillis) implements Operation {
        public Wait {
            Objects.requireNonNull(table, "table");
            where = List.copyOf(where);
            columns = List.copyOf(columns);
            if (!until.equals("==") && !until.equals("!=")) {
                throw new IllegalArgumentException("wait until must be \"==\" or \"!=\", not \"" + until + "\"");
            }
            rows = rows.stream().<Map<String, ?>>map(Map::copyOf).toList();
            if (timeoutMillis < 0) {
                throw new IllegalArgumentException("wait timeout must be >= 0 ms");
            }
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = OvsdbValues.JSON.objectNode();
            op.put("op", "wait");
            op.put("timeout", timeoutMillis);
            op.put("table", table);
            op.set("where", whereJson(where));
            ArrayNode cols = op.putArray("columns");
            columns.forEach(cols::add);
            op.put("until", until);
            ArrayNode rowsJson = op.putArray("rows");
            rows.forEach(r -> rowsJson.add(rowJson(r)));
            return op;
        }
    }

    /** RFC 7047 5.2.7. */
    record Commit(boolean durable) implements Operation {
        @Override
        public ObjectNode toJson() {
            ObjectNode op = OvsdbValues.JSON.objectNode();
            op.put("op", "commit");
            op.put("durable", durable);
            return op;
        }
    }

    /** RFC 7047 5.2.8: the transaction fails with "aborted". */
    enum Abort implements Operation {
        INSTANCE;

        @Override
        public ObjectNode toJson() {
            return OvsdbValues.JSON.objectNode().put("op", "abort");
        }
    }

    /** RFC 7047 5.2.9: a note in the database log. */
    record Comment(String comment) implements Operation {
        public Comment {
            Objects.requireNonNull(comment, "comment");
        }

        @Override
        public ObjectNode toJson() {
            return OvsdbValues.JSON.objectNode().put("op", "comment").put("comment", comment);
        }
    }

    /** RFC 7047 5.2.10: fails with "not owner" unless this session holds the lock. */
    record Assert(String lock) implements Operation {
        public Assert {
            new NamedUuid(lock); // a lock name is an <id> too (RFC 7047 section 4.1.8)
        }

        @Override
        public ObjectNode toJson() {
            return OvsdbValues.JSON.objectNode().put("op", "assert").put("lock", lock);
        }
    }

    private static ObjectNode op(String name, String table) {
        ObjectNode op = OvsdbValues.JSON.objectNode();
        op.put("op", name);
        op.put("table", table);
        return op;
    }

    private static ArrayNode whereJson(List<Condition> where) {
        ArrayNode array = OvsdbValues.JSON.arrayNode();
        where.forEach(c -> array.add(c.toJson()));
        return array;
    }

    private static ObjectNode rowJson(Map<String, ?> row) {
        ObjectNode json = OvsdbValues.JSON.objectNode();
        row.forEach((column, value) -> json.set(column, OvsdbValues.toJson(value)));
        return json;
    }
}
