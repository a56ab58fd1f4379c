package io.dpuvpc.ovn.northbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.TopologyIntent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * The rows each intent translates to (the proof that they work is on a real ovsdb-server and
 * datapath elsewhere): names, ids, parents, and the rule counts that must not grow with the
 * square of the networks.
 */
class TopologyTranslatorTest {
    static final ResourceKey VPC = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc");
    static final ResourceKey NET = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "testnet1");
    static final ResourceKey SI = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "testnet1-vf2-dpu-a");

    static TopologyIntent.Vpc vpc(boolean interNetworkAccess, int networks, int gateways) {
        TreeMap<String, TopologyIntent.NetworkRoute> routes = new TreeMap<>();
        for (int i = 0; i < networks; i++) {
            routes.put("net" + i, new TopologyIntent.NetworkRoute("10." + i + ".0.0/16", i % 2 == 0, i % 4 == 0));
        }
        List<TopologyIntent.Gateway> gws = IntStream.range(0, gateways)
                .mapToObj(i -> new TopologyIntent.Gateway("dpu-" + i, "dpu-" + i, "172.16.0." + (10 + i) + "/24", "172.16.0.1"))
                .toList();
        return new TopologyIntent.Vpc(VPC, 1, interNetworkAccess, routes, gws);
    }

    static Map<String, DesiredRow> byId(Translation t) {
        return t.rows().rows().stream().collect(Collectors.toMap(DesiredRow::id, r -> r));
    }

    static long count(Translation t, String table) {
        return t.rows().rows().stream().filter(r -> r.table().equals(table)).count();
    }

    @Test
    void vpcRouterJoinSwitchAddressSetsAndOneIsolationRule() {
        Translation open = TopologyTranslator.translate(vpc(true, 2, 0), Observations.NONE);
        Map<String, DesiredRow> rows = byId(open);
        String prefix = NbNames.addressSetPrefix("default", "testvpc");

        assertThat(rows.get("DPUVPC/default/testvpc/router").columns()).containsEntry("name", "vpc_default_testvpc");
        assertThat(rows.get("DPUVPC/default/testvpc/join-port").parent())
                .isEqualTo(new ParentLink("Logical_Router", "DPUVPC/default/testvpc/router", "ports"));
        assertThat(rows.get("DPUVPC/default/testvpc/join-port").columns()).containsEntry("networks", Set.of("100.64.0.1/16"));
        assertThat(rows.get("DPUVPC/default/testvpc/subnets").columns())
                .containsEntry("name", prefix + "_subnets").containsEntry("addresses", Set.of("10.0.0.0/16", "10.1.0.0/16"));
        assertThat(rows.get("DPUVPC/default/testvpc/gateway-ips").columns())
                .containsEntry("addresses", Set.of("10.0.0.1", "10.1.0.1"));
        assertThat(rows.get("DPUVPC/default/testvpc/policy/intra-vpc").columns())
                .containsEntry("priority", 200L).containsEntry("match", "ip4.dst == $" + prefix + "_subnets")
                .containsEntry("action", "allow");
        assertThat(rows).doesNotContainKey("DPUVPC/default/testvpc/policy/inter-network-drop");
        // net1 is not externally routed: its egress is dropped by one rule over an address set.
        assertThat(rows.get("DPUVPC/default/testvpc/internal").columns()).containsEntry("addresses", Set.of("10.1.0.0/16"));

        Translation closed = TopologyTranslator.translate(vpc(false, 2, 0), Observations.NONE);
        assertThat(byId(closed).get("DPUVPC/default/testvpc/policy/inter-network-drop").columns())
                .containsEntry("priority", 300L).containsEntry("action", "drop")
                .containsEntry("match", "ip4.src == $" + prefix + "_subnets && ip4.dst == $" + prefix + "_subnets && ip4.src != $"
                        + prefix + "_gwips");
        // Flipping interNetworkAccess changes one row, nothing else.
        Set<DesiredRow> before = Set.copyOf(open.rows().rows());
        Set<DesiredRow> after = Set.copyOf(closed.rows().rows());
        assertThat(after.stream().filter(r -> !before.contains(r)).map(DesiredRow::id))
                .containsExactly("DPUVPC/default/testvpc/policy/inter-network-drop");
        assertThat(before.stream().filter(r -> !after.contains(r))).isEmpty();
    }

    /** Every router on the join switch learns its neighbours by ARP: static ARP flows would grow with DPUs squared. */
    @Test
    void everyRouterOfAVpcResolvesItsNeighboursDynamically() {
        Translation t = TopologyTranslator.translate(vpc(true, 2, 3), Observations.NONE);
        List<DesiredRow> routers = t.rows().rows().stream().filter(r -> r.table().equals("Logical_Router")).toList();
        assertThat(routers).hasSize(4).allSatisfy(r -> assertThat(r.columns().get("options"))
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("dynamic_neigh_routers", "true"));
    }

    @Test
    void isolationRulesDoNotGrowWithTheNetworks() {
        for (int networks : new int[] {1, 10, 100}) {
            Translation t = TopologyTranslator.translate(vpc(false, networks, 0), Observations.NONE);
            // allow + drop between networks, and the egress drop once some network is not routed
            assertThat(count(t, "Logical_Router_Policy")).as("policies with %d networks", networks)
                    .isEqualTo(networks == 1 ? 2 : 3);
        }
    }

    @Test
    void eachGatewayIsPinnedToItsChassisWithRoutesAndSnatPerRoutedNetwork() {
        Translation t = TopologyTranslator.translate(vpc(true, 4, 2), Observations.NONE);
        Map<String, DesiredRow> rows = byId(t);
        String gw = "DPUVPC/default/testvpc/gw/dpu-0";
        assertThat(rows.get(gw).columns()).containsEntry("name", "gw_default_testvpc_dpu-0")
                .containsEntry("options", Map.of("chassis", "dpu-0", "dynamic_neigh_routers", "true"));
        assertThat(rows.get(gw + "/ext-port").columns()).containsEntry("networks", Set.of("172.16.0.10/24"));
        assertThat(rows.get(gw + "/route/default").columns()).containsEntry("ip_prefix", "0.0.0.0/0")
                .containsEntry("nexthop", "172.16.0.1");
        // net0 routed + masqueraded, net2 routed without NAT, net1 and net3 not routed.
        assertThat(rows.get(gw + "/route/net0").columns()).containsEntry("ip_prefix", "10.0.0.0/16")
                .containsEntry("nexthop", "100.64.0.1");
        assertThat(rows.get(gw + "/snat/net0").columns()).containsEntry("type", "snat")
                .containsEntry("external_ip", "172.16.0.10").containsEntry("logical_ip", "10.0.0.0/16");
        assertThat(rows).containsKey(gw + "/route/net2").doesNotContainKey(gw + "/snat/net2")
                .doesNotContainKey(gw + "/route/net1");
        assertThat(rows.get("DPUVPC/default/testvpc/ext/dpu-0/localnet").columns())
                .containsEntry("type", "localnet").containsEntry("options", Map.of("network_name", "external"));
        assertThat(count(t, "NAT")).isEqualTo(2);

        Map<String, String> joinIps = TopologyTranslator.gatewayJoinIps(vpc(true, 1, 2).gateways());
        assertThat(rows.get(gw + "/join-port").columns()).containsEntry("networks", Set.of(joinIps.get("dpu-0") + "/16"));
        assertThat(rows.get("DPUVPC/default/testvpc/route/default").columns()).containsEntry("nexthop", joinIps.get("dpu-0"));
    }

    @Test
    void joinAddressesAreStableWhenOtherNodesComeAndGo() {
        Map<String, String> ten = TopologyTranslator.gatewayJoinIps(vpc(true, 1, 10).gateways());
        Map<String, String> five = TopologyTranslator.gatewayJoinIps(vpc(true, 1, 5).gateways());
        five.forEach((node, ip) -> assertThat(ten.get(node)).isEqualTo(ip));
        assertThat(Set.copyOf(ten.values())).hasSize(10).doesNotContain("100.64.0.0", "100.64.0.1", "100.64.255.255");
    }

    /**
     * The MACs and node hashes in NB must stay what earlier versions wrote (else an upgrade
     * rewrites every router port): the values below are SHA-256 computed outside Java. Asked
     * twice, the second answer comes from what {@link NbNames} remembers.
     */
    @Test
    void macsAndHashesAreTheDigestsTheyAlwaysWere() {
        for (int i = 0; i < 2; i++) {
            assertThat(NbNames.mac("DPUVirtualNetwork/default/testnet1/router-port")).isEqualTo("22:e5:52:a7:f6:89");
            assertThat(NbNames.hash("dpu-a")).isEqualTo("45fc579ee6c13f63d420d4d2c4d1218933b131509bc929fce907bb37e3dba3a7");
        }
    }

    @Test
    void networkSwitchRouterPortAndDhcp() {
        var intent = new TopologyIntent.Network(NET, 1, "testvpc", "192.178.0.0/16",
                List.of("192.178.0.5", "192.178.0.200..192.178.0.254"), true, Map.of("mtu", "8942"));
        Map<String, DesiredRow> rows = byId(TopologyTranslator.translate(intent, Observations.NONE));
        String mac = NbNames.mac("DPUVirtualNetwork/default/testnet1/router-port");

        assertThat(rows.get("DPUVirtualNetwork/default/testnet1/switch").columns())
                .containsEntry("name", "net_default_testnet1")
                .containsEntry("other_config", Map.of("subnet", "192.178.0.0/16",
                        "exclude_ips", "192.178.0.1 192.178.0.5 192.178.0.200..192.178.0.254"));
        DesiredRow routerPort = rows.get("DPUVirtualNetwork/default/testnet1/router-port");
        assertThat(routerPort.parent()).isEqualTo(new ParentLink("Logical_Router", "DPUVPC/default/testvpc/router", "ports"));
        assertThat(routerPort.columns()).containsEntry("networks", Set.of("192.178.0.1/16")).containsEntry("mac", mac);
        assertThat(rows.get("DPUVirtualNetwork/default/testnet1/dhcp").columns())
                .containsEntry("cidr", "192.178.0.0/16")
                .containsEntry("options", Map.of("router", "192.178.0.1", "server_id", "192.178.0.1", "server_mac", mac,
                        "lease_time", "3600", "mtu", "8942"));
        assertThat(rows.get("DPUVirtualNetwork/default/testnet1/switch/router").columns())
                .containsEntry("type", "router").containsEntry("options", Map.of("router-port", "lrp_net_default_testnet1"));
    }

    @Test
    void interfacePortThenItsEgressPolicyOnceTheAddressIsKnown() {
        var intent = new TopologyIntent.Interface(SI, 1, "testvpc", "testnet1", "dpu-a", "0a:11:22:33:44:55", null, false, true);
        Translation first = TopologyTranslator.translate(intent, Observations.NONE);
        DesiredRow port = byId(first).get("ServiceInterface/default/testnet1-vf2-dpu-a/port");
        assertThat(port.columns()).containsEntry("name", "default_testnet1-vf2-dpu-a")
                .containsEntry("addresses", Set.of("0a:11:22:33:44:55 dynamic"))
                .containsEntry("port_security", Set.of("0a:11:22:33:44:55"))
                .containsEntry("dhcpv4_options", Set.of(new RowRef("DHCP_Options", "DPUVirtualNetwork/default/testnet1/dhcp")))
                .containsEntry("options", Map.of("requested-chassis", "dpu-a"));
        assertThat(port.parent()).isEqualTo(new ParentLink("Logical_Switch", "DPUVirtualNetwork/default/testnet1/switch", "ports"));
        assertThat(first.rows().rows()).hasSize(1);
        assertThat(first.waitingFor()).hasSize(2);
        assertThat(first.readIds()).containsExactly("DPUVPC/default/testvpc/gw/dpu-a/join-port");

        Observations known = new Observations() {
            @Override
            public Optional<String> portIpv4(String portName) {
                return Optional.of("192.178.0.10");
            }

            @Override
            public Optional<String> gatewayJoinIp(String namespace, String vpc, String node) {
                return Optional.of("100.64.3.7");
            }
        };
        Translation then = TopologyTranslator.translate(intent, known);
        assertThat(then.waitingFor()).isEmpty();
        assertThat(byId(then).get("ServiceInterface/default/testnet1-vf2-dpu-a/port").columns())
                .as("once its address is known, the port may send from it only")
                .containsEntry("port_security", Set.of("0a:11:22:33:44:55 192.178.0.10"))
                .containsEntry("addresses", Set.of("0a:11:22:33:44:55 dynamic"));
        assertThat(byId(then).get("ServiceInterface/default/testnet1-vf2-dpu-a/policy/egress").columns())
                .containsEntry("priority", 100L).containsEntry("match", "ip4.src == 192.178.0.10")
                .containsEntry("action", "reroute").containsEntry("nexthops", Set.of("100.64.3.7"));
    }

    @Test
    void aStaticAddressIsInThePortSecurityFromTheStart() {
        var intent = new TopologyIntent.Interface(SI, 1, "testvpc", "testnet1", "dpu-a", "0a:11:22:33:44:55", "192.178.0.9",
                false, true);
        DesiredRow port = byId(TopologyTranslator.translate(intent, Observations.NONE))
                .get("ServiceInterface/default/testnet1-vf2-dpu-a/port");
        assertThat(port.columns()).containsEntry("addresses", Set.of("0a:11:22:33:44:55 192.178.0.9"))
                .containsEntry("port_security", Set.of("0a:11:22:33:44:55 192.178.0.9"))
                .containsEntry("dhcpv4_options", Set.of());
    }

    @Test
    void unknownMacPortHasNoSecurityNorDhcp() {
        var intent = new TopologyIntent.Interface(SI, 1, "testvpc", "testnet1", "dpu-a", null, null, true, true);
        DesiredRow port = byId(TopologyTranslator.translate(intent, Observations.NONE))
                .get("ServiceInterface/default/testnet1-vf2-dpu-a/port");
        assertThat(port.columns()).containsEntry("addresses", Set.of("unknown")).containsEntry("port_security", Set.of())
                .containsEntry("dhcpv4_options", Set.of());
    }
}
