package io.dpuvpc.node;

import io.dpuvpc.ovn.ovsdb.Row;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The ports ovs-cni makes for a pod's secondary interface, as the agent finds them. ovs-cni
 * (k8snetworkplumbingwg/ovs-cni, and NVIDIA's fork that DPF ships) names the port after the host
 * side of the link and marks the Port's {@code external_ids} with {@code owner=}{@value #OWNER_VALUE},
 * {@code contNetns} (the pod's network namespace path) and {@code contIface} (the interface's name
 * inside the pod); it sets an {@code iface-id} on the Interface only when its NetConf names an OVN
 * port, which the reference's NetworkAttachmentDefinition does not. The agent recognises a service
 * interface's port by {@code owner} and {@code contIface} in the integration bridge: the
 * ServiceInterface's {@code interfaceName} is the interface name inside the pod. Neither
 * {@code contNetns} nor the fork's {@code contPodUid} names the DPUService, so the service ID
 * cannot be matched; two pods on one DPU with the same interface name are reported as a conflict.
 */
final class OvsCniPorts {
    private OvsCniPorts() {}

    static final String OWNER_KEY = "owner";
    static final String OWNER_VALUE = "ovs-cni.network.kubevirt.io";
    static final String CONT_IFACE = "contIface";

    /** Whether {@code port} was made by ovs-cni for the pod interface {@code contIface}. */
    static boolean forInterface(Row port, String contIface) {
        Map<String, String> ids = port.getStringMap("external_ids");
        return OWNER_VALUE.equals(ids.get(OWNER_KEY)) && contIface.equals(ids.get(CONT_IFACE));
    }

    /** The ovs-cni ports of {@code contIface} in {@code settings}' integration bridge, sorted by name. */
    static List<Row> find(NodeAgentSettings settings, LocalOvs.OvsState state, String contIface) {
        Row bridge = state.bridges().stream().filter(b -> settings.integrationBridge().equals(b.getString("name")))
            .findFirst().orElse(null);
        return find(bridge, state.ports(), contIface);
    }

    /** The ovs-cni ports of {@code contIface} in {@code bridge} (null: none), sorted by name. */
    static List<Row> find(Row bridge, Collection<Row> ports, String contIface) {
        if (bridge == null) {
            return List.of();
        }
        Map<UUID, Row> byUuid = new HashMap<>();
        ports.forEach(p -> byUuid.put(p.uuid(), p));
        return bridge.getSet("ports").stream()
            .map(uuid -> byUuid.get((UUID) uuid))
            .filter(p -> p != null && forInterface(p, contIface))
            .sorted(java.util.Comparator.comparing(p -> p.getString("name")))
            .toList();
    }

    static final String CONT_NETNS = "contNetns";

    /**
     * The pod interfaces of the match keys among {@code representors} whose ovs-cni port is in
     * {@code settings}' integration bridge, one each, with the namespace path ovs-cni recorded.
     */
    static List<PodInterfaceMacs.PodInterface> podInterfaces(NodeAgentSettings settings, LocalOvs.OvsState state,
                                                             Collection<String> representors) {
        List<PodInterfaceMacs.PodInterface> pods = new java.util.ArrayList<>();
        for (String representor : representors) {
            String contIface = io.dpuvpc.actors.entity.Representors.ovsCniInterface(representor);
            List<Row> ports = contIface == null ? List.of() : find(settings, state, contIface);
            if (ports.size() == 1) {
                String netns = ports.get(0).getStringMap("external_ids").get(CONT_NETNS);
                if (netns != null && !netns.isBlank()) {
                    pods.add(new PodInterfaceMacs.PodInterface(representor, netns, contIface));
                }
            }
        }
        return pods;
    }

    /** The pod interface an ovs-cni port carries, if it is one. */
    static Optional<String> contIface(Row port) {
        Map<String, String> ids = port.getStringMap("external_ids");
        return OWNER_VALUE.equals(ids.get(OWNER_KEY)) ? Optional.ofNullable(ids.get(CONT_IFACE)) : Optional.empty();
    }
}
