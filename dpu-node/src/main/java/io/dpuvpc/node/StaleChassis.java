package io.dpuvpc.node;

import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.Operation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Which Southbound {@code Chassis} rows are left over from an earlier life of this node, and the
 * operations that remove one. Pure: the agent's {@link SouthboundObserver} feeds it the monitored
 * rows and transacts what it returns.
 *
 * <p>A DPU that is reprovisioned keeps its name but may come back with a new OVS database (a new
 * {@code system-id} if nobody sets it) or a new VTEP address. What real ovn-controller (OVN 23.03)
 * does, tried here: with the same {@code system-id} it updates its own Chassis row, replacing the
 * Encap with one at the new address, whether the address changed while it ran, across a restart or
 * across a brand-new database. Under another {@code system-id} at the same address it cannot
 * register at all: the Encap table's index on {@code (type, ip)} refuses a second row at that
 * address ({@code constraint violation}) until the old Chassis is destroyed, which the reference
 * does by hand ({@code ovn-sbctl destroy Chassis}).
 *
 * <p>So a row is stale when it is not the live one (its name is not the node's) and it claims the
 * node: an Encap at the node's VTEP address, or the node's name as {@code hostname} (a chassis an
 * earlier installation registered under a generated {@code system-id}). The row named after the
 * node is never stale, even with an old address: its ovn-controller moves it, and deleting it would
 * unbind the node's ports.
 */
public final class StaleChassis {
    private StaleChassis() {}

    /** What the rules read of one Chassis row: its name, hostname and the addresses of its Encaps. */
    public record ChassisRow(UUID uuid, String name, String hostname, Set<UUID> encaps, Set<String> encapIps) {
        public ChassisRow {
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(name, "name");
            hostname = hostname == null ? "" : hostname;
            encaps = Set.copyOf(encaps);
            encapIps = Set.copyOf(encapIps);
        }
    }

    /** A row to remove and why, in words for the log. */
    public record Stale(ChassisRow chassis, String reason) {}

    /** The rows of {@code chassis} that claim {@code nodeName} or {@code vtepIp} and are not the live one, by name. */
    public static List<Stale> find(String nodeName, String vtepIp, Collection<ChassisRow> chassis) {
        return find(nodeName, vtepIp, chassis, Set.of());
    }

    /**
     * As {@link #find(String, String, Collection)}, and also the rows named after a node in
     * {@code silentNodes}: nodes the controllers have not heard from for their silence grace (a
     * DPU gone for good leaves a chassis that ovn-northd keeps binding ports to). Never this
     * node's own row, whatever the list says.
     */
    public static List<Stale> find(String nodeName, String vtepIp, Collection<ChassisRow> chassis, Set<String> silentNodes) {
        List<Stale> stale = new ArrayList<>();
        for (ChassisRow row : chassis) {
            if (row.name().equals(nodeName)) {
                continue;
            }
            if (silentNodes.contains(row.name())) {
                stale.add(new Stale(row, "its node " + row.name() + " has not reported to the controllers for their grace period"));
            } else if (row.encapIps().contains(vtepIp)) {
                stale.add(new Stale(row, "it has an Encap at " + nodeName + "'s VTEP address " + vtepIp));
            } else if (row.hostname().equals(nodeName)) {
                stale.add(new Stale(row, "its hostname is " + nodeName));
            }
        }
        stale.sort(Comparator.comparing(s -> s.chassis().name()));
        return stale;
    }

    /**
     * The operations that remove {@code stale}, each by UUID (or, for {@code Chassis_Private}, by
     * name) so that a repeat deletes nothing: the Chassis, its Encaps (which it alone references;
     * OVSDB would also collect them, this says so) and, where the schema has the table, the
     * {@code Chassis_Private} row of the same name. Port_Binding's reference to a chassis is weak:
     * the server clears it.
     */
    public static List<Operation> deletion(Stale stale, boolean withChassisPrivate) {
        List<Operation> operations = new ArrayList<>();
        operations.add(Operation.delete("Chassis", Condition.uuid(stale.chassis().uuid())));
        stale.chassis().encaps().stream().sorted()
            .forEach(encap -> operations.add(Operation.delete("Encap", Condition.uuid(encap))));
        if (withChassisPrivate) {
            operations.add(Operation.delete("Chassis_Private", Condition.eq("name", stale.chassis().name())));
        }
        return operations;
    }
}
