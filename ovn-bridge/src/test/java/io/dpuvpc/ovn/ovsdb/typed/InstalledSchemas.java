package io.dpuvpc.ovn.ovsdb.typed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The schemas Debian's ovn-central and openvswitch-common install: the ones our servers run, so
 * the views are tested against them rather than against a copy that could drift.
 */
final class InstalledSchemas {
    static final Path NB = Path.of("/usr/share/ovn/ovn-nb.ovsschema");
    static final Path SB = Path.of("/usr/share/ovn/ovn-sb.ovsschema");
    static final Path VSWITCH = Path.of("/usr/share/openvswitch/vswitch.ovsschema");

    private InstalledSchemas() {
    }

    /** The schema file as JSON, to be edited before {@link DatabaseSchema#fromJson}. */
    static ObjectNode json(Path file) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (install ovn-central and openvswitch-common)", e);
        }
    }

    static DatabaseSchema schema(Path file) {
        return DatabaseSchema.fromJson(json(file));
    }
}
