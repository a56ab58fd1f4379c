package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A row of {@code Logical_Router_Policy}: {@code action} ({@code allow}, {@code drop},
 * {@code reroute}) on packets matching {@code match}; a reroute goes to {@code nexthops}
 * (the older single {@code nexthop} is deprecated but still read).
 */
public record LogicalRouterPolicy(UUID uuid, long priority, String match, String action, Optional<String> nexthop,
                                  Set<String> nexthops, Map<String, String> options, Map<String, String> externalIds) {

    public static final TableView<LogicalRouterPolicy> TABLE = TableView.of(Northbound.DATABASE, "Logical_Router_Policy",
        List.of("priority", "match", "action", "nexthop", "nexthops", "options", "external_ids"),
        row -> new LogicalRouterPolicy(row.uuid(), Required.integer(row, "priority"), Required.string(row, "match"),
            Required.string(row, "action"), row.string("nexthop"), row.getSet("nexthops"), row.getStringMap("options"),
            row.getStringMap("external_ids")));
}
