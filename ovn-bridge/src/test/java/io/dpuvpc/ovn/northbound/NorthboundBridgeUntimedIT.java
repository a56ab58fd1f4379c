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
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
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
        ActorRef<NorthboundBridge.Message> bridge = startBridge();
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

    @Test
    void anOwnerWaitingInVainIsPlannedAgainEveryThirtySeconds() {
        ActorRef<NorthboundBridge.Message> bridge = startBridge();
        try {
            // Its network's switch and its node's gateway never come: it waits, and no event wakes it.
            // (First, maybe, NorthboundUnreachable: the bridge may not be connected yet.)
            Observed waiting = publish(bridge, TestIntents.port("novpc", "nonet", "lonely", "dpu-a", "0a:00:00:00:00:01"))
                    .fishForMessage(Duration.ofSeconds(15), o -> o.reason().equals("WaitingFor")
                            ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
            assertThat(waiting.state()).isEqualTo(Northbound.State.PENDING);
            assertThat(waiting.message()).contains("waits for Logical_Switch", "the gateway of DPU node dpu-a");
            assertThat(rechecks(bridge)).isZero();
            // The recheck ticks every 5 s: planned again at every 6th tick (30 s) while it waits.
            ManualTime time = ManualTime.get(kit.system());
            StringBuilder seen = new StringBuilder();
            for (int tick = 1; tick <= 18; tick++) {
                time.timePasses(NorthboundBridge.WAITING_RECHECK);
                seen.append(rechecks(bridge)).append(tick % NorthboundBridge.WAITING_RECHECK_TICKS == 0 ? " | " : " ");
            }
            assertThat(seen.toString().trim()).isEqualTo("0 0 0 0 0 1 | 1 1 1 1 1 2 | 2 2 2 2 2 3 |");
            assertThat(stats(bridge).plannedBecause().get(PlanCause.PUBLISHED)).isEqualTo(1);
        } finally {
            kit.stop(bridge);
        }
    }

    /** A bridge with its default settings on an empty Northbound. */
    private static ActorRef<NorthboundBridge.Message> startBridge() {
        OVN.central().wipeNb();
        OvsdbClient client = OvsdbClient.start(OvsdbClientOptions.builder(OVN.central().nbTcpEndpoint())
                .databases("OVN_Northbound").reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build());
        return kit.spawn(NorthboundBridge.create(client, NorthboundBridge.Settings.defaults(), OwnerCheck.NEVER_COLLECT));
    }

    /** Asked twice: the first answer may come before the flush that the tick asked for. */
    private static long rechecks(ActorRef<NorthboundBridge.Message> bridge) {
        stats(bridge);
        return stats(bridge).plannedBecause().get(PlanCause.WAITING_RECHECK);
    }

    private static NorthboundBridge.Stats stats(ActorRef<NorthboundBridge.Message> bridge) {
        TestProbe<NorthboundBridge.Stats> probe = kit.createTestProbe();
        bridge.tell(new NorthboundBridge.GetStats(probe.getRef()));
        return probe.receiveMessage(Duration.ofSeconds(10));
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
