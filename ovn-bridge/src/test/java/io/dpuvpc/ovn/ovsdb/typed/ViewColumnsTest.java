package io.dpuvpc.ovn.ovsdb.typed;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.ovsdb.ColumnType;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import io.dpuvpc.ovn.ovsdb.typed.nb.Northbound;
import io.dpuvpc.ovn.ovsdb.typed.sb.Southbound;
import io.dpuvpc.ovn.ovsdb.typed.vswitch.OpenVswitch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins each view's column list to its mapper, against the installed schemas: the mapper reads
 * every column the view lists and no other, and reads each with its schema type (a wrong getter
 * would throw a ClassCastException here). A row is filled with a non-default value of the right
 * type in every column of the table.
 */
class ViewColumnsTest {

    static Stream<Arguments> views() {
        return Stream.of(
                Map.entry(Northbound.VIEWS, InstalledSchemas.NB),
                Map.entry(Southbound.VIEWS, InstalledSchemas.SB),
                Map.entry(OpenVswitch.VIEWS, InstalledSchemas.VSWITCH))
            .flatMap(db -> {
                DatabaseSchema schema = InstalledSchemas.schema(db.getValue());
                return db.getKey().views().stream().map(view -> Arguments.of(view.table(), view, schema));
            });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("views")
    void readsExactlyTheColumnsItLists(String table, TableView<?> view, DatabaseSchema schema) {
        view.verify(schema);
        TableSchema tableSchema = schema.table(table);
        UUID uuid = UUID.nameUUIDFromBytes(table.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> everyColumn = new LinkedHashMap<>();
        tableSchema.columns().forEach((column, type) -> {
            if (!column.startsWith("_")) {
                everyColumn.put(column, sample(column, type));
            }
        });
        Map<String, Object> viewColumns = new LinkedHashMap<>(everyColumn);
        viewColumns.keySet().retainAll(view.columns());

        Object record = view.from(new Row(table, uuid, everyColumn));

        assertThat(view.from(new Row(table, uuid, viewColumns))).as("the view reads a column it does not list").isEqualTo(record);
        assertThat(record.toString()).contains(uuid.toString());
        for (String column : view.columns()) {
            Map<String, Object> withDefault = new LinkedHashMap<>(viewColumns);
            withDefault.put(column, tableSchema.column(column).defaultValue());
            assertThat(view.from(new Row(table, uuid, withDefault))).as("the view does not read column " + column)
                .isNotEqualTo(record);
        }
    }

    /** A value of the column's type that is not its default. */
    private static Object sample(String column, ColumnType type) {
        if (type.isMap()) {
            return Map.of(atom(type.keyType(), column + "-key"), atom(type.valueType(), column + "-value"));
        }
        if (type.isSet()) {
            return Set.of(atom(type.keyType(), column));
        }
        return atom(type.keyType(), column);
    }

    private static Object atom(String type, String seed) {
        return switch (type) {
            case "integer" -> (long) (seed.hashCode() & 0xffff) + 1;
            case "real" -> 1.5;
            case "boolean" -> true;
            case "uuid" -> UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
            default -> "value-of-" + seed;
        };
    }
}
