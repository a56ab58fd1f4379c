package io.dpuvpc.node;

import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.typed.sb.Southbound;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What one node's agent knows of the Southbound: whether it observes it at all, its chassis (the
 * row named after the node; {@code chassisId} is that name, which is the node's {@code system-id}
 * and what OVN's own tools and the Northbound's {@code requested-chassis} call the chassis, and,
 * unlike the row's UUID, survives a reprovisioning), whether that chassis is registered with an
 * Encap at the node's VTEP address, and the logical ports bound to it with their {@code up}.
 *
 * <p>Built from a monitor of exactly {@link #MONITOR}'s columns: the agent of every DPU holds
 * every chassis (one row per DPU) and every VIF binding, so it reads four small columns of
 * {@code Port_Binding} and only the rows of type {@code ""} (VIFs, which its ports are), not the
 * router, patch and localnet ports.
 *
 * @param observed          the Southbound was monitored (its cache may be from before a disconnect)
 * @param chassisId         the name of the node's Chassis row, or null when there is none
 * @param chassisRegistered that row has an Encap at the node's VTEP address
 * @param boundPorts        logical port to {@code up}, of the Port_Bindings whose chassis is the node's
 */
public record SouthboundView(boolean observed, String chassisId, boolean chassisRegistered, Map<String, Boolean> boundPorts) {

    /** Before the first monitor: nothing known. */
    public static final SouthboundView UNKNOWN = new SouthboundView(false, null, false, Map.of());

    /** The Chassis, Encap and VIF Port_Binding columns the view and {@link StaleChassis} read. */
    public static final MonitorRequest MONITOR = MonitorRequest.builder(Southbound.DATABASE)
        .table("Chassis", List.of("name", "hostname", "encaps"))
        .table("Encap", List.of("type", "ip", "chassis_name"))
        .table("Port_Binding", List.of("logical_port", "chassis", "up"), Condition.eq("type", ""))
        .build();

    public SouthboundView {
        boundPorts = Map.copyOf(new TreeMap<>(boundPorts));
    }

    /** Whether {@code logicalPort} is bound to the node's chassis. */
    public boolean bound(String logicalPort) {
        return boundPorts.containsKey(logicalPort);
    }

    /** Whether {@code logicalPort} is bound to the node's chassis and up. */
    public boolean up(String logicalPort) {
        return Boolean.TRUE.equals(boundPorts.get(logicalPort));
    }

    /** The view of {@code nodeName} at {@code vtepIp} in a cache monitored with {@link #MONITOR}. */
    public static SouthboundView of(String nodeName, String vtepIp, DatabaseCache cache) {
        return of(nodeName, vtepIp, chassisRows(cache), cache.table("Port_Binding").rows());
    }

    /** The view of {@code nodeName} at {@code vtepIp} among these chassis and Port_Binding rows. */
    static SouthboundView of(String nodeName, String vtepIp, Collection<StaleChassis.ChassisRow> chassis,
                             Collection<Row> bindings) {
        Optional<StaleChassis.ChassisRow> ours = chassis.stream().filter(c -> c.name().equals(nodeName)).findFirst();
        if (ours.isEmpty()) {
            return new SouthboundView(true, null, false, Map.of());
        }
        Map<String, Boolean> bound = new HashMap<>();
        for (Row binding : bindings) {
            if (binding.reference("chassis").filter(ours.get().uuid()::equals).isPresent()) {
                bound.put(binding.getString("logical_port"), binding.bool("up").orElse(false));
            }
        }
        return new SouthboundView(true, nodeName, ours.get().encapIps().contains(vtepIp), bound);
    }

    /** Every cached Chassis with the addresses of its cached Encaps. */
    public static List<StaleChassis.ChassisRow> chassisRows(DatabaseCache cache) {
        return chassisRows(cache.table("Chassis").rows(), cache.table("Encap").rows());
    }

    /** These Chassis rows with the addresses of their Encaps among {@code encapRows}. */
    static List<StaleChassis.ChassisRow> chassisRows(Collection<Row> chassisRows, Collection<Row> encapRows) {
        Map<UUID, Row> encapByUuid = new HashMap<>();
        encapRows.forEach(e -> encapByUuid.put(e.uuid(), e));
        List<StaleChassis.ChassisRow> rows = new ArrayList<>();
        for (Row chassis : chassisRows) {
            Set<UUID> encaps = new HashSet<>();
            Set<String> ips = new HashSet<>();
            for (Object encap : chassis.getSet("encaps")) {
                encaps.add((UUID) encap);
                Optional.ofNullable(encapByUuid.get((UUID) encap)).flatMap(e -> e.string("ip")).ifPresent(ips::add);
            }
            rows.add(new StaleChassis.ChassisRow(chassis.uuid(), chassis.getString("name"),
                chassis.string("hostname").orElse(""), encaps, ips));
        }
        return rows;
    }
}
