package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A row of {@code Logical_Router}: a VPC's router with its ports, routes, policies and NAT rules. */
public record LogicalRouter(UUID uuid, String name, Set<UUID> ports, Set<UUID> staticRoutes, Set<UUID> policies,
                            Set<UUID> nat, Optional<Boolean> enabled, Map<String, String> options,
                            Map<String, String> externalIds) {

    public static final TableView<LogicalRouter> TABLE = TableView.of(Northbound.DATABASE, "Logical_Router",
        List.of("name", "ports", "static_routes", "policies", "nat", "enabled", "options", "external_ids"),
        row -> new LogicalRouter(row.uuid(), Required.string(row, "name"), row.getSet("ports"), row.getSet("static_routes"),
            row.getSet("policies"), row.getSet("nat"), row.bool("enabled"), row.getStringMap("options"),
            row.getStringMap("external_ids")));
}
