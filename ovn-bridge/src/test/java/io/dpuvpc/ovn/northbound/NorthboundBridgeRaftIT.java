package io.dpuvpc.ovn.northbound;

import static io.dpuvpc.ovn.northbound.TestIntents.network;
import static io.dpuvpc.ovn.northbound.TestIntents.port;
import static io.dpuvpc.ovn.northbound.TestIntents.vpc;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.Northbound.Observed;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.ovn.lab.OvsdbRaftCluster;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's Northbound bridge writing through a 3-member raft NB, as production runs OVN
 * central: the bridge is given every member, talks to the leader only, and when the leader is
 * killed (SIGKILL) it follows the new one. What it was told before, during and after the failover
 * is all in the cluster, each row once, without anyone telling it again.
 *
 * <p>No ovn-northd runs here, so an interface's port gets no dynamic address: its owner is told
 * "waiting for the address", which the bridge says only once the port's rows are written and
 * seen. VPCs and networks are Reconciled.
 */
class NorthboundBridgeRaftIT {
    static final ActorTestKit kit = ActorTestKit.create();
    static final int TENANTS_BEFORE = 10;
    static final int TENANTS_AFTER = 10;

    @TempDir
    Path dir;

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @Test
    void theBridgeFollowsANewRaftLeaderAndWritesEveryIntentOnce() throws Exception {
        try (OvsdbRaftCluster cluster = OvsdbRaftCluster.builder(dir).stopOnJvmExit(true).start()) {
            int leader = cluster.awaitHealthy(Duration.ofSeconds(30));
            OvsdbClient client = OvsdbClient.start(OvsdbClientOptions.builder(cluster.connectionString())
                    .databases(OvsdbRaftCluster.DATABASE).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build());
            ActorRef<NorthboundBridge.Message> bridge = kit.spawn(NorthboundBridge.create(client,
                    NorthboundBridge.Settings.defaults(), OwnerCheck.NEVER_COLLECT));
            try {
                List<TestProbe<Observed>> before = new ArrayList<>();
                for (int i = 0; i < TENANTS_BEFORE; i++) {
                    before.addAll(tenant(bridge, i));
                }
                before.forEach(NorthboundBridgeRaftIT::awaitWritten);
                assertThat(client.currentEndpoint().toString()).isEqualTo(cluster.endpoint(leader));

                long killed = System.nanoTime();
                cluster.kill(leader);
                // Told while the leader is gone: the bridge must hold them until it reaches the new one.
                List<TestProbe<Observed>> after = new ArrayList<>();
                for (int i = TENANTS_BEFORE; i < TENANTS_BEFORE + TENANTS_AFTER; i++) {
                    after.addAll(tenant(bridge, i));
                }
                after.forEach(NorthboundBridgeRaftIT::awaitWritten);
                double failover = (System.nanoTime() - killed) / 1e9;
                int newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
                assertThat(newLeader).isNotEqualTo(leader);
                assertThat(client.currentEndpoint().toString()).isEqualTo(cluster.endpoint(newLeader));

                // The killed member comes back as a follower and catches up; read every member's view from the leader.
                cluster.restart(leader);
                cluster.awaitHealthy(Duration.ofSeconds(30));
                Map<String, Integer> switches = countByName(cluster, "Logical_Switch");
                Map<String, Integer> ports = countByName(cluster, "Logical_Switch_Port");
                int tenants = TENANTS_BEFORE + TENANTS_AFTER;
                for (int i = 0; i < tenants; i++) {
                    assertThat(switches).as("tenant %d's network switch, once", i).containsEntry("net_default_raftnet" + i, 1);
                    assertThat(ports).as("tenant %d's interface port, once", i).containsEntry("default_raftif" + i, 1);
                }
                assertThat(switches.values()).as("no switch written twice").allMatch(n -> n == 1);
                assertThat(ports.values()).as("no port written twice").allMatch(n -> n == 1);
                System.out.printf("raft NB: leader %d killed; the %d intents told after the kill were all written and seen through leader %d"
                        + " %.1f s after it; %d switches, %d ports, none twice%n", leader, after.size(), newLeader, failover,
                        switches.size(), ports.size());
            } finally {
                kit.stop(bridge);
                client.close();
            }
        }
    }

    /** Reconciled, or for a port waiting only for the address northd would give it. */
    private static void awaitWritten(TestProbe<Observed> probe) {
        probe.fishForMessage(Duration.ofSeconds(60), o -> o.state() == Northbound.State.RECONCILED
                || (o.state() == Northbound.State.PENDING && o.message().startsWith("waiting for the address of port"))
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    }

    /** Tenant {@code i}: a VPC with one network and one interface on node raft-dpu{i}. */
    private static List<TestProbe<Observed>> tenant(ActorRef<NorthboundBridge.Message> bridge, int i) {
        String vpcName = "raftvpc" + i;
        String net = "raftnet" + i;
        String subnet = "10." + i + ".0.0/24";
        List<TopologyIntent> intents = List.of(vpc(vpcName, true, Map.of(net, subnet), "raft-dpu" + i),
                network(vpcName, net, subnet),
                port(vpcName, net, "raftif" + i, "raft-dpu" + i, String.format("0a:00:00:00:%02x:02", i)));
        List<TestProbe<Observed>> probes = new ArrayList<>();
        for (TopologyIntent intent : intents) {
            TestProbe<Observed> probe = kit.createTestProbe();
            bridge.tell(new NorthboundBridge.FromEntity(new Northbound.Publish("ovn", intent, probe.getRef())));
            probes.add(probe);
        }
        return probes;
    }

    /** Rows per name in {@code table}, read with a select of our own from the leader, not the bridge's cache. */
    private static Map<String, Integer> countByName(OvsdbRaftCluster cluster, String table) throws Exception {
        try (OvsdbClient reader = OvsdbClient.connect(OvsdbClientOptions.builder(cluster.connectionString())
                .databases(OvsdbRaftCluster.DATABASE).build()).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
            List<Map<String, Object>> rows = reader.transact(OvsdbRaftCluster.DATABASE, Operation.select(table).columns("name"))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS).get(0).rows();
            Map<String, Integer> counts = new HashMap<>();
            rows.forEach(r -> counts.merge((String) r.get("name"), 1, Integer::sum));
            return counts;
        }
    }
}
