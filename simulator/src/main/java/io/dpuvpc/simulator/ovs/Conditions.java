package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A parsed {@code where} clause (RFC 7047 5.1 {@code <condition>}s, all of which must hold), and
 * for monitor_cond the bare {@code true}/{@code false} that ovsdb-server(7) also accepts.
 */
final class Conditions {
    private record Clause(String column, String function, Object value) {
    }

    private final List<Clause> clauses;
    private final boolean never;

    private Conditions(List<Clause> clauses, boolean never) {
        this.clauses = clauses;
        this.never = never;
    }

    static final Conditions ALL = new Conditions(List.of(), false);

    static Conditions parse(TableSchema table, JsonNode where, Function<String, UUID> named) {
        if (where == null || where.isNull()) {
            return ALL;
        }
        if (!where.isArray()) {
            throw new OvsdbRequestException("syntax error", "where is not an array");
        }
        List<Clause> clauses = new ArrayList<>();
        boolean never = false;
        for (JsonNode c : where) {
            if (c.isBoolean()) {
                never |= !c.booleanValue();
                continue;
            }
            if (!c.isArray() || c.size() != 3 || !c.get(0).isTextual() || !c.get(1).isTextual()) {
                throw new OvsdbRequestException("syntax error", "not a condition: " + c);
            }
            String column = c.get(0).asText();
            if (!table.hasColumn(column)) {
                throw new OvsdbRequestException("syntax error", "table " + table.name() + " has no column " + column);
            }
            String function = c.get(1).asText();
            if (!List.of("==", "!=", "includes", "excludes", "<", "<=", ">", ">=").contains(function)) {
                throw new OvsdbRequestException("syntax error", "unknown function " + function);
            }
            ColumnType type = table.column(column);
            // A condition on a scalar may name one element of an optional column's set, so decode loosely.
            clauses.add(new Clause(column, function, ColumnValues.decode(type, c.get(2), named)));
        }
        return new Conditions(List.copyOf(clauses), never);
    }

    boolean matches(TableSchema table, UUID uuid, Map<String, Object> row) {
        if (never) {
            return false;
        }
        for (Clause clause : clauses) {
            ColumnType type = table.column(clause.column());
            Object actual = clause.column().equals("_uuid") ? uuid : row.getOrDefault(clause.column(), type.defaultValue());
            if (!holds(clause.function(), actual, clause.value())) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(String function, Object actual, Object wanted) {
        return switch (function) {
            case "==" -> actual.equals(wanted);
            case "!=" -> !actual.equals(wanted);
            case "includes" -> includes(actual, wanted);
            case "excludes" -> excludes(actual, wanted);
            default -> compare(function, actual, wanted);
        };
    }

    private static boolean includes(Object actual, Object wanted) {
        if (actual instanceof Set<?> set && wanted instanceof Set<?> want) {
            return set.containsAll(want);
        }
        if (actual instanceof Map<?, ?> map && wanted instanceof Map<?, ?> want) {
            return map.entrySet().containsAll(want.entrySet());
        }
        return actual.equals(wanted);
    }

    private static boolean excludes(Object actual, Object wanted) {
        if (actual instanceof Set<?> set && wanted instanceof Set<?> want) {
            return want.stream().noneMatch(set::contains);
        }
        if (actual instanceof Map<?, ?> map && wanted instanceof Map<?, ?> want) {
            return want.entrySet().stream().noneMatch(map.entrySet()::contains);
        }
        return !actual.equals(wanted);
    }

    private static boolean compare(String function, Object actual, Object wanted) {
        if (!(actual instanceof Number a) || !(wanted instanceof Number w)) {
            throw new OvsdbRequestException("syntax error", function + " applies to integers and reals only");
        }
        int order = Double.compare(a.doubleValue(), w.doubleValue());
        return switch (function) {
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            default -> order >= 0;
        };
    }
}
