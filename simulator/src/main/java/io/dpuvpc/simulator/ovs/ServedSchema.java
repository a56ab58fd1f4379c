package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema every emulated database serves, read once and shared by all of them: the JSON that
 * {@code get_schema} returns as it is in the file, our client's parse of it, and the two facts that
 * parse leaves out and the server needs: which references are weak (RFC 7047 3.2 {@code refType})
 * and which columns are immutable ({@code "mutable": false}).
 */
final class ServedSchema {
    /** The vswitch schema of the installed Open vSwitch, as LAB.md's ovsdb-server serves it. */
    static final Path VSWITCH = Path.of("/usr/share/openvswitch/vswitch.ovsschema");

    /** A reference column: the table its keys (or values) point to, and whether it keeps rows alive. */
    record Reference(String column, String refTable, boolean weak, boolean inValue) {
    }

    private final JsonNode json;
    private final DatabaseSchema schema;
    private final Map<String, List<Reference>> references = new HashMap<>();
    private final Set<String> immutable = new HashSet<>();
    private final Map<String, Long> maxRows = new HashMap<>();

    private ServedSchema(JsonNode json) {
        this.json = json;
        this.schema = DatabaseSchema.fromJson(json);
        json.get("tables").fields().forEachRemaining(table -> {
            List<Reference> refs = new ArrayList<>();
            table.getValue().path("columns").fields().forEachRemaining(column -> {
                JsonNode type = column.getValue().get("type");
                reference(column.getKey(), type.get("key"), false).ifPresent(refs::add);
                reference(column.getKey(), type.get("value"), true).ifPresent(refs::add);
                if (!column.getValue().path("mutable").asBoolean(true)) {
                    immutable.add(table.getKey() + "." + column.getKey());
                }
            });
            references.put(table.getKey(), List.copyOf(refs));
            if (table.getValue().has("maxRows")) {
                maxRows.put(table.getKey(), table.getValue().get("maxRows").asLong());
            }
        });
    }

    static ServedSchema read(Path file) {
        try {
            return new ServedSchema(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema " + file, e);
        }
    }

    private static java.util.Optional<Reference> reference(String column, JsonNode base, boolean inValue) {
        if (base == null || !base.isObject() || !base.has("refTable")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Reference(column, base.get("refTable").asText(),
            "weak".equals(base.path("refType").asText("strong")), inValue));
    }

    JsonNode json() {
        return json;
    }

    String name() {
        return schema.name();
    }

    DatabaseSchema schema() {
        return schema;
    }

    /** The table, or an {@link OvsdbRequestException} as ovsdb-server answers an unknown one. */
    TableSchema table(String name) {
        if (!schema.hasTable(name)) {
            throw new OvsdbRequestException("unknown table", "no table named " + name);
        }
        return schema.table(name);
    }

    List<Reference> references(String table) {
        return references.getOrDefault(table, List.of());
    }

    /** The most rows the table may hold ({@code maxRows}), or {@link Long#MAX_VALUE}. */
    long maxRows(String table) {
        return maxRows.getOrDefault(table, Long.MAX_VALUE);
    }

    boolean isImmutable(String table, String column) {
        return immutable.contains(table + "." + column);
    }
}
