package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A row of {@code Logical_Switch}: one L2 segment (a VPC subnet), its ports and ACLs. */
public record LogicalSwitch(UUID uuid, String name, Set<UUID> ports, Set<UUID> acls, Map<String, String> otherConfig,
                            Map<String, String> externalIds) {

    public static final TableView<LogicalSwitch> TABLE = TableView.of(Northbound.DATABASE, "Logical_Switch",
        List.of("name", "ports", "acls", "other_config", "external_ids"),
        row -> new LogicalSwitch(row.uuid(), Required.string(row, "name"), row.getSet("ports"), row.getSet("acls"),
            row.getStringMap("other_config"), row.getStringMap("external_ids")));
}
