package io.dpuvpc.app.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.app.lab.LabHost;
import io.dpuvpc.ovn.lab.DpuChassis;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A DPU's own OVS daemons restarted under a running VPC (example 1 on two lab DPUs). */
class DaemonRestartE2E {
  @RegisterExtension
  static final DatapathExtension LAB = new DatapathExtension();

  static final Duration REACH = Duration.ofSeconds(15);
  static final Duration RECOVERY = Duration.ofSeconds(60);

  private final DatapathScenario scenario = LAB.scenario();

  /**
   * The DPU's own daemons restarted under a running VPC: ovs-vswitchd (the datapath rebuilt from
   * the database) and then ovsdb-server (the agent's connection cut and re-established, the
   * agent re-asserting what it owns). Ports stay plugged, the node stays known and ready, and
   * east-west traffic comes back with no step of ours but the lab's br-phy address (on a BlueField
   * the underlay address stays on the uplink).
   */
  @Test
  void trafficComesBackAfterTheDpusVswitchdAndOvsdbServerRestart() {
    DatapathScenario.ExampleOne one = scenario.exampleOneOnTwoDpus('v', REACH);
    LabFleet fleet = one.fleet();
    LabHost onA = one.onA();
    String ipB = one.ipB();
    try {
      DpuChassis b = fleet.lab().chassis("b");

      long t0 = System.nanoTime();
      b.restartVswitchd();
      fleet.replumb("b");
      boolean back = onA.ping(ipB, RECOVERY);
      scenario.log("a -> b %s %d ms after ovs-vswitchd restarted", back ? "back" : "NOT back",
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(back).as("a -> b after the ovs-vswitchd restart").isTrue();
      assertThat(b.vsctl("list-ports", "br-int")).contains("pf0vf2");

      long t1 = System.nanoTime();
      b.restartOvsdbServer();
      boolean backAgain = onA.ping(ipB, RECOVERY);
      scenario.log("a -> b %s %d ms after ovsdb-server restarted", backAgain ? "back" : "NOT back",
          (System.nanoTime() - t1) / 1_000_000);
      assertThat(backAgain).as("a -> b after the ovsdb-server restart").isTrue();
      // The agent reconnected and still reports its node ready with the port bound here.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        var status = scenario.call("GET", "/nodes/b", null, null).json().path("status");
        assertThat(status.path("ready").asBoolean()).as(status.toString()).isTrue();
        assertThat(status.path("ports").toString()).contains("\"bound\":true", "\"up\":true");
      });
      assertThat(b.vsctl("list-ports", "br-int")).contains("pf0vf2");
    } finally {
      scenario.labDown();
    }
  }

}
