package io.dpuvpc.ovn.ovsdb.typed.sb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A row of {@code Chassis}: a hypervisor or DPU running ovn-controller, named by its
 * {@code system-id}, with its tunnel {@link Encap}s. {@code nbCfg} is the last NB configuration it
 * acknowledged (newer OVN keeps that in {@link ChassisPrivate}).
 */
public record Chassis(UUID uuid, String name, String hostname, Set<UUID> encaps, Set<String> transportZones, long nbCfg,
                      Map<String, String> otherConfig, Map<String, String> externalIds) {

    public static final TableView<Chassis> TABLE = TableView.of(Southbound.DATABASE, "Chassis",
        List.of("name", "hostname", "encaps", "transport_zones", "nb_cfg", "other_config", "external_ids"),
        row -> new Chassis(row.uuid(), Required.string(row, "name"), Required.string(row, "hostname"), row.getSet("encaps"),
            row.getSet("transport_zones"), Required.integer(row, "nb_cfg"), row.getStringMap("other_config"),
            row.getStringMap("external_ids")));
}
