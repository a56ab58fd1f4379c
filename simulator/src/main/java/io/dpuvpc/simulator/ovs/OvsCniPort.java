package io.dpuvpc.simulator.ovs;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A port as ovs-cni makes it for a pod's secondary interface: the host side's name
 * ({@code veth...}), the bridge, the interface's name inside the pod and the pod's network namespace.
 */
public record OvsCniPort(String bridge, String hostName, String contIface, String contNetns) {
    /** The owner value ovs-cni writes (dpu-node's {@code OvsCniPorts.OWNER_VALUE}). */
    public static final String OWNER = "ovs-cni.network.kubevirt.io";

    public OvsCniPort {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(contIface, "contIface");
        Objects.requireNonNull(contNetns, "contNetns");
    }

    Map<String, String> externalIds() {
        Map<String, String> ids = new TreeMap<>();
        ids.put("owner", OWNER);
        ids.put("contIface", contIface);
        ids.put("contNetns", contNetns);
        return ids;
    }
}
