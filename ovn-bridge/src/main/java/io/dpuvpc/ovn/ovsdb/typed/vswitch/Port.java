package io.dpuvpc.ovn.ovsdb.typed.vswitch;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A row of {@code Port}: a bridge port with its {@link Interface}s (more than one for a bond) and VLAN settings. */
public record Port(UUID uuid, String name, Set<UUID> interfaces, Optional<Long> tag, Set<Long> trunks,
                   Optional<String> vlanMode, Map<String, String> otherConfig, Map<String, String> externalIds) {

    public static final TableView<Port> TABLE = TableView.of(OpenVswitch.DATABASE, "Port",
        List.of("name", "interfaces", "tag", "trunks", "vlan_mode", "other_config", "external_ids"),
        row -> new Port(row.uuid(), Required.string(row, "name"), row.getSet("interfaces"), row.integer("tag"),
            row.getSet("trunks"), row.string("vlan_mode"), row.getStringMap("other_config"),
            row.getStringMap("external_ids")));
}
