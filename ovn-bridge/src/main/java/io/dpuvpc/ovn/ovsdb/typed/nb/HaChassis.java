package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code HA_Chassis}: one member of an {@link HaChassisGroup}; the highest priority
 * chassis that is up is active.
 */
public record HaChassis(UUID uuid, String chassisName, long priority, Map<String, String> externalIds) {

    public static final TableView<HaChassis> TABLE = TableView.of(Northbound.DATABASE, "HA_Chassis",
        List.of("chassis_name", "priority", "external_ids"),
        row -> new HaChassis(row.uuid(), Required.string(row, "chassis_name"), Required.integer(row, "priority"),
            row.getStringMap("external_ids")));
}
