package io.dpuvpc.app.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.app.lab.LabHost;
import io.dpuvpc.ovn.lab.DpuChassis;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DPU reprovisioned under a running VPC: example 1 on two lab DPUs pinging across them, then
 * {@link DpuChassis#reprovision()} on one (its daemons stopped, its OVS database wiped, the
 * daemons started on an empty one; same system-id, same underlay address). The node agent, still
 * running, sees the empty database and puts back the chassis keys, its bridges and the plug; the
 * lab puts back {@code br-phy} (lab plumbing). East-west traffic must come back with no other
 * step; the time it takes is printed. Then once more into a new underlay address, the agent
 * restarted with it as its VTEP (as a DPU's agent gets a new configuration): the same Chassis row
 * with its Encap moved, the node reporting the new VTEP, traffic back with no other step.
 */
class ReprovisionE2E {
  @RegisterExtension
  static final DatapathExtension LAB = new DatapathExtension();

  static final Duration REACH = Duration.ofSeconds(15);
  static final Duration RECOVERY = Duration.ofSeconds(60);
  static final String NEW_VTEP = "192.168.100.102";

  private final DatapathScenario scenario = LAB.scenario();

  @Test
  void eastWestTrafficComesBackAfterADpuIsReprovisioned() {
    DatapathScenario.ExampleOne one = scenario.exampleOneOnTwoDpus('r', REACH);
    LabFleet fleet = one.fleet();
    LabHost onA = one.onA();
    LabHost onB = one.onB();
    String ipA = one.ipA();
    String ipB = one.ipB();
    try {
      assertThat(onB.ping(ipA, REACH)).as("b -> a before").isTrue();
      String chassisBefore = chassisUuid("b");

      DpuChassis b = fleet.lab().chassis("b");
      String databaseBefore = b.vsctl("get", "Open_vSwitch", ".", "_uuid").strip();
      long t0 = System.nanoTime();
      b.reprovision();
      fleet.replumb("b");
      scenario.step("b reprovisioned (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
      assertThat(b.vsctl("get", "Open_vSwitch", ".", "_uuid").strip()).as("a new database").isNotEqualTo(databaseBefore);

      boolean back = onA.ping(ipB, RECOVERY);
      long recovered = (System.nanoTime() - t0) / 1_000_000;
      scenario.log("a -> b %s %d ms after the reprovision began", back ? "back" : "NOT back", recovered);
      assertThat(back).as("a -> b within " + RECOVERY + " of the reprovision").isTrue();
      assertThat(onB.ping(ipA, REACH)).as("b -> a after").isTrue();
      scenario.log("b -> a after %d ms more", onB.lastPingMillis());
      // The same system-id: ovn-controller took back its Chassis row rather than registering another.
      assertThat(chassisUuid("b")).isEqualTo(chassisBefore);
      assertThat(b.vsctl("list-ports", "br-int")).contains("pf0vf2");

      // ---- again, into a new underlay address: the agent is restarted with its new VTEP.
      long t1 = System.nanoTime();
      b.reprovision();
      fleet.replumb("b", NEW_VTEP);
      scenario.agents().restart(fleet.agentSettings("b", Map.of(), DatapathScenario.HEARTBEAT));
      scenario.step("b reprovisioned into " + NEW_VTEP + " (" + (System.nanoTime() - t1) / 1_000_000 + " ms)");
      boolean backAgain = onA.ping(ipB, RECOVERY);
      scenario.log("a -> b %s %d ms after the reprovision into %s began", backAgain ? "back" : "NOT back",
          (System.nanoTime() - t1) / 1_000_000, NEW_VTEP);
      assertThat(backAgain).as("a -> b within " + RECOVERY + " of the reprovision into " + NEW_VTEP).isTrue();
      assertThat(onB.ping(ipA, REACH)).as("b -> a after the new address").isTrue();
      assertThat(scenario.ovn().sbctl("--bare", "--columns=ip", "list", "Encap").lines().filter(l -> !l.isBlank())
          .toList()).as("the Encap rows").containsExactlyInAnyOrder(NEW_VTEP, "192.168.100.1");
      assertThat(chassisUuid("b")).isEqualTo(chassisBefore);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          scenario.call("GET", "/nodes/b", null, null).json().at("/status/vtepIP").asText()).isEqualTo(NEW_VTEP));
    } finally {
      scenario.labDown();
    }
  }

  private String chassisUuid(String name) {
    return scenario.ovn().sbctl("--bare", "--columns=_uuid", "find", "Chassis", "name=" + name).strip();
  }
}
