package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A row of {@code Logical_Router_Static_Route}. {@code policy} is {@code dst-ip} when empty;
 * {@code routeTable} {@code ""} is the router's main table.
 */
public record LogicalRouterStaticRoute(UUID uuid, String ipPrefix, String nexthop, Optional<String> policy,
                                       Optional<String> outputPort, String routeTable, Map<String, String> options,
                                       Map<String, String> externalIds) {

    public static final TableView<LogicalRouterStaticRoute> TABLE = TableView.of(Northbound.DATABASE,
        "Logical_Router_Static_Route",
        List.of("ip_prefix", "nexthop", "policy", "output_port", "route_table", "options", "external_ids"),
        row -> new LogicalRouterStaticRoute(row.uuid(), Required.string(row, "ip_prefix"), Required.string(row, "nexthop"),
            row.string("policy"), row.string("output_port"), Required.string(row, "route_table"),
            row.getStringMap("options"), row.getStringMap("external_ids")));
}
