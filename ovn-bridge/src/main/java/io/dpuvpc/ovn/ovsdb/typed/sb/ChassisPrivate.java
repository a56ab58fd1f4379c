package io.dpuvpc.ovn.ovsdb.typed.sb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A row of {@code Chassis_Private}: what only the chassis itself writes, above all the NB
 * configuration sequence number it has applied ({@code nbCfg}) and when.
 */
public record ChassisPrivate(UUID uuid, String name, Optional<UUID> chassis, long nbCfg, long nbCfgTimestamp,
                             Map<String, String> externalIds) {

    public static final TableView<ChassisPrivate> TABLE = TableView.of(Southbound.DATABASE, "Chassis_Private",
        List.of("name", "chassis", "nb_cfg", "nb_cfg_timestamp", "external_ids"),
        row -> new ChassisPrivate(row.uuid(), Required.string(row, "name"), row.reference("chassis"),
            Required.integer(row, "nb_cfg"), Required.integer(row, "nb_cfg_timestamp"), row.getStringMap("external_ids")));
}
