package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A row of {@code Logical_Router_Port}: a router's interface, with its MAC and networks
 * ({@code "10.0.0.1/24"}); a gateway port has gateway chassis or an HA chassis group.
 */
public record LogicalRouterPort(UUID uuid, String name, String mac, Set<String> networks, Optional<String> peer,
                                Optional<Boolean> enabled, Set<UUID> gatewayChassis, Optional<UUID> haChassisGroup,
                                Map<String, String> options, Map<String, String> externalIds) {

    public static final TableView<LogicalRouterPort> TABLE = TableView.of(Northbound.DATABASE, "Logical_Router_Port",
        List.of("name", "mac", "networks", "peer", "enabled", "gateway_chassis", "ha_chassis_group", "options", "external_ids"),
        row -> new LogicalRouterPort(row.uuid(), Required.string(row, "name"), Required.string(row, "mac"),
            row.getSet("networks"), row.string("peer"), row.bool("enabled"), row.getSet("gateway_chassis"),
            row.reference("ha_chassis_group"), row.getStringMap("options"), row.getStringMap("external_ids")));
}
