package io.dpuvpc.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20 simulated DPUs driving the real entities (a {@link io.dpuvpc.simulator.local.LocalDirectory}
 * with the real Northbound bridge) against a real OVN central: two DPUServiceInterfaces over every
 * DPU make 40 ServiceInterfaces, which become Ready only through the real path (the agents learn
 * their ports from their node entities, the simulated ovn-controllers bind them, ovn-northd sets
 * them up, the bridge observes it). Then one DPU stops, one reboots.
 */
@ExtendWith(OvnCentralExtension.class)
class SimulatedFleetIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    /** The entities' clock: the system's, moved forward on demand (a node's readiness counts 30 s on it). */
    private static final class ShiftedClock extends Clock {
        final AtomicReference<Duration> shift = new AtomicReference<>(Duration.ZERO);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift.get());
        }
    }

    @Test
    @Timeout(240)
    void serviceInterfacesBecomeReadyThroughTheRealPathsAndFollowTheirDpus(OvnCentral ovn, @TempDir Path snapshots) {
        ShiftedClock clock = new ShiftedClock();
        // Short silence grace, so that the fleet entity lists a stopped node within the test.
        var config = ConfigFactory.parseString("dpuvpc.node.silence-grace = 3s");
        try (FleetScenario scenario = FleetScenario.start(ovn.sbTcpEndpoint(), snapshots, config, clock, 20, HEARTBEAT,
                TIMEOUT)) {
            SimulatedOvnControllers.await(scenario.apply(ovn.nbTcpEndpoint(), 2), TIMEOUT);
            List<String> all = scenario.serviceInterfaces();
            assertThat(all).hasSize(40);

            eventually("all 40 ServiceInterfaces Ready", () -> await(scenario.readyCount(all)) == 40);
            for (String node : scenario.fleet().nodes()) {
                eventually(node + " reports both ports bound and up", () -> {
                    DpuNode n = await(scenario.node(node)).node();
                    return n != null && n.ready() && n.ports().size() == 2
                        && n.ports().stream().allMatch(p -> p.bound() && p.up());
                });
                DpuNode n = await(scenario.node(node)).node();
                assertThat(n.chassisId()).isEqualTo(node);
                assertThat(n.chassisRegistered()).isTrue();
                assertThat(n.vtepIp()).startsWith("100.64.");
                assertThat(n.ports()).extracting(NodePortStatus::representor).containsExactlyInAnyOrder("pf0vf1", "pf0vf2");
            }
            // In OVN itself, every port northd made for them is up.
            String ups = ovn.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port");
            assertThat(ups.lines().filter(l -> l.equals("true")).count()).isGreaterThanOrEqualTo(40);
            SimulatedAgent.Counters counters = scenario.fleet().counters();
            assertThat(counters.claims()).isEqualTo(40);
            assertThat(counters.rejected()).isZero();
            assertThat(counters.reports()).isGreaterThanOrEqualTo(20);

            // A DPU shuts down in order: its ports are released, northd sets them down, the
            // bridge sees it, and its ServiceInterfaces are no longer Ready (AwaitingPort).
            String stopped = "sim-dpu-00003";
            scenario.fleet().stop(stopped, true);
            List<String> gone = scenario.serviceInterfacesOn(stopped);
            eventually("the stopped DPU's ServiceInterfaces not Ready", () -> await(scenario.readyCount(gone)) == 0);
            for (String si : gone) {
                ServiceInterfaceEntity.Status status = await(scenario.serviceInterface(si));
                assertThat(status.portConnected()).isFalse();
                assertThat(status.conditions().get(ConditionTypes.READY)).get()
                    .satisfies(c -> assertThat(c.reason()).isEqualTo(ServiceInterfaceEntity.AWAITING_PORT));
            }
            assertThat(await(scenario.readyCount(all))).isEqualTo(38);

            // Unheard: the fleet entity lists it silent after the grace (3 s here), which every
            // live agent learns at its heartbeat ...
            eventually("the fleet lists the stopped DPU silent", () -> counters.silentNodes().contains(stopped));
            // ... and once 30 s have passed on the entities' clock it reads not ready, the others ready.
            clock.shift.set(DpuNodeEntity.HEARTBEAT_GRACE.plusSeconds(1));
            eventually("the stopped DPU not ready, the live ones ready", () -> {
                List<String> live = scenario.fleet().nodes();
                return !await(scenario.node(stopped)).node().ready()
                    && live.stream().allMatch(n -> await(scenario.node(n)).node().ready());
            });

            // A DPU reboots: its chassis goes and comes back as a new row, its ports are bound
            // again, and its ServiceInterfaces are Ready again.
            String rebooted = "sim-dpu-00005";
            UUID before = await(scenario.controllers().chassisUuid(rebooted)).orElseThrow();
            SimulatedOvnControllers.await(scenario.fleet().reboot(rebooted), TIMEOUT);
            Optional<UUID> after = await(scenario.controllers().chassisUuid(rebooted));
            assertThat(after).isPresent().isNotEqualTo(Optional.of(before));
            eventually("38 ServiceInterfaces Ready after the reboot", () -> await(scenario.readyCount(all)) == 38);
            eventually(rebooted + " reports its ports bound again", () -> await(scenario.node(rebooted)).node().ports().stream()
                .allMatch(p -> p.bound() && p.up()));
            assertThat(counters.claims()).as("a reboot claims nothing anew").isEqualTo(40);
        }
    }

    private static void eventually(String what, BooleanSupplier condition) {
        Poll.until(what, TIMEOUT, Duration.ofMillis(200), condition);
    }

    private static <T> T await(CompletionStage<T> stage) {
        return SimulatedOvnControllers.await(stage, Duration.ofSeconds(35));
    }
}
