package io.dpuvpc.app.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.app.datapath.DatapathScenario.Plugged;
import io.dpuvpc.app.lab.LabHost;
import io.dpuvpc.ovn.lab.LabNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference's example 2 on two lab DPUs, one per network ({@code vpc.dpu.nvidia.com/network},
 * reported by the agents): a host of testnet1 pings a host of testnet2 across DPUs while the VPC
 * says {@code interNetworkAccess: true}; the VPC re-applied with {@code false} cuts that (and
 * keeps each host's own gateway and its egress), and re-applied with {@code true} restores it.
 */
class InterNetworkAccessE2E {
  @RegisterExtension
  static final DatapathExtension LAB = new DatapathExtension();

  static final String NETWORK = "vpc.dpu.nvidia.com/network";
  static final Duration REACH = Duration.ofSeconds(15);
  /** How long a cut must hold to count as cut: several pings of 1 s, none answered. */
  static final Duration HOLDS = Duration.ofSeconds(3);

  private final DatapathScenario scenario = LAB.scenario();

  @Test
  void crossNetworkPingFollowsInterNetworkAccess() {
    scenario.startLab(DatapathScenario.prefix('n'), List.of("a", "b"), 3,
        dpu -> Map.of(NETWORK, dpu.equals("a") ? "testnet1" : "testnet2"));
    try {
      scenario.awaitNodesReady();
      scenario.applyIsolationClass();
      String example2 = DatapathScenario.example("02-single-vpc-two-networks.yaml");
      scenario.apply(example2);
      List<Plugged> interfaces = scenario.awaitInterfaces(2);
      assertThat(interfaces).extracting(Plugged::name).containsExactlyInAnyOrder("testnet1-vf2-a", "testnet2-vf2-b");
      scenario.plugAndAwaitUp(interfaces);
      LabHost onA = DatapathScenario.on(interfaces, "a").host();
      LabHost onB = DatapathScenario.on(interfaces, "b").host();
      String ipA = scenario.lease(DatapathScenario.on(interfaces, "a"));
      String ipB = scenario.lease(DatapathScenario.on(interfaces, "b"));
      assertThat(ipA).startsWith("192.178.");
      assertThat(ipB).startsWith("192.188.");
      assertThat(onB.defaultGateway()).isEqualTo("192.188.0.1");

      assertThat(onA.ping(ipB, REACH)).as("testnet1 -> testnet2 with interNetworkAccess: true").isTrue();
      scenario.log("first ping testnet1 -> testnet2 after %d ms", onA.lastPingMillis());
      assertThat(onB.ping(ipA, REACH)).as("testnet2 -> testnet1").isTrue();

      // ---- false: the VPC document alone, changed, applied again.
      String vpcOnly = example2.split("(?m)^---$")[0];
      assertThat(vpcOnly).contains("kind: DPUVPC").contains("interNetworkAccess: true");
      long cut = System.nanoTime();
      scenario.apply(vpcOnly.replace("interNetworkAccess: true", "interNetworkAccess: false"));
      long cutMillis = awaitCut(onA, ipB, cut);
      scenario.log("testnet1 -> testnet2 cut %d ms after the apply", cutMillis);
      assertThat(onB.ping(ipA, HOLDS)).as("testnet2 -> testnet1 with interNetworkAccess: false").isFalse();
      // The drop spares the VPC's gateway addresses: a host still pings its own gateway and leaves.
      assertThat(onA.ping("192.178.0.1", REACH)).as("testnet1 host -> its gateway").isTrue();
      assertThat(onB.ping(LabNames.EXT_GATEWAY_IP, REACH)).as("testnet2 host -> ext").isTrue();

      // ---- true again.
      long restore = System.nanoTime();
      scenario.apply(vpcOnly);
      assertThat(onA.ping(ipB, REACH)).as("testnet1 -> testnet2 with interNetworkAccess: true again").isTrue();
      scenario.log("testnet1 -> testnet2 back %d ms after the apply", (System.nanoTime() - restore) / 1_000_000);
      assertThat(onB.ping(ipA, REACH)).as("testnet2 -> testnet1 again").isTrue();
    } finally {
      scenario.labDown();
    }
  }

  /**
   * Waits until pings from {@code host} to {@code ip} stay unanswered for {@link #HOLDS} (a reply
   * already in flight when the rule lands is not a failure); returns ms from {@code since}.
   */
  private static long awaitCut(LabHost host, String ip, long since) {
    long deadline = System.nanoTime() + REACH.toNanos();
    while (System.nanoTime() < deadline) {
      if (!host.ping(ip, Duration.ZERO)) {
        long cutAt = System.nanoTime();
        if (!host.ping(ip, HOLDS)) {
          return (cutAt - since) / 1_000_000;
        }
      }
    }
    throw new AssertionError("pings from " + host + " to " + ip + " still answered " + REACH
        + " after interNetworkAccess: false");
  }
}
