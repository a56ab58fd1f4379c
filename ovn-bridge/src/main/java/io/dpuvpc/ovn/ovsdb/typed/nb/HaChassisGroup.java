package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A row of {@code HA_Chassis_Group}: the chassis ({@link HaChassis} rows) that share a gateway role. */
public record HaChassisGroup(UUID uuid, String name, Set<UUID> haChassis, Map<String, String> externalIds) {

    public static final TableView<HaChassisGroup> TABLE = TableView.of(Northbound.DATABASE, "HA_Chassis_Group",
        List.of("name", "ha_chassis", "external_ids"),
        row -> new HaChassisGroup(row.uuid(), Required.string(row, "name"), row.getSet("ha_chassis"),
            row.getStringMap("external_ids")));
}
