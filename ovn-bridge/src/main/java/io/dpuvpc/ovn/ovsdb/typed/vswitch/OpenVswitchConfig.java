package io.dpuvpc.ovn.ovsdb.typed.vswitch;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The one row of table {@code Open_vSwitch}: the switch's configuration root. ovn-controller
 * reads its chassis settings from {@code external_ids}; ovs-vswitchd sets {@code curCfg} to
 * {@code nextCfg} once it has applied a change, and fills in the versions and {@code ifaceTypes}.
 */
public record OpenVswitchConfig(UUID uuid, Set<UUID> bridges, long nextCfg, long curCfg, Optional<String> ovsVersion,
                                Optional<String> dbVersion, Set<String> ifaceTypes, Map<String, String> otherConfig,
                                Map<String, String> externalIds) {

    public static final TableView<OpenVswitchConfig> TABLE = TableView.of(OpenVswitch.DATABASE, "Open_vSwitch",
        List.of("bridges", "next_cfg", "cur_cfg", "ovs_version", "db_version", "iface_types", "other_config", "external_ids"),
        row -> new OpenVswitchConfig(row.uuid(), row.getSet("bridges"), Required.integer(row, "next_cfg"),
            Required.integer(row, "cur_cfg"), row.string("ovs_version"), row.string("db_version"), row.getSet("iface_types"),
            row.getStringMap("other_config"), row.getStringMap("external_ids")));
}
