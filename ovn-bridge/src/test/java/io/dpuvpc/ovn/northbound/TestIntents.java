package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.Northbound.Observed;
import io.dpuvpc.actors.northbound.TopologyIntent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/** Topology intents as the entities publish them, for the bridge's tests against a real NB. */
final class TestIntents {
    static final String NS = "default";

    private TestIntents() {
    }

    static ResourceKey vpcKey(String name) {
        return ResourceKey.namespaced(ResourceKind.DPU_VPC, NS, name);
    }

    static TopologyIntent.Vpc vpc(String name, boolean interNetworkAccess, Map<String, String> networks, String... nodes) {
        TreeMap<String, TopologyIntent.NetworkRoute> routes = new TreeMap<>();
        networks.forEach((n, subnet) -> routes.put(n, new TopologyIntent.NetworkRoute(subnet, true, true)));
        // The i-th node (sorted) has external address 172.16.0.(11 + i).
        List<String> sorted = Arrays.stream(nodes).sorted().toList();
        List<TopologyIntent.Gateway> gateways = sorted.stream().map(node -> new TopologyIntent.Gateway(node, node,
                "172.16.0." + (11 + sorted.indexOf(node)) + "/24", "172.16.0.1")).toList();
        return new TopologyIntent.Vpc(vpcKey(name), 1, interNetworkAccess, routes, gateways);
    }

    static TopologyIntent.Network network(String vpc, String name, String subnet) {
        return new TopologyIntent.Network(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, NS, name), 1, vpc, subnet,
                List.of(), true, Map.of());
    }

    static TopologyIntent.Interface port(String vpc, String network, String name, String node, String mac) {
        return new TopologyIntent.Interface(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, name), 1, vpc, network, node,
                mac, null, false, true);
    }

    static Observed awaitState(TestProbe<Observed> probe, Northbound.State state) {
        return probe.fishForMessage(Duration.ofSeconds(15), o -> o.state() == state
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore()).get(0);
    }
}
