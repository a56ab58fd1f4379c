package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code DHCP_Options}: the options ({@code router}, {@code lease_time},
 * {@code server_id} ...) that ovn-controller answers with for the ports pointing at it.
 */
public record DhcpOptions(UUID uuid, String cidr, Map<String, String> options, Map<String, String> externalIds) {

    public static final TableView<DhcpOptions> TABLE = TableView.of(Northbound.DATABASE, "DHCP_Options",
        List.of("cidr", "options", "external_ids"),
        row -> new DhcpOptions(row.uuid(), Required.string(row, "cidr"), row.getStringMap("options"),
            row.getStringMap("external_ids")));
}
