package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A row of {@code Gateway_Chassis}: a chassis that may host a gateway router port, by priority. */
public record GatewayChassis(UUID uuid, String name, String chassisName, long priority, Map<String, String> options,
                             Map<String, String> externalIds) {

    public static final TableView<GatewayChassis> TABLE = TableView.of(Northbound.DATABASE, "Gateway_Chassis",
        List.of("name", "chassis_name", "priority", "options", "external_ids"),
        row -> new GatewayChassis(row.uuid(), Required.string(row, "name"), Required.string(row, "chassis_name"),
            Required.integer(row, "priority"), row.getStringMap("options"), row.getStringMap("external_ids")));
}
