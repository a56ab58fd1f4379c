package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.Ipv4Address;
import io.dpuvpc.actors.model.Ipv4Cidr;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.northbound.TopologyIntent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Translates an owner's {@link TopologyIntent} into the Northbound rows it owns: the topology of
 * LAB.md that was proven on a real datapath, with the isolation rules O(1) per VPC.
 *
 * <p>Per VPC: a router with a port on a join switch (100.64.0.1/16), two Address_Sets (the
 * networks' subnets and their gateway addresses), a policy at 200 letting traffic between its
 * subnets route normally, with {@code interNetworkAccess: false} one more at 300 dropping it (the
 * gateway addresses excepted, or a host could not ping its own gateway), a policy at 150 dropping
 * egress from networks that are not externally routed, and a default route to a gateway (routing
 * runs before the policy stage and drops what it cannot route). Per DPU node of the VPC: a gateway
 * router pinned to its chassis, on the join switch and on the node's external switch (a
 * {@code localnet} port), a default route to the node's next hop, and per externally routed
 * network a return route plus an SNAT to the node's address when masquerading.
 *
 * <p>Per network: a switch (IPAM subnet and exclusions: the gateway and the user's), its port on
 * the VPC router at the subnet's first address, DHCP_Options. Per interface: its logical switch
 * port and a policy at 100 rerouting its host's traffic to its own node's gateway, so egress
 * leaves through the DPU it came from; that needs the host's address, so it follows once DHCP
 * IPAM assigned it.
 */
public final class TopologyTranslator {
    /** The VPC router's address on its join switch; gateways take others in 100.64.0.0/16. */
    static final String VPC_JOIN_IP = "100.64.0.1";
    static final int JOIN_PREFIX = 16;
    /** The bridge-mappings name of every node's external network (the agent maps it to its bridge). */
    public static final String EXTERNAL_NETWORK = "external";
    static final Map<String, String> DHCP_DEFAULTS = Map.of("lease_time", "3600", "mtu", "1442");

    /**
     * Set on the VPC router and on every gateway router. All of a VPC's routers share its join
     * switch, one gateway router per DPU; without this option ovn-northd writes, for every router
     * port on that switch, a static ARP flow towards every other one: logical flows grow with the
     * square of the VPC's DPUs (a VPC over 1,000 DPUs: a 35 s recompute in northd and 6.7 GB of
     * its memory, docs/BENCHMARKS.md). With it the routers resolve each other by ARP, as hosts do,
     * and the flows grow linearly.
     */
    static final Map<String, String> DYNAMIC_NEIGHBOURS = Map.of("dynamic_neigh_routers", "true");

    static final long PRIORITY_INTER_NETWORK_DROP = 300;
    static final long PRIORITY_INTRA_VPC_ALLOW = 200;
    static final long PRIORITY_INTERNAL_DROP = 150;
    static final long PRIORITY_HOST_REROUTE = 100;

    private TopologyTranslator() {}

    public static Translation translate(TopologyIntent intent, Observations observed) {
        if (intent instanceof TopologyIntent.Vpc vpc) {
            return vpc(vpc);
        }
        if (intent instanceof TopologyIntent.Network network) {
            return network(network);
        }
        return serviceInterface((TopologyIntent.Interface) intent, observed);
    }

    // ---- VPC

    static Translation vpc(TopologyIntent.Vpc intent) {
        ResourceKey owner = intent.owner();
        String ns = owner.namespace();
        String vpc = owner.name();
        Rows rows = new Rows(owner);
        String router = NbNames.vpcRouter(ns, vpc);
        String routerId = NbNames.vpcRouterId(ns, vpc);
        rows.root("Logical_Router", "router", columns("name", router, "options", DYNAMIC_NEIGHBOURS));
        String joinPort = "lrp_" + router + "_join";
        rows.child("Logical_Router_Port", "join-port", columns(
                "name", joinPort, "mac", NbNames.mac(NbNames.id(owner, "join-port")),
                "networks", Set.of(VPC_JOIN_IP + "/" + JOIN_PREFIX)), routerId, "ports");
        String join = NbNames.joinSwitch(ns, vpc);
        String joinId = NbNames.id(owner, "join");
        rows.root("Logical_Switch", "join", columns("name", join));
        rows.child("Logical_Switch_Port", "join/vpc", routerPort("lsp_" + join + "_vpc", joinPort), joinId, "ports");

        String sets = NbNames.addressSetPrefix(ns, vpc);
        Set<String> subnets = new TreeSet<>();
        Set<String> gatewayIps = new TreeSet<>();
        Set<String> internal = new TreeSet<>();
        intent.networks().values().forEach(n -> {
            Ipv4Cidr cidr = Ipv4Cidr.parse(n.subnet());
            subnets.add(cidr.toString());
            gatewayIps.add(cidr.gateway().toString());
            if (!n.externallyRouted()) {
                internal.add(cidr.toString());
            }
        });
        rows.root("Address_Set", "subnets", columns("name", sets + "_subnets", "addresses", subnets));
        rows.root("Address_Set", "gateway-ips", columns("name", sets + "_gwips", "addresses", gatewayIps));
        rows.child("Logical_Router_Policy", "policy/intra-vpc", policy(PRIORITY_INTRA_VPC_ALLOW,
                "ip4.dst == $" + sets + "_subnets", "allow", Set.of()), routerId, "policies");
        if (!intent.interNetworkAccess()) {
            rows.child("Logical_Router_Policy", "policy/inter-network-drop", policy(PRIORITY_INTER_NETWORK_DROP,
                    "ip4.src == $" + sets + "_subnets && ip4.dst == $" + sets + "_subnets && ip4.src != $" + sets
                            + "_gwips", "drop", Set.of()), routerId, "policies");
        }
        if (!internal.isEmpty()) {
            rows.root("Address_Set", "internal", columns("name", sets + "_internal", "addresses", internal));
            rows.child("Logical_Router_Policy", "policy/internal-drop", policy(PRIORITY_INTERNAL_DROP,
                    "ip4.src == $" + sets + "_internal", "drop", Set.of()), routerId, "policies");
        }

        Map<String, String> joinIps = gatewayJoinIps(intent.gateways());
        if (!intent.gateways().isEmpty()) {
            String first = joinIps.values().iterator().next();
            rows.child("Logical_Router_Static_Route", "route/default", route("0.0.0.0/0", first), routerId,
                    "static_routes");
        }
        for (TopologyIntent.Gateway gateway : intent.gateways()) {
            gateway(rows, intent, gateway, joinIps.get(gateway.node()), joinId);
        }
        return new Translation(rows.done(), Set.of(), List.of());
    }

    private static void gateway(Rows rows, TopologyIntent.Vpc intent, TopologyIntent.Gateway gateway, String joinIp,
                                String joinId) {
        ResourceKey owner = intent.owner();
        String ns = owner.namespace();
        String node = gateway.node();
        String gw = NbNames.gatewayRouter(ns, owner.name(), node);
        String role = "gw/" + node;
        String gwId = NbNames.id(owner, role);
        Map<String, String> gwOptions = new TreeMap<>(DYNAMIC_NEIGHBOURS);
        gwOptions.put("chassis", gateway.chassis());
        rows.root("Logical_Router", role, columns("name", gw, "options", gwOptions));
        String joinPort = "lrp_" + gw + "_join";
        rows.child("Logical_Router_Port", role + "/join-port", columns("name", joinPort,
                "mac", NbNames.mac(NbNames.id(owner, role + "/join-port")),
                "networks", Set.of(joinIp + "/" + JOIN_PREFIX)), gwId, "ports");
        rows.child("Logical_Switch_Port", "join/" + node,
                routerPort("lsp_" + NbNames.joinSwitch(ns, owner.name()) + "_" + node, joinPort), joinId, "ports");

        // The node's external switch: a node belongs to one VPC at most, so that VPC owns it.
        String ext = NbNames.externalSwitch(node);
        String extId = NbNames.id(owner, "ext/" + node);
        rows.root("Logical_Switch", "ext/" + node, columns("name", ext));
        rows.child("Logical_Switch_Port", "ext/" + node + "/localnet", columns("name", "ln_" + node, "type", "localnet",
                "addresses", Set.of("unknown"), "options", Map.of("network_name", EXTERNAL_NETWORK)), extId, "ports");
        String extPort = "lrp_" + gw + "_ext";
        rows.child("Logical_Router_Port", role + "/ext-port", columns("name", extPort,
                "mac", NbNames.mac(NbNames.id(owner, role + "/ext-port")),
                "networks", Set.of(gateway.externalIp())), gwId, "ports");
        rows.child("Logical_Switch_Port", "ext/" + node + "/gw", routerPort(ext + "_" + ns + "_" + owner.name(), extPort),
                extId, "ports");
        rows.child("Logical_Router_Static_Route", role + "/route/default", route("0.0.0.0/0", gateway.nextHop()), gwId,
                "static_routes");

        String externalAddress = gateway.externalIp().substring(0, gateway.externalIp().indexOf('/'));
        intent.networks().forEach((name, network) -> {
            if (!network.externallyRouted()) {
                return;
            }
            String subnet = Ipv4Cidr.parse(network.subnet()).toString();
            rows.child("Logical_Router_Static_Route", role + "/route/" + name, route(subnet, VPC_JOIN_IP), gwId,
                    "static_routes");
            if (network.masquerade()) {
                rows.child("NAT", role + "/snat/" + name, columns("type", "snat", "external_ip", externalAddress,
                        "logical_ip", subnet), gwId, "nat");
            }
        });
    }

    /**
     * Each gateway's address on the join switch: a hash of the node's name into 100.64.0.0/16
     * (skipping the network address, the VPC router's .0.1 and the broadcast), probing upwards on a
     * collision in node-name order, so adding or removing a node moves no other node's address
     * unless they collided.
     */
    static Map<String, String> gatewayJoinIps(List<TopologyIntent.Gateway> gateways) {
        Ipv4Address base = Ipv4Address.parse("100.64.0.0");
        int usable = (1 << (32 - JOIN_PREFIX)) - 3; // offsets 2 .. 2^16-2
        Set<Integer> taken = new HashSet<>();
        Map<String, String> ips = new LinkedHashMap<>();
        gateways.stream().map(TopologyIntent.Gateway::node).sorted().forEach(node -> {
            int offset = 2 + Math.floorMod(NbNames.hash(node).hashCode(), usable);
            while (!taken.add(offset)) {
                offset = offset + 1 > usable + 1 ? 2 : offset + 1;
            }
            ips.put(node, base.plus(offset).toString());
        });
        return ips;
    }

    // ---- network

    static Translation network(TopologyIntent.Network intent) {
        ResourceKey owner = intent.owner();
        String ns = owner.namespace();
        Rows rows = new Rows(owner);
        Ipv4Cidr subnet = Ipv4Cidr.parse(intent.subnet());
        String gatewayIp = subnet.gateway().toString();
        String switchName = NbNames.networkSwitch(ns, owner.name());
        String switchId = NbNames.networkSwitchId(ns, owner.name());
        Map<String, Object> switchColumns = columns("name", switchName);
        if (intent.dhcp()) {
            List<String> exclusions = new ArrayList<>();
            exclusions.add(gatewayIp);
            exclusions.addAll(intent.excludeIps());
            switchColumns.put("other_config", Map.of("subnet", subnet.toString(), "exclude_ips", String.join(" ", exclusions)));
        }
        rows.root("Logical_Switch", "switch", switchColumns);
        String routerPort = "lrp_" + switchName;
        String routerMac = NbNames.mac(NbNames.id(owner, "router-port"));
        rows.child("Logical_Router_Port", "router-port", columns("name", routerPort, "mac", routerMac,
                "networks", Set.of(gatewayIp + "/" + subnet.prefix())), NbNames.vpcRouterId(ns, intent.vpc()), "ports");
        rows.child("Logical_Switch_Port", "switch/router", routerPort(switchName + "_rtr", routerPort), switchId, "ports");
        if (intent.dhcp()) {
            Map<String, String> options = new TreeMap<>(DHCP_DEFAULTS);
            options.putAll(intent.dhcpOptions());
            options.put("router", gatewayIp);
            options.put("server_id", gatewayIp);
            options.put("server_mac", routerMac);
            rows.root("DHCP_Options", "dhcp", columns("cidr", subnet.toString(), "options", options));
        }
        return new Translation(rows.done(), Set.of(), List.of());
    }

    // ---- interface

    static Translation serviceInterface(TopologyIntent.Interface intent, Observations observed) {
        ResourceKey owner = intent.owner();
        String ns = owner.namespace();
        Rows rows = new Rows(owner);
        String port = intent.portName();
        Optional<String> hostIp = intent.staticIp() != null ? Optional.of(intent.staticIp()) : observed.portIpv4(port);
        Map<String, Object> lsp = columns("name", port, "options", Map.of("requested-chassis", intent.node()));
        if (intent.unknownMac()) {
            // Any source MAC: no port security, and the switch floods unknown destinations to it.
            lsp.put("addresses", Set.of("unknown"));
            lsp.put("port_security", Set.of());
        } else {
            String address = intent.staticIp() != null ? intent.mac() + " " + intent.staticIp()
                    : intent.dhcp() ? intent.mac() + " dynamic" : intent.mac();
            lsp.put("addresses", Set.of(address));
            // The host may send only from its own MAC and, once its address is known (static, or
            // the one northd gave the port), only from that address: a host cannot take over a
            // neighbour's address in its own network, nor answer ARP for it. OVN still lets a DHCP
            // discover from 0.0.0.0 through, so the host gets its address with security on.
            lsp.put("port_security", Set.of(hostIp.map(ip -> intent.mac() + " " + ip).orElse(intent.mac())));
        }
        boolean dhcp = intent.dhcp() && !intent.unknownMac() && intent.staticIp() == null;
        lsp.put("dhcpv4_options", dhcp ? Set.of(new RowRef("DHCP_Options", NbNames.networkDhcpId(ns, intent.network())))
                : Set.of());
        rows.child("Logical_Switch_Port", "port", lsp, NbNames.networkSwitchId(ns, intent.network()), "ports");

        List<String> waiting = new ArrayList<>();
        Optional<String> gatewayIp = observed.gatewayJoinIp(ns, intent.vpc(), intent.node());
        if (hostIp.isEmpty() && !intent.unknownMac()) {
            waiting.add("the address of port " + port);
        }
        if (gatewayIp.isEmpty()) {
            waiting.add("the gateway of DPU node " + intent.node() + " in DPUVPC " + intent.vpc());
        }
        if (hostIp.isPresent() && gatewayIp.isPresent()) {
            rows.child("Logical_Router_Policy", "policy/egress", policy(PRIORITY_HOST_REROUTE,
                    "ip4.src == " + hostIp.get(), "reroute", Set.of(gatewayIp.get())),
                    NbNames.vpcRouterId(ns, intent.vpc()), "policies");
        }
        return new Translation(rows.done(), Set.of(NbNames.gatewayJoinPortId(ns, intent.vpc(), intent.node())), waiting);
    }

    // ---- row shapes

    private static Map<String, Object> routerPort(String name, String routerPortName) {
        return columns("name", name, "type", "router", "addresses", Set.of("router"),
                "options", Map.of("router-port", routerPortName));
    }

    private static Map<String, Object> policy(long priority, String match, String action, Set<String> nexthops) {
        return columns("priority", priority, "match", match, "action", action, "nexthops", nexthops);
    }

    private static Map<String, Object> route(String prefix, String nexthop) {
        return columns("ip_prefix", prefix, "nexthop", nexthop);
    }

    private static Map<String, Object> columns(Object... pairs) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            columns.put((String) pairs[i], pairs[i + 1]);
        }
        return columns;
    }

    /** Collects one owner's rows, ids made from the owner and the row's role. */
    private static final class Rows {
        private final ResourceKey owner;
        private final List<DesiredRow> rows = new ArrayList<>();

        Rows(ResourceKey owner) {
            this.owner = owner;
        }

        void root(String table, String role, Map<String, Object> columns) {
            rows.add(DesiredRow.root(table, NbNames.id(owner, role), columns));
        }

        void child(String table, String role, Map<String, Object> columns, String parentId, String parentColumn) {
            String parentTable = switch (parentColumn) {
                case "ports" -> table.equals("Logical_Router_Port") ? "Logical_Router" : "Logical_Switch";
                default -> "Logical_Router";
            };
            rows.add(DesiredRow.child(table, NbNames.id(owner, role), columns,
                    new ParentLink(parentTable, parentId, parentColumn)));
        }

        OwnerRows done() {
            return new OwnerRows(owner, rows);
        }
    }
}
