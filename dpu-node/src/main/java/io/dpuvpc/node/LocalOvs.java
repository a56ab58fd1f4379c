package io.dpuvpc.node;

import io.dpuvpc.actors.entity.Representors;
import io.dpuvpc.ovn.northbound.Ownership;
import io.dpuvpc.ovn.northbound.TopologyTranslator;
import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.Mutation;
import io.dpuvpc.ovn.ovsdb.NamedUuid;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.typed.vswitch.OpenVswitch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The node's local OVS as the agent wants it, and the operations that make the monitored
 * {@code Open_vSwitch} database so, touching nothing else. Pure: no I/O; the agent transacts
 * {@link Plan#operations()} in one transaction and plans again when the monitor shows a change.
 *
 * <p>Why not {@code NbPlanner}: it identifies a row by our id in {@code external_ids} and writes
 * {@code external_ids} whole, its tables are the Northbound ones ({@code NbTables}) and every row
 * belongs to one owning resource. In a local OVS the identity of a bridge, port or interface is its
 * {@code name} (a unique index of the schema; rows made by {@code ovs-vsctl} or ovn-controller carry
 * no id of ours), the one {@code Open_vSwitch} row belongs to nobody, and other writers keep keys in
 * the very maps we write: ovn-controller's {@code ct-zone-*} in br-int's {@code external_ids},
 * {@code ovn-installed} in a plugged Interface's, ovs-ctl's {@code hostname} in the root's. So here
 * every map column is written key by key (a {@code mutate} that deletes the keys whose value
 * differs and inserts the wanted pairs), never whole. What is shared is the client, the
 * {@link Operation}s, the ownership key ({@link Ownership#OWNER}) and the {@code vswitch} views the
 * agent monitors.
 *
 * <p>Rules:
 * <ul>
 *   <li>The {@code Open_vSwitch} row: inserted if the database was never initialised, else only
 *       the chassis keys of {@code external_ids} ({@code system-id}, {@code ovn-remote},
 *       {@code ovn-encap-*}, {@code ovn-bridge*}) and {@code other_config:hw-offload} are set. In
 *       {@code ovn-bridge-mappings} only the {@code external} network's entry is ours; other
 *       networks' mappings stay.</li>
 *   <li>The integration and external bridges, their internal ports, the uplink and the plugged
 *       representors are found by name, created when missing, and marked
 *       {@code vpc.dpu.nvidia.com/owner=node-agent}. A row with one of these names that is not marked
 *       yet is adopted: the settings name it as the agent's.</li>
 *   <li>A port of ours found in another bridge of ours is moved; found in a foreign bridge it is a
 *       conflict, reported and left alone.</li>
 *   <li>Marked bridges and ports no longer wanted are unlinked from their parent (OVSDB then
 *       garbage-collects them with their ports and interfaces): that is how a port is unplugged.
 *       Unmarked rows are never written, with one exception:</li>
 *   <li>A service interface's port belongs to ovs-cni ({@link OvsCniPorts}): the agent only sets
 *       {@code iface-id} on its Interface, with {@value #IFACE_ID_SET_BY}{@code =node-agent} beside
 *       it to remember that it did, and when the interface is no longer wanted deletes just those
 *       two keys. It never creates, moves or deletes such a port: ovs-cni adds it at the pod's CNI
 *       ADD and removes it at DEL. Until the pod is there nothing is written and nothing is in
 *       conflict; two ovs-cni ports of the same pod interface name are a conflict.</li>
 * </ul>
 */
public final class LocalOvs {
    private LocalOvs() {}

    public static final String DATABASE = OpenVswitch.DATABASE;
    /** The ownership key the Northbound bridge uses too; its value here says the agent made the row. */
    public static final String OWNER = Ownership.OWNER;
    public static final String OWNER_VALUE = "node-agent";
    /** The key ovn-controller binds an Interface to a logical port by. */
    public static final String IFACE_ID = "iface-id";
    public static final String BRIDGE_MAPPINGS = "ovn-bridge-mappings";
    public static final String HW_OFFLOAD = "hw-offload";
    /** Beside an {@code iface-id} the agent set on a port it does not own (ovs-cni's): it may delete it again. */
    public static final String IFACE_ID_SET_BY = "vpc.dpu.nvidia.com/iface-id-set-by";

    /**
     * The local OVS the agent wants: the root's keys, the bridges with their ports, and the
     * ovs-cni ports whose {@code iface-id} it sets.
     */
    public record Desired(Map<String, String> externalIds, Map<String, String> otherConfig, List<DesiredBridge> bridges,
                          List<CniPort> cniPorts) {
        public Desired {
            externalIds = Map.copyOf(externalIds);
            otherConfig = Map.copyOf(otherConfig);
            bridges = List.copyOf(bridges);
            cniPorts = List.copyOf(cniPorts);
        }

        public Desired(Map<String, String> externalIds, Map<String, String> otherConfig, List<DesiredBridge> bridges) {
            this(externalIds, otherConfig, bridges, List.of());
        }
    }

    /** The port ovs-cni made in {@code bridge} for pod interface {@code contIface} gets {@code iface-id=logicalPort}. */
    public record CniPort(String bridge, String contIface, String logicalPort) {
        public CniPort {
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(contIface, "contIface");
            Objects.requireNonNull(logicalPort, "logicalPort");
        }
    }

    /** A bridge: {@code failMode} null leaves it as it is; {@code otherConfig} keys are set one by one. */
    public record DesiredBridge(String name, String datapathType, String failMode, Map<String, String> otherConfig,
                                List<DesiredPort> ports) {
        public DesiredBridge {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(datapathType, "datapathType");
            otherConfig = Map.copyOf(otherConfig);
            ports = List.copyOf(ports);
        }
    }

    /**
     * A port with its one interface of the same name: {@code interfaceType} {@code ""} for a netdev
     * (representor, uplink), {@code internal} for a bridge's own port; {@code mtuRequest} null leaves
     * it as it is; {@code externalIds} keys ({@code iface-id}) are set on the interface.
     */
    public record DesiredPort(String name, String interfaceType, Long mtuRequest, Map<String, String> externalIds) {
        public DesiredPort {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(interfaceType, "interfaceType");
            externalIds = Map.copyOf(externalIds);
        }
    }

    /** The monitored rows of the four tables, as the cache has them. */
    public record OvsState(Collection<Row> openVswitch, Collection<Row> bridges, Collection<Row> ports,
                           Collection<Row> interfaces) {
        public OvsState {
            openVswitch = List.copyOf(openVswitch);
            bridges = List.copyOf(bridges);
            ports = List.copyOf(ports);
            interfaces = List.copyOf(interfaces);
        }

        public static OvsState of(DatabaseCache cache) {
            return new OvsState(cache.table("Open_vSwitch").rows(), cache.table("Bridge").rows(), cache.table("Port").rows(),
                cache.table("Interface").rows());
        }

        static OvsState empty() {
            return new OvsState(List.of(), List.of(), List.of(), List.of());
        }
    }

    /**
     * The operations of one transaction (empty when the database is as wanted), what they do in
     * words ({@code "insert Bridge br-int"}) and what cannot be done ({@code conflicts}).
     */
    public record Plan(List<Operation> operations, List<String> changes, List<String> conflicts) {
        public Plan {
            operations = List.copyOf(operations);
            changes = List.copyOf(changes);
            conflicts = List.copyOf(conflicts);
        }

        public boolean isEmpty() {
            return operations.isEmpty();
        }

        /** Nothing to write and nothing in the way. */
        public boolean isConverged() {
            return operations.isEmpty() && conflicts.isEmpty();
        }
    }

    // ---- desired state

    /** What {@code settings} and {@code plugs} ask of the local OVS. */
    public static Desired desired(NodeAgentSettings settings, Collection<PortPlug> plugs) {
        Map<String, String> externalIds = new TreeMap<>();
        externalIds.put("system-id", settings.nodeName());
        externalIds.put("ovn-remote", settings.sbRemotes());
        externalIds.put("ovn-encap-type", "geneve");
        externalIds.put("ovn-encap-ip", settings.vtepIp());
        externalIds.put("ovn-bridge", settings.integrationBridge());
        externalIds.put("ovn-bridge-datapath-type", settings.datapath().type());
        externalIds.put(BRIDGE_MAPPINGS, TopologyTranslator.EXTERNAL_NETWORK + ":" + settings.externalBridge());
        Map<String, String> otherConfig = settings.datapath().offloads() ? Map.of(HW_OFFLOAD, "true") : Map.of();

        String datapath = settings.datapath().type();
        List<DesiredPort> intPorts = new ArrayList<>();
        intPorts.add(new DesiredPort(settings.integrationBridge(), "internal", null, Map.of()));
        List<CniPort> cniPorts = new ArrayList<>();
        plugs.stream()
            .sorted(java.util.Comparator.comparing(PortPlug::representor))
            .forEach(p -> {
                String contIface = Representors.ovsCniInterface(p.representor());
                if (contIface != null) {
                    cniPorts.add(new CniPort(settings.integrationBridge(), contIface, p.logicalPort()));
                } else {
                    intPorts.add(new DesiredPort(p.representor(), "", (long) settings.mtu(), Map.of(IFACE_ID, p.logicalPort())));
                }
            });
        DesiredBridge integration = new DesiredBridge(settings.integrationBridge(), datapath, "secure",
            Map.of("disable-in-band", "true"), intPorts);

        List<DesiredPort> exPorts = new ArrayList<>();
        exPorts.add(new DesiredPort(settings.externalBridge(), "internal", null, Map.of()));
        if (settings.uplink() != null) {
            exPorts.add(new DesiredPort(settings.uplink(), "", (long) settings.mtu(), Map.of()));
        }
        DesiredBridge external = new DesiredBridge(settings.externalBridge(), datapath, null, Map.of(), exPorts);
        return new Desired(externalIds, otherConfig, List.of(integration, external), cniPorts);
    }

    /**
     * The plugs the database remembers: interfaces of ours with an {@code iface-id}, on a port of
     * ours in the integration bridge. A restarted agent starts from these, so it does not unplug
     * what it plugged before.
     */
    public static Set<PortPlug> pluggedPorts(NodeAgentSettings settings, OvsState state) {
        Map<UUID, Row> ports = new HashMap<>();
        state.ports().forEach(p -> ports.put(p.uuid(), p));
        Map<UUID, Row> interfaces = new HashMap<>();
        state.interfaces().forEach(i -> interfaces.put(i.uuid(), i));
        Set<PortPlug> plugs = new LinkedHashSet<>();
        for (Row bridge : state.bridges()) {
            if (!bridge.getString("name").equals(settings.integrationBridge())) {
                continue;
            }
            for (Object portUuid : bridge.getSet("ports")) {
                Row port = ports.get((UUID) portUuid);
                if (port == null) {
                    continue;
                }
                if (!owned(port)) {
                    cniPlug(port, interfaces).ifPresent(plugs::add);
                    continue;
                }
                for (Object ifaceUuid : port.getSet("interfaces")) {
                    Row iface = interfaces.get((UUID) ifaceUuid);
                    if (iface != null && owned(iface) && iface.getString("name").equals(port.getString("name"))) {
                        String logical = iface.getStringMap("external_ids").get(IFACE_ID);
                        if (logical != null && !logical.isBlank()) {
                            plugs.add(new PortPlug(iface.getString("name"), logical));
                        }
                    }
                }
            }
        }
        return plugs;
    }

    /** The plug of an ovs-cni port whose interface carries an {@code iface-id} the agent set. */
    private static Optional<PortPlug> cniPlug(Row port, Map<UUID, Row> interfaces) {
        return OvsCniPorts.contIface(port).flatMap(contIface -> port.getSet("interfaces").stream()
            .map(uuid -> interfaces.get((UUID) uuid))
            .filter(iface -> iface != null && setByUs(iface))
            .map(iface -> iface.getStringMap("external_ids").get(IFACE_ID))
            .filter(logical -> logical != null && !logical.isBlank())
            .findFirst()
            .map(logical -> new PortPlug(Representors.OVS_CNI + contIface, logical)));
    }

    /**
     * The Interface that carries {@code representor} in the integration bridge: the netdev of that
     * name, or the one interface of the single ovs-cni port a match key names; empty while there is none.
     */
    public static Optional<Row> interfaceOf(NodeAgentSettings settings, OvsState state, String representor) {
        String contIface = Representors.ovsCniInterface(representor);
        if (contIface == null) {
            return state.interfaces().stream().filter(i -> representor.equals(i.getString("name"))).findFirst();
        }
        List<Row> ports = OvsCniPorts.find(settings, state, contIface);
        if (ports.size() != 1) {
            return Optional.empty();
        }
        Set<Object> ifaces = ports.get(0).getSet("interfaces");
        return state.interfaces().stream().filter(i -> ifaces.contains(i.uuid())).findFirst();
    }

    static boolean owned(Row row) {
        return OWNER_VALUE.equals(row.getStringMap("external_ids").get(OWNER));
    }

    private static boolean setByUs(Row iface) {
        return OWNER_VALUE.equals(iface.getStringMap("external_ids").get(IFACE_ID_SET_BY));
    }

    // ---- planning

    public static Plan plan(Desired desired, OvsState state) {
        return new Planning(desired, state).run();
    }

    /** One planning run; everything here lives for the call only. */
    private static final class Planning {
        private final Desired desired;
        private final Row root;
        private final Map<String, Row> bridgeByName = new HashMap<>();
        private final Map<String, Row> portByName = new HashMap<>();
        private final Map<String, Row> ifaceByName = new HashMap<>();
        private final Map<UUID, Row> ifaceByUuid = new HashMap<>();
        private final Map<UUID, List<Row>> bridgesOfPort = new HashMap<>();
        private final Map<UUID, List<Row>> portsOfIface = new HashMap<>();
        private final Set<String> desiredBridges = new HashSet<>();
        private final Set<String> desiredPorts = new HashSet<>();

        private final List<Operation> operations = new ArrayList<>();
        private final List<String> changes = new ArrayList<>();
        private final List<String> conflicts = new ArrayList<>();
        private int names;

        Planning(Desired desired, OvsState state) {
            this.desired = desired;
            this.root = state.openVswitch().stream().findFirst().orElse(null);
            state.bridges().forEach(b -> bridgeByName.put(b.getString("name"), b));
            state.ports().forEach(p -> portByName.put(p.getString("name"), p));
            state.interfaces().forEach(i -> ifaceByName.put(i.getString("name"), i));
            state.interfaces().forEach(i -> ifaceByUuid.put(i.uuid(), i));
            for (Row bridge : state.bridges()) {
                for (Object port : bridge.getSet("ports")) {
                    bridgesOfPort.computeIfAbsent((UUID) port, k -> new ArrayList<>()).add(bridge);
                }
            }
            for (Row port : state.ports()) {
                for (Object iface : port.getSet("interfaces")) {
                    portsOfIface.computeIfAbsent((UUID) iface, k -> new ArrayList<>()).add(port);
                }
            }
            for (DesiredBridge bridge : desired.bridges()) {
                if (!desiredBridges.add(bridge.name())) {
                    throw new IllegalArgumentException("bridge " + bridge.name() + " is desired twice");
                }
                for (DesiredPort port : bridge.ports()) {
                    if (!desiredPorts.add(port.name())) {
                        throw new IllegalArgumentException("port " + port.name() + " is desired twice");
                    }
                }
            }
        }

        Plan run() {
            // Named-uuids of the bridges to insert: the root's insert or mutation links them.
            Map<String, NamedUuid> newBridges = new LinkedHashMap<>();
            for (DesiredBridge bridge : desired.bridges()) {
                if (!bridgeByName.containsKey(bridge.name())) {
                    newBridges.put(bridge.name(), newName("bridge"));
                }
            }
            planRoot(newBridges);
            for (DesiredBridge bridge : desired.bridges()) {
                planBridge(bridge, newBridges.get(bridge.name()));
            }
            Set<UUID> labelled = planCniPorts();
            planRemovals();
            planCniRemovals(labelled);
            return new Plan(operations, changes, conflicts);
        }

        // ---- ovs-cni's ports: only their iface-id

        /** Sets {@code iface-id} on the ovs-cni ports wanted; returns the interfaces that carry one of ours now. */
        private Set<UUID> planCniPorts() {
            Set<UUID> labelled = new HashSet<>();
            for (CniPort wanted : desired.cniPorts()) {
                List<Row> found = OvsCniPorts.find(bridgeByName.get(wanted.bridge()), portByName.values(), wanted.contIface());
                if (found.size() > 1) {
                    conflicts.add("ports " + names(found) + " are all ovs-cni's for pod interface " + wanted.contIface()
                        + "; the iface-id " + wanted.logicalPort() + " is set on none");
                    continue;
                }
                for (Row port : found) {
                    for (Object uuid : port.getSet("interfaces")) {
                        Row iface = ifaceByUuid.get((UUID) uuid);
                        if (iface == null) {
                            continue;
                        }
                        labelled.add(iface.uuid());
                        List<Mutation> ids = mapMutations("external_ids", iface.getStringMap("external_ids"),
                            Map.of(IFACE_ID, wanted.logicalPort(), IFACE_ID_SET_BY, OWNER_VALUE));
                        if (!ids.isEmpty()) {
                            operations.add(Operation.mutate("Interface", ids, Condition.uuid(iface.uuid())));
                            changes.add("set iface-id " + wanted.logicalPort() + " on ovs-cni port " + port.getString("name"));
                        }
                    }
                }
            }
            return labelled;
        }

        /** Deletes the {@code iface-id} the agent set on interfaces no longer wanted; the port stays ovs-cni's. */
        private void planCniRemovals(Set<UUID> labelled) {
            for (Row iface : sortedByName(ifaceByName.values())) {
                if (setByUs(iface) && !labelled.contains(iface.uuid())) {
                    operations.add(Operation.mutate("Interface", List.of(Mutation.delete("external_ids",
                        new TreeSet<>(Set.of(IFACE_ID, IFACE_ID_SET_BY)))), Condition.uuid(iface.uuid())));
                    changes.add("remove iface-id from ovs-cni port " + iface.getString("name"));
                }
            }
        }


        private NamedUuid newName(String kind) {
            return new NamedUuid(kind + names++);
        }

        // ---- the Open_vSwitch row

        private void planRoot(Map<String, NamedUuid> newBridges) {
            if (root == null) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("external_ids", new TreeMap<>(desired.externalIds()));
                row.put("other_config", new TreeMap<>(desired.otherConfig()));
                row.put("bridges", new LinkedHashSet<>(newBridges.values()));
                operations.add(new Operation.Insert("Open_vSwitch", row, null));
                changes.add("insert Open_vSwitch");
                return;
            }
            List<Mutation> mutations = new ArrayList<>();
            Map<String, String> currentIds = root.getStringMap("external_ids");
            Map<String, String> wantedIds = new TreeMap<>(desired.externalIds());
            String mapping = wantedIds.get(BRIDGE_MAPPINGS);
            if (mapping != null) {
                wantedIds.put(BRIDGE_MAPPINGS, mergeMappings(currentIds.get(BRIDGE_MAPPINGS), mapping));
            }
            mutations.addAll(mapMutations("external_ids", currentIds, wantedIds));
            mutations.addAll(mapMutations("other_config", root.getStringMap("other_config"), desired.otherConfig()));
            if (!newBridges.isEmpty()) {
                mutations.add(Mutation.insert("bridges", new LinkedHashSet<>(newBridges.values())));
            }
            if (!mutations.isEmpty()) {
                operations.add(Operation.mutate("Open_vSwitch", mutations, Condition.uuid(root.uuid())));
                changes.add("update Open_vSwitch");
            }
        }

        // ---- bridges

        private void planBridge(DesiredBridge bridge, NamedUuid newName) {
            Row current = bridgeByName.get(bridge.name());
            if (current == null) {
                Set<Object> ports = new LinkedHashSet<>();
                for (DesiredPort port : bridge.ports()) {
                    Object ref = planPort(bridge, port, null);
                    if (ref != null) {
                        ports.add(ref);
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", bridge.name());
                row.put("datapath_type", bridge.datapathType());
                if (bridge.failMode() != null) {
                    row.put("fail_mode", bridge.failMode());
                }
                row.put("other_config", new TreeMap<>(bridge.otherConfig()));
                row.put("external_ids", ownerIds(Map.of()));
                row.put("ports", ports);
                // Ports go in the bridge's own insert: named-uuids resolve anywhere in the transaction.
                operations.add(new Operation.Insert("Bridge", row, newName.name()));
                changes.add("insert Bridge " + bridge.name());
                return;
            }
            Map<String, Object> changed = new TreeMap<>();
            if (!same(current.get("datapath_type"), bridge.datapathType())) {
                changed.put("datapath_type", bridge.datapathType());
            }
            if (bridge.failMode() != null && !same(current.get("fail_mode"), bridge.failMode())) {
                changed.put("fail_mode", bridge.failMode());
            }
            if (!changed.isEmpty()) {
                operations.add(Operation.update("Bridge", changed, Condition.uuid(current.uuid())));
            }
            List<Mutation> mutations = new ArrayList<>();
            mutations.addAll(mapMutations("other_config", current.getStringMap("other_config"), bridge.otherConfig()));
            mutations.addAll(mapMutations("external_ids", current.getStringMap("external_ids"), ownerIds(Map.of())));
            if (!mutations.isEmpty()) {
                operations.add(Operation.mutate("Bridge", mutations, Condition.uuid(current.uuid())));
            }
            if (!changed.isEmpty() || !mutations.isEmpty()) {
                changes.add("update Bridge " + bridge.name());
            }
            Set<Object> link = new LinkedHashSet<>();
            for (DesiredPort port : bridge.ports()) {
                Object ref = planPort(bridge, port, current);
                if (ref != null) {
                    link.add(ref);
                }
            }
            if (!link.isEmpty()) {
                operations.add(Operation.mutate("Bridge", List.of(Mutation.insert("ports", link)),
                    Condition.uuid(current.uuid())));
            }
        }

        // ---- ports and their interfaces

        /**
         * Plans one port of {@code bridge} ({@code currentBridge} null when the bridge is inserted)
         * and returns what must be linked into the bridge's {@code ports}: the port's UUID or
         * named-uuid, or null when it is there already or in conflict.
         */
        private Object planPort(DesiredBridge bridge, DesiredPort port, Row currentBridge) {
            Row current = portByName.get(port.name());
            Row iface = ifaceByName.get(port.name());
            if (current == null) {
                if (iface != null) {
                    conflicts.add("interface " + port.name() + " belongs to port(s) " + portNames(iface) + ", not to a port "
                        + port.name());
                    return null;
                }
                NamedUuid ifaceName = newName("iface");
                operations.add(new Operation.Insert("Interface", interfaceRow(port), ifaceName.name()));
                NamedUuid portName = newName("port");
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", port.name());
                row.put("interfaces", Set.of(ifaceName));
                row.put("external_ids", ownerIds(Map.of()));
                operations.add(new Operation.Insert("Port", row, portName.name()));
                changes.add("insert Port " + port.name() + " into " + bridge.name());
                return portName;
            }
            List<Row> holders = bridgesOfPort.getOrDefault(current.uuid(), List.of());
            boolean inPlace = currentBridge != null && holders.stream().anyMatch(b -> b.uuid().equals(currentBridge.uuid()));
            List<Row> foreign = holders.stream().filter(b -> !ours(b)).toList();
            if (!inPlace && !foreign.isEmpty()) {
                conflicts.add("port " + port.name() + " is in bridge " + names(foreign) + ", which is not the agent's");
                return null;
            }
            if (iface != null && portsOfIface.getOrDefault(iface.uuid(), List.of()).stream()
                    .anyMatch(p -> !p.uuid().equals(current.uuid()))) {
                conflicts.add("interface " + port.name() + " belongs to port(s) " + portNames(iface) + ", not to port "
                    + port.name());
                return null;
            }
            boolean written = false;
            if (!inPlace) {
                for (Row holder : holders) {
                    operations.add(Operation.mutate("Bridge", List.of(Mutation.delete("ports", Set.of(current.uuid()))),
                        Condition.uuid(holder.uuid())));
                }
                changes.add("move Port " + port.name() + (holders.isEmpty() ? "" : " from " + names(holders)) + " to "
                    + bridge.name());
            }
            // The port's one interface, of its own name.
            if (iface == null) {
                NamedUuid ifaceName = newName("iface");
                operations.add(new Operation.Insert("Interface", interfaceRow(port), ifaceName.name()));
                operations.add(Operation.update("Port", Map.of("interfaces", Set.of(ifaceName)), Condition.uuid(current.uuid())));
                changes.add("insert Interface " + port.name());
                written = true;
            } else {
                if (!current.getSet("interfaces").equals(Set.of(iface.uuid()))) {
                    operations.add(Operation.update("Port", Map.of("interfaces", Set.of(iface.uuid())),
                        Condition.uuid(current.uuid())));
                    written = true;
                }
                written |= planInterface(port, iface);
            }
            List<Mutation> portIds = mapMutations("external_ids", current.getStringMap("external_ids"), ownerIds(Map.of()));
            if (!portIds.isEmpty()) {
                operations.add(Operation.mutate("Port", portIds, Condition.uuid(current.uuid())));
                written = true;
            }
            if (written) {
                changes.add("update Port " + port.name());
            }
            return inPlace ? null : current.uuid();
        }

        private boolean planInterface(DesiredPort port, Row iface) {
            Map<String, Object> changed = new TreeMap<>();
            if (!same(iface.get("type"), port.interfaceType())) {
                changed.put("type", port.interfaceType());
            }
            if (port.mtuRequest() != null && !same(iface.get("mtu_request"), port.mtuRequest())) {
                changed.put("mtu_request", port.mtuRequest());
            }
            if (!changed.isEmpty()) {
                operations.add(Operation.update("Interface", changed, Condition.uuid(iface.uuid())));
            }
            List<Mutation> ids = mapMutations("external_ids", iface.getStringMap("external_ids"), ownerIds(port.externalIds()));
            if (!ids.isEmpty()) {
                operations.add(Operation.mutate("Interface", ids, Condition.uuid(iface.uuid())));
            }
            return !changed.isEmpty() || !ids.isEmpty();
        }

        private Map<String, Object> interfaceRow(DesiredPort port) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", port.name());
            row.put("type", port.interfaceType());
            if (port.mtuRequest() != null) {
                row.put("mtu_request", port.mtuRequest());
            }
            row.put("external_ids", ownerIds(port.externalIds()));
            return row;
        }

        // ---- what is ours and no longer wanted

        private void planRemovals() {
            Set<UUID> removedBridges = new HashSet<>();
            for (Row bridge : sortedByName(bridgeByName.values())) {
                if (owned(bridge) && !desiredBridges.contains(bridge.getString("name")) && root != null) {
                    operations.add(Operation.mutate("Open_vSwitch", List.of(Mutation.delete("bridges", Set.of(bridge.uuid()))),
                        Condition.uuid(root.uuid())));
                    changes.add("delete Bridge " + bridge.getString("name"));
                    removedBridges.add(bridge.uuid());
                }
            }
            for (Row port : sortedByName(portByName.values())) {
                if (!owned(port) || desiredPorts.contains(port.getString("name"))) {
                    continue;
                }
                boolean unlinked = false;
                for (Row holder : bridgesOfPort.getOrDefault(port.uuid(), List.of())) {
                    if (removedBridges.contains(holder.uuid())) {
                        continue; // garbage-collected with its bridge
                    }
                    operations.add(Operation.mutate("Bridge", List.of(Mutation.delete("ports", Set.of(port.uuid()))),
                        Condition.uuid(holder.uuid())));
                    unlinked = true;
                }
                if (unlinked) {
                    changes.add("delete Port " + port.getString("name"));
                }
            }
        }

        // ---- helpers

        /** Ours: marked, or named by the settings (then adopted). */
        private boolean ours(Row bridge) {
            return owned(bridge) || desiredBridges.contains(bridge.getString("name"));
        }

        private String portNames(Row iface) {
            return names(portsOfIface.getOrDefault(iface.uuid(), List.of()));
        }

        private static String names(Collection<Row> rows) {
            return rows.stream().map(r -> r.getString("name")).sorted().toList().toString();
        }

        private static List<Row> sortedByName(Collection<Row> rows) {
            return rows.stream().sorted(java.util.Comparator.comparing(r -> r.getString("name"))).toList();
        }
    }

    /** {@code extra} with the agent's ownership mark. */
    static Map<String, String> ownerIds(Map<String, String> extra) {
        Map<String, String> ids = new TreeMap<>(extra);
        ids.put(OWNER, OWNER_VALUE);
        return ids;
    }

    /**
     * The mutations that give {@code column} the {@code wanted} pairs, keeping every other key:
     * map {@code insert} keeps an existing key's value (RFC 7047 5.1), so keys whose value differs
     * are deleted first; mutations apply in order within the operation.
     */
    static List<Mutation> mapMutations(String column, Map<String, String> current, Map<String, String> wanted) {
        Set<String> stale = new TreeSet<>();
        Map<String, String> missing = new TreeMap<>();
        wanted.forEach((key, value) -> {
            String now = current.get(key);
            if (!value.equals(now)) {
                missing.put(key, value);
                if (now != null) {
                    stale.add(key);
                }
            }
        });
        if (missing.isEmpty()) {
            return List.of();
        }
        List<Mutation> mutations = new ArrayList<>();
        if (!stale.isEmpty()) {
            mutations.add(Mutation.delete(column, stale));
        }
        mutations.add(Mutation.insert(column, missing));
        return mutations;
    }

    /**
     * {@code ovn-bridge-mappings} with {@code ours} ({@code network:bridge} entries) replacing the
     * entries of the same networks and every other network's entry kept, in its place.
     */
    static String mergeMappings(String current, String ours) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String entry : ours.split(",")) {
            String[] parts = entry.trim().split(":", 2);
            wanted.put(parts[0], entry.trim());
        }
        List<String> entries = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        if (current != null) {
            for (String entry : current.split(",")) {
                String trimmed = entry.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String network = trimmed.split(":", 2)[0];
                if (wanted.containsKey(network)) {
                    if (placed.add(network)) {
                        entries.add(wanted.get(network));
                    }
                } else {
                    entries.add(trimmed);
                }
            }
        }
        wanted.forEach((network, entry) -> {
            if (placed.add(network)) {
                entries.add(entry);
            }
        });
        return String.join(",", entries);
    }

    /**
     * Whether a cached value is {@code wanted}: an optional column holds a set of zero or one
     * element, integers are longs.
     */
    static boolean same(Object current, Object wanted) {
        Object w = wanted instanceof Integer i ? Long.valueOf(i) : wanted;
        if (current instanceof Set<?> set && !(w instanceof Set<?>)) {
            return set.size() == 1 && set.contains(w);
        }
        return Objects.equals(current, w);
    }
}
