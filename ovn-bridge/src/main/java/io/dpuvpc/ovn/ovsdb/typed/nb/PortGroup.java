package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A row of {@code Port_Group}: a security group, its member ports and the ACLs applied to them. */
public record PortGroup(UUID uuid, String name, Set<UUID> ports, Set<UUID> acls, Map<String, String> externalIds) {

    public static final TableView<PortGroup> TABLE = TableView.of(Northbound.DATABASE, "Port_Group",
        List.of("name", "ports", "acls", "external_ids"),
        row -> new PortGroup(row.uuid(), Required.string(row, "name"), row.getSet("ports"), row.getSet("acls"),
            row.getStringMap("external_ids")));
}
