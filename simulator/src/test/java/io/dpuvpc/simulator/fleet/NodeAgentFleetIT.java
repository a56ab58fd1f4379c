package io.dpuvpc.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.ovsdb.Row;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 3 DPUs of real node agents, each against its own emulated OVS database, driving the real
 * entities against a real OVN central: one DPUServiceInterface over every DPU makes 3
 * ServiceInterfaces, Ready only once each agent has plugged its VF with the logical port's
 * {@code iface-id} in its database, the emulated ovn-controller has claimed it from there and bound
 * it in the Southbound, northd has set it up, and the agent has seen the binding in the Southbound.
 */
@ExtendWith(OvnCentralExtension.class)
class NodeAgentFleetIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    @Test
    @Timeout(180)
    void realNodeAgentsOnEmulatedOvsReachReadyAndTheirPortsBind(OvnCentral ovn, @TempDir Path dir) throws InterruptedException {
        try (FleetScenario scenario = FleetScenario.start(ovn.sbTcpEndpoint(), dir, ConfigFactory.empty(), Clock.systemUTC(), 3,
                HEARTBEAT, TIMEOUT, FleetScenario.Agents.NODE_AGENTS_ON_EMULATED_OVS)) {
            NodeAgentFleet agents = scenario.nodeAgents();
            assertThat(agents.nodes()).containsExactly("sim-dpu-00000", "sim-dpu-00001", "sim-dpu-00002");
            for (String node : agents.nodes()) {
                eventually(node + "'s agent ready", () -> await(agents.state(node)).ready());
            }
            SimulatedOvnControllers.await(scenario.apply(ovn.nbTcpEndpoint(), 1), TIMEOUT);
            agents.refresh();
            List<String> all = scenario.serviceInterfaces();
            assertThat(all).hasSize(3);
            eventually("all 3 ServiceInterfaces Ready", () -> await(scenario.readyCount(all)) == 3);

            for (String node : agents.nodes()) {
                NodeAgent.State state = await(agents.state(node));
                assertThat(state.ready()).isTrue();
                assertThat(state.ports()).singleElement().satisfies(p -> {
                    assertThat(p.representor()).isEqualTo("pf0vf1");
                    assertThat(p.plugged()).isTrue();
                });
                // The agent's own rows in its DPU's database: the VF's interface carries the logical port.
                List<Row> interfaces = await(agents.ovs().database(node).rows("Interface"));
                Row vf = interfaces.stream().filter(i -> "pf0vf1".equals(i.getString("name"))).findFirst().orElseThrow();
                assertThat(vf.getStringMap("external_ids").get("iface-id")).isEqualTo(state.ports().get(0).logicalPort());
                // The emulated ovn-controller's mark stays beside the agent's keys: the agent leaves it alone.
                eventually(node + "'s VF marked ovn-installed", () -> "true".equals(await(agents.ovs().database(node)
                    .rows("Interface")).stream().filter(i -> "pf0vf1".equals(i.getString("name"))).findFirst().orElseThrow()
                    .getStringMap("external_ids").get(InterfaceClaims.OVN_INSTALLED)));
                long transactions = await(agents.state(node)).transactions();
                Thread.sleep(1500); // a heartbeat: the agent must not fight the mark
                assertThat(await(agents.state(node)).transactions()).isEqualTo(transactions);
                assertThat(await(agents.state(node)).conflicts()).isEmpty();
                eventually(node + " reports its port bound and up", () -> {
                    DpuNode n = await(scenario.node(node)).node();
                    return n != null && n.ready() && n.chassisRegistered() && n.ports().size() == 1
                        && n.ports().get(0).bound() && n.ports().get(0).up();
                });
                assertThat(await(scenario.node(node)).node().vtepIp()).startsWith("100.64.");
            }
            assertThat(ovn.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port").lines()
                .filter(l -> l.equals("true")).count()).isGreaterThanOrEqualTo(3);
        }
    }

    private static void eventually(String what, BooleanSupplier condition) {
        Poll.until(what, TIMEOUT, Duration.ofMillis(200), condition);
    }

    private static <T> T await(CompletionStage<T> stage) {
        return SimulatedOvnControllers.await(stage, Duration.ofSeconds(35));
    }
}
