package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A row of {@code Logical_Switch_Port}: a VM or DPU interface (type {@code ""}), a router port
 * ({@code "router"}) or another kind. {@code up} is written by ovn-northd from the port binding.
 */
public record LogicalSwitchPort(UUID uuid, String name, String type, Set<String> addresses, Set<String> portSecurity,
                                Optional<String> dynamicAddresses, Optional<Boolean> enabled, Optional<Boolean> up,
                                Optional<String> parentName, Optional<Long> tag, Optional<UUID> dhcpv4Options,
                                Optional<UUID> dhcpv6Options, Optional<UUID> haChassisGroup, Map<String, String> options,
                                Map<String, String> externalIds) {

    public static final TableView<LogicalSwitchPort> TABLE = TableView.of(Northbound.DATABASE, "Logical_Switch_Port",
        List.of("name", "type", "addresses", "port_security", "dynamic_addresses", "enabled", "up", "parent_name", "tag",
            "dhcpv4_options", "dhcpv6_options", "ha_chassis_group", "options", "external_ids"),
        row -> new LogicalSwitchPort(row.uuid(), Required.string(row, "name"), Required.string(row, "type"),
            row.getSet("addresses"), row.getSet("port_security"), row.string("dynamic_addresses"), row.bool("enabled"),
            row.bool("up"), row.string("parent_name"), row.integer("tag"), row.reference("dhcpv4_options"),
            row.reference("dhcpv6_options"), row.reference("ha_chassis_group"), row.getStringMap("options"),
            row.getStringMap("external_ids")));
}
