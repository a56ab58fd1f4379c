package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A row of {@code NAT}: {@code type} {@code snat}, {@code dnat} or {@code dnat_and_snat} (a
 * floating IP, distributed when it has a {@code logicalPort} and {@code externalMac}).
 */
public record Nat(UUID uuid, String type, String externalIp, String logicalIp, Optional<String> externalMac,
                  Optional<String> logicalPort, String externalPortRange, Optional<UUID> gatewayPort,
                  Map<String, String> options, Map<String, String> externalIds) {

    public static final TableView<Nat> TABLE = TableView.of(Northbound.DATABASE, "NAT",
        List.of("type", "external_ip", "logical_ip", "external_mac", "logical_port", "external_port_range", "gateway_port",
            "options", "external_ids"),
        row -> new Nat(row.uuid(), Required.string(row, "type"), Required.string(row, "external_ip"),
            Required.string(row, "logical_ip"), row.string("external_mac"), row.string("logical_port"),
            Required.string(row, "external_port_range"), row.reference("gateway_port"), row.getStringMap("options"),
            row.getStringMap("external_ids")));
}
