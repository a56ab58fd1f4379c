package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One {@code <mutation>} of RFC 7047 5.1 applied to a row: {@code insert} and {@code delete} on
 * sets and maps (a map insert keeps the value of a key already there; a map delete takes a set of
 * keys, or pairs that must match), and the arithmetic mutators on integer and real scalars.
 */
final class Mutator {
    private Mutator() {}

    static void apply(ServedSchema schema, TableSchema table, JsonNode mutation, Map<String, Object> row,
                      Function<String, UUID> named) {
        if (!mutation.isArray() || mutation.size() != 3 || !mutation.get(0).isTextual() || !mutation.get(1).isTextual()) {
            throw new OvsdbRequestException("syntax error", "not a mutation: " + mutation);
        }
        String column = mutation.get(0).asText();
        String mutator = mutation.get(1).asText();
        if (column.startsWith("_") || !table.hasColumn(column)) {
            throw new OvsdbRequestException("syntax error", "cannot mutate column " + column + " of " + table.name());
        }
        if (schema.isImmutable(table.name(), column)) {
            throw new OvsdbRequestException("constraint violation", "column " + column + " of " + table.name() + " is immutable");
        }
        ColumnType type = table.column(column);
        Object current = row.getOrDefault(column, type.defaultValue());
        Object result = switch (mutator) {
            case "insert" -> insert(type, current, mutation.get(2), named);
            case "delete" -> delete(type, current, mutation.get(2), named);
            case "+=", "-=", "*=", "/=", "%=" -> arithmetic(type, current, mutator, mutation.get(2), named);
            default -> throw new OvsdbRequestException("syntax error", "unknown mutator " + mutator);
        };
        Transaction.putColumn(row, type, column, result);
    }

    /** The mutation's argument may hold any number of elements, whatever the column's max. */
    private static ColumnType unbounded(ColumnType type) {
        return new ColumnType(type.keyType(), type.valueType(), type.refTable(), 0, Long.MAX_VALUE);
    }

    private static Object insert(ColumnType type, Object current, JsonNode arg, Function<String, UUID> named) {
        if (type.isMap()) {
            Map<Object, Object> out = new LinkedHashMap<>((Map<?, ?>) current);
            ((Map<?, ?>) ColumnValues.decode(unbounded(type), arg, named)).forEach(out::putIfAbsent);
            return Map.copyOf(out);
        }
        requireSet(type, "insert");
        Set<Object> out = new LinkedHashSet<>((Set<?>) current);
        out.addAll((Set<?>) ColumnValues.decode(unbounded(type), arg, named));
        return Set.copyOf(out);
    }

    private static Object delete(ColumnType type, Object current, JsonNode arg, Function<String, UUID> named) {
        if (type.isMap()) {
            Map<Object, Object> out = new LinkedHashMap<>((Map<?, ?>) current);
            boolean pairs = arg.isArray() && arg.size() == 2 && "map".equals(arg.get(0).asText());
            if (pairs) {
                ((Map<?, ?>) ColumnValues.decode(unbounded(type), arg, named)).forEach(out::remove);
            } else {
                ColumnType keys = new ColumnType(type.keyType(), null, null, 0, Long.MAX_VALUE);
                ((Set<?>) ColumnValues.decode(keys, arg, named)).forEach(out::remove);
            }
            return Map.copyOf(out);
        }
        requireSet(type, "delete");
        Set<Object> out = new LinkedHashSet<>((Set<?>) current);
        out.removeAll((Set<?>) ColumnValues.decode(unbounded(type), arg, named));
        return Set.copyOf(out);
    }

    private static void requireSet(ColumnType type, String mutator) {
        if (!type.isSet()) {
            throw new OvsdbRequestException("constraint violation", mutator + " applies to sets and maps only");
        }
    }

    private static Object arithmetic(ColumnType type, Object current, String mutator, JsonNode arg, Function<String, UUID> named) {
        if (type.isSet() || type.isMap() || !(current instanceof Number)) {
            throw new OvsdbRequestException("constraint violation", mutator + " applies to integer and real scalars only");
        }
        Object operand = ColumnValues.decode(type, arg, named);
        if (current instanceof Long a) {
            long b = (Long) operand;
            if (b == 0 && (mutator.equals("/=") || mutator.equals("%="))) {
                throw new OvsdbRequestException("domain error", "division by zero");
            }
            return switch (mutator) {
                case "+=" -> a + b;
                case "-=" -> a - b;
                case "*=" -> a * b;
                case "/=" -> a / b;
                default -> a % b;
            };
        }
        double a = (Double) current;
        double b = (Double) operand;
        return switch (mutator) {
            case "+=" -> a + b;
            case "-=" -> a - b;
            case "*=" -> a * b;
            case "/=" -> a / b;
            default -> throw new OvsdbRequestException("constraint violation", "%= applies to integers only");
        };
    }
}
