package io.dpuvpc.ovn.ovsdb.typed.sb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A row of {@code Encap}: a chassis' tunnel endpoint ({@code geneve}, {@code vxlan} ...) at {@code ip}. */
public record Encap(UUID uuid, String type, String ip, String chassisName, Map<String, String> options) {

    public static final TableView<Encap> TABLE = TableView.of(Southbound.DATABASE, "Encap",
        List.of("type", "ip", "chassis_name", "options"),
        row -> new Encap(row.uuid(), Required.string(row, "type"), Required.string(row, "ip"),
            Required.string(row, "chassis_name"), row.getStringMap("options")));
}
