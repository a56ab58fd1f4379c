package io.dpuvpc.simulator.fleet;

import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.Operation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One simulated DPU as the Southbound sees it: the {@code system-id} its ovn-controller registers
 * ({@code name}), its {@code hostname} and the address of its geneve tunnel endpoint.
 *
 * <p>The rows it writes are those a real ovn-controller 23.03.1 wrote in the lab (read back with
 * {@code ovn-sbctl list Chassis/Encap/Chassis_Private}): a Chassis with one Encap and the
 * {@code other_config} below, and a Chassis_Private of the same name pointing at it, with
 * {@code nb_cfg} 0 until it acknowledges a configuration.
 */
public record SimulatedChassis(String name, String hostname, String encapIp) {

    /**
     * What ovn-controller 23.03.1 put in {@code other_config} on a lab DPU with no bridge mappings.
     * {@code port-up-notif} is the one that matters here: with it, ovn-northd sets
     * {@code Logical_Switch_Port.up} from {@code Port_Binding.up}, not from {@code chassis} alone,
     * so a simulated DPU has to write both, as the real one does once its flows are installed.
     */
    static final Map<String, String> OTHER_CONFIG = Map.ofEntries(
        Map.entry("ct-no-masked-label", "true"),
        Map.entry("datapath-type", "netdev"),
        Map.entry("iface-types", ""),
        Map.entry("is-interconn", "false"),
        Map.entry("mac-binding-timestamp", "true"),
        Map.entry("ovn-bridge-mappings", ""),
        Map.entry("ovn-chassis-mac-mappings", ""),
        Map.entry("ovn-cms-options", ""),
        Map.entry("ovn-ct-lb-related", "true"),
        Map.entry("ovn-enable-lflow-cache", "true"),
        Map.entry("ovn-limit-lflow-cache", ""),
        Map.entry("ovn-memlimit-lflow-cache-kb", ""),
        Map.entry("ovn-monitor-all", "false"),
        Map.entry("ovn-trim-limit-lflow-cache", ""),
        Map.entry("ovn-trim-timeout-ms", ""),
        Map.entry("ovn-trim-wmark-perc-lflow-cache", ""),
        Map.entry("port-up-notif", "true"));

    public SimulatedChassis {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(encapIp, "encapIp");
    }

    /**
     * DPU number {@code index} of a fleet: {@code sim-dpu-<index>}, its tunnel address in
     * 100.64.0.0/10 (shared address space, never routed here; the Encap table refuses two rows
     * with the same type and address, so every DPU needs its own).
     */
    public static SimulatedChassis numbered(int index) {
        if (index < 0 || index >= (1 << 22) - 2) {
            throw new IllegalArgumentException("a fleet has at most 2^22 - 2 simulated DPUs, not index " + index);
        }
        int host = index + 1;
        String name = String.format("sim-dpu-%05d", index);
        String ip = "100." + (64 + (host >> 16)) + "." + ((host >> 8) & 0xff) + "." + (host & 0xff);
        return new SimulatedChassis(name, name, ip);
    }

    /**
     * The inserts that register this chassis: Encap, Chassis and Chassis_Private in one
     * transaction, since a Chassis needs at least one Encap and an Encap alone (not a root table)
     * would be collected at once. {@code tag} keeps the uuid-names unique among the chassis of
     * one transaction; the Chassis insert is the second operation.
     */
    List<Operation> registration(int tag) {
        Operation.Insert encap = Operation.insert("Encap")
            .values(Map.of("type", "geneve", "ip", encapIp, "chassis_name", name, "options", Map.of("csum", "true")))
            .withUuidName("encap" + tag);
        Operation.Insert chassis = Operation.insert("Chassis")
            .values(Map.of("name", name, "hostname", hostname, "encaps", Set.of(encap.ref()), "other_config", OTHER_CONFIG))
            .withUuidName("chassis" + tag);
        Operation.Insert chassisPrivate = Operation.insert("Chassis_Private")
            .values(Map.of("name", name, "chassis", chassis.ref()));
        return List.of(encap, chassis, chassisPrivate);
    }

    /** Position of the Chassis insert in {@link #registration}'s operations. */
    static final int CHASSIS_INSERT = 1;

    /** Position of the Encap insert in {@link #registration}'s operations. */
    static final int ENCAP_INSERT = 0;

    /**
     * The deletes that remove the registered rows, as {@code ovn-sbctl chassis-del} does (the
     * Encap too, though OVSDB would collect it; Port_Binding's reference to the chassis is weak and
     * the server clears it).
     */
    List<Operation> deregistration(UUID chassis, UUID encap) {
        return List.of(
            Operation.delete("Chassis_Private", Condition.eq("name", name)),
            Operation.delete("Chassis", Condition.uuid(chassis)),
            Operation.delete("Encap", Condition.uuid(encap)));
    }
}
