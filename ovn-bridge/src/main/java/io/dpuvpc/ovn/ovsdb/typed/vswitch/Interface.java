package io.dpuvpc.ovn.ovsdb.typed.vswitch;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A row of {@code Interface}: a netdev attached to the switch. ovn-controller binds it to the
 * logical port named by {@code external_ids:iface-id}; ovs-vswitchd fills in {@code ofport},
 * {@code macInUse}, {@code mtu}, the link state and, when it cannot open the device, {@code error}.
 */
public record Interface(UUID uuid, String name, String type, Optional<Long> ofport, Optional<Long> ofportRequest,
                        Optional<String> macInUse, Optional<Long> mtu, Optional<Long> mtuRequest,
                        Optional<String> adminState, Optional<String> linkState, Optional<String> error,
                        Map<String, String> options, Map<String, String> status, Map<String, String> externalIds) {

    public static final TableView<Interface> TABLE = TableView.of(OpenVswitch.DATABASE, "Interface",
        List.of("name", "type", "ofport", "ofport_request", "mac_in_use", "mtu", "mtu_request", "admin_state", "link_state",
            "error", "options", "status", "external_ids"),
        row -> new Interface(row.uuid(), Required.string(row, "name"), Required.string(row, "type"), row.integer("ofport"),
            row.integer("ofport_request"), row.string("mac_in_use"), row.integer("mtu"), row.integer("mtu_request"),
            row.string("admin_state"), row.string("link_state"), row.string("error"), row.getStringMap("options"),
            row.getStringMap("status"), row.getStringMap("external_ids")));
}
