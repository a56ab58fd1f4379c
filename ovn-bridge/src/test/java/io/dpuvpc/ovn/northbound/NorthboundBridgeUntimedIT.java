package io.dpuvpc.ovn.northbound;

import static io.dpuvpc.ovn.northbound.TestIntents.awaitState;
import static io.dpuvpc.ovn.northbound.TestIntents.vpc;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.Northbound.Observed;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With its default settings the bridge writes a lone change on an idle bridge, and reports it,
 * without waiting for any timer: under {@link ManualTime} the scheduler never fires unless told,
 * so a bridge that went through its batching timer would never send. (Pekko's scheduler ticks
 * every 10 ms, so the 2 ms batching delay cost an idle change 10-20 ms twice, about half of its
 * apply-to-Ready time on a small fleet; BENCHMARKS.md.) Under load it still batches.
 */
class NorthboundBridgeUntimedIT {
    @RegisterExtension
    static final OvnCentralExtension OVN = new OvnCentralExtension();

    static final ActorTestKit kit = ActorTestKit.create(ManualTime.config());

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @Test
    void aNewOwnerAndAChangeToItAreWrittenAndReportedWithTheSchedulerStopped() {
        OVN.central().wipeNb();
        OvsdbClient client = OvsdbClient.start(OvsdbClientOptions.builder(OVN.central().nbTcpEndpoint())
                .databases("OVN_Northbound").reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build());
        ActorRef<NorthboundBridge.Message> bridge = kit.spawn(
                NorthboundBridge.create(client, NorthboundBridge.Settings.defaults(), OwnerCheck.NEVER_COLLECT));
        try {
            TopologyIntent.Vpc created = vpc("untimed", true, Map.of("untimednet", "10.7.0.0/24"), "dpu-a");
            awaitState(publish(bridge, created), Northbound.State.RECONCILED);
            assertThat(policyActions()).contains("allow").doesNotContain("drop");

            // Rows inserted, deleted and updated (an owner with an update is planned again once its
            // transaction shows, as another writer may have touched the same columns): none of
            // these passes may wait for a timer.
            for (int generation = 2; generation <= 3; generation++) {
                boolean access = generation % 2 == 1;
                TopologyIntent.Vpc changed = new TopologyIntent.Vpc(created.owner(), generation, access,
                        created.networks(), created.gateways());
                Observed reconciled = awaitState(publish(bridge, changed), Northbound.State.RECONCILED);
                assertThat(reconciled.generation()).isEqualTo(generation);
                if (access) {
                    assertThat(policyActions()).doesNotContain("drop");
                } else {
                    assertThat(policyActions()).contains("drop");
                }
            }
        } finally {
            kit.stop(bridge);
        }
    }

    private static TestProbe<Observed> publish(ActorRef<NorthboundBridge.Message> bridge, TopologyIntent intent) {
        TestProbe<Observed> probe = kit.createTestProbe();
        bridge.tell(new NorthboundBridge.FromEntity(new Northbound.Publish("ovn", intent, probe.getRef())));
        return probe;
    }

    private static String policyActions() {
        return OVN.central().nbctl("--bare", "--columns=action", "list", "Logical_Router_Policy");
    }
}
