package io.dpuvpc.ovn.ovsdb.typed.vswitch;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A row of {@code Bridge}, such as OVN's integration bridge {@code br-int} ({@code failMode}
 * {@code secure}); {@code datapathType} {@code ""} is the kernel datapath, {@code netdev} the
 * userspace one.
 */
public record Bridge(UUID uuid, String name, Set<UUID> ports, String datapathType, Optional<String> datapathId,
                     Optional<String> failMode, Set<String> protocols, Map<String, String> otherConfig,
                     Map<String, String> externalIds) {

    public static final TableView<Bridge> TABLE = TableView.of(OpenVswitch.DATABASE, "Bridge",
        List.of("name", "ports", "datapath_type", "datapath_id", "fail_mode", "protocols", "other_config", "external_ids"),
        row -> new Bridge(row.uuid(), Required.string(row, "name"), row.getSet("ports"), Required.string(row, "datapath_type"),
            row.string("datapath_id"), row.string("fail_mode"), row.getSet("protocols"), row.getStringMap("other_config"),
            row.getStringMap("external_ids")));
}
