package io.dpuvpc.ovn.ovsdb.typed.sb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A row of {@code Port_Binding}: a logical port as ovn-northd laid it out (datapath, tunnel key)
 * and, once ovn-controller claims it, the {@code chassis} it is bound to and whether it is
 * {@code up}. {@code requestedChassis} is where the CMS asked for it to be bound.
 */
public record PortBinding(UUID uuid, String logicalPort, String type, UUID datapath, long tunnelKey, Set<String> mac,
                          Optional<UUID> chassis, Optional<UUID> requestedChassis, Optional<UUID> encap,
                          Optional<String> parentPort, Optional<Long> tag, Optional<Boolean> up, Map<String, String> options,
                          Map<String, String> externalIds) {

    public static final TableView<PortBinding> TABLE = TableView.of(Southbound.DATABASE, "Port_Binding",
        List.of("logical_port", "type", "datapath", "tunnel_key", "mac", "chassis", "requested_chassis", "encap",
            "parent_port", "tag", "up", "options", "external_ids"),
        row -> new PortBinding(row.uuid(), Required.string(row, "logical_port"), Required.string(row, "type"),
            Required.reference(row, "datapath"), Required.integer(row, "tunnel_key"), row.getSet("mac"),
            row.reference("chassis"), row.reference("requested_chassis"), row.reference("encap"), row.string("parent_port"),
            row.integer("tag"), row.bool("up"), row.getStringMap("options"), row.getStringMap("external_ids")));
}
