package io.dpuvpc.simulator.bench.converge;

import io.dpuvpc.actors.model.MacAddresses;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.TopologyIntent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The intents the entities of a fleet would publish: per VPC a {@link TopologyIntent.Vpc} with its
 * networks and one gateway (odd VPCs) or two (even VPCs), or {@code nodesPerVpc} of them, on DPU
 * nodes of its own ({@code dpu-<n>}, a node belongs to one VPC), per network a
 * {@link TopologyIntent.Network} with DHCP, per interface a {@link TopologyIntent.Interface} with a
 * DHCP address and the MAC the product derives from its key, on one of its VPC's gateway nodes in
 * turn. Every VPC uses the same subnets ({@code 10.0.<j>.0/24}), as tenants do; half of them close
 * inter-network access.
 */
final class Topology {
    static final String NAMESPACE = "bench";
    static final String ISOLATION_CLASS = "bench-ovn";
    /** Nodes in all: each takes its own address in 172.16.0.0/16, 250 to a /24 from 172.16.0.x. */
    static final int MAX_NODES = 250 * 255;

    /** One VPC's owners in the order its entities would publish: the VPC, its networks, their interfaces. */
    record VpcIntents(TopologyIntent.Vpc vpc, List<TopologyIntent.Network> networks, List<TopologyIntent.Interface> interfaces) {
        List<TopologyIntent> all() {
            List<TopologyIntent> all = new ArrayList<>(1 + networks.size() + interfaces.size());
            all.add(vpc);
            all.addAll(networks);
            all.addAll(interfaces);
            return all;
        }

        int owners() {
            return 1 + networks.size() + interfaces.size();
        }
    }

    private Topology() {}

    /** {@code nodesPerVpc}: the DPU nodes (gateways) of each VPC; 0 for one (odd VPCs) or two (even VPCs). */
    static List<VpcIntents> build(int vpcs, int networksPerVpc, int interfacesPerNetwork, int nodesPerVpc) {
        List<VpcIntents> result = new ArrayList<>(vpcs);
        int node = 0;
        for (int i = 0; i < vpcs; i++) {
            String vpcName = "vpc-" + i;
            List<String> nodes = new ArrayList<>();
            int count = nodesPerVpc > 0 ? nodesPerVpc : i % 2 == 0 ? 2 : 1;
            for (int n = 0; n < count; n++) {
                nodes.add("dpu-" + node++);
            }
            List<TopologyIntent.Gateway> gateways = new ArrayList<>();
            for (String n : nodes) {
                int index = Integer.parseInt(n.substring(4));
                // 172.16.0.0/16 external network, .0.1 the next hop, every node its own address.
                int host = index + 2;
                gateways.add(new TopologyIntent.Gateway(n, n, "172.16." + (host / 250) + "." + (host % 250 + 2) + "/16",
                        "172.16.0.1"));
            }
            TreeMap<String, TopologyIntent.NetworkRoute> routes = new TreeMap<>();
            List<TopologyIntent.Network> networks = new ArrayList<>();
            List<TopologyIntent.Interface> interfaces = new ArrayList<>();
            int k = 0;
            for (int j = 0; j < networksPerVpc; j++) {
                String netName = vpcName + "-net-" + j;
                String subnet = "10." + (j / 256) + "." + (j % 256) + ".0/24";
                routes.put(netName, new TopologyIntent.NetworkRoute(subnet, true, true));
                networks.add(new TopologyIntent.Network(key(ResourceKind.DPU_VIRTUAL_NETWORK, netName), 1, vpcName, subnet,
                        List.of(), true, Map.of()));
                for (int f = 0; f < interfacesPerNetwork; f++) {
                    ResourceKey ifKey = key(ResourceKind.SERVICE_INTERFACE, netName + "-if-" + f);
                    interfaces.add(new TopologyIntent.Interface(ifKey, 1, vpcName, netName, nodes.get(k++ % nodes.size()),
                            MacAddresses.forKey(ifKey), null, false, true));
                }
            }
            TopologyIntent.Vpc vpc = new TopologyIntent.Vpc(key(ResourceKind.DPU_VPC, vpcName), 1, i % 2 == 0, routes,
                    gateways);
            result.add(new VpcIntents(vpc, networks, interfaces));
        }
        return result;
    }

    static ResourceKey key(ResourceKind kind, String name) {
        return ResourceKey.namespaced(kind, NAMESPACE, name);
    }

    static int owners(List<VpcIntents> vpcs) {
        return vpcs.stream().mapToInt(VpcIntents::owners).sum();
    }
}
