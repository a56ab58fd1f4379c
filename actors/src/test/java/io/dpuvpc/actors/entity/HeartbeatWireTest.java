package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an agent's heartbeat puts on the wire between its DPU and the controllers, through the
 * serializer they use (Jackson CBOR): a {@link DpuNodeEntity.Heartbeat} naming the accepted report
 * against the whole {@link DpuNodeEntity.Report} it replaces, and a renewed port watch that needs no
 * answer against the {@link DpuNodeEntity.Ports} that came back each time. For a DPU with ten
 * ports, as in the fleet runs of docs/BENCHMARKS.md.
 */
class HeartbeatWireTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(ConfigFactory.parseString(
        "pekko.actor.serialization-bindings { \"io.dpuvpc.actors.CborSerializable\" = jackson-cbor }"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static int bytes(Object message) {
    return SerializationExtension.get(testKit.system()).serialize(message).get().length;
  }

  @Test
  void aHeartbeatIsATinyFractionOfTheReportAndTheWatchItRenewsNeedsNoAnswer() {
    List<NodePortStatus> statuses = new ArrayList<>();
    List<WantedPort> wanted = new ArrayList<>();
    for (int vf = 0; vf < 10; vf++) {
      String lp = "sim_sim-vpc-7-net-" + vf + "-si-" + (700 + vf);
      statuses.add(new NodePortStatus(lp, "pf0vf" + vf, "02:4f:9a:10:22:" + (10 + vf), true, true));
      wanted.add(new WantedPort(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "sim", "sim-vpc-7-net-" + vf + "-si-"
          + (700 + vf)), "pf0vf" + vf, lp, "02:4f:9a:10:22:" + (10 + vf)));
    }
    DpuNode facts = new DpuNode("sim-dpu-00007", Map.of("sim.dpuvpc.io/vpc", "sim-vpc-7", "kubernetes.io/hostname",
        "sim-dpu-00007"), "sim-dpu-00007", "100.64.0.8", "172.16.0.8/16", "172.16.0.1", true,
        Instant.parse("2026-11-28T05:00:00Z"), true, false, statuses);
    var replies = testKit.<ApplyReply>createTestProbe().getRef();
    var answers = testKit.<DpuNodeEntity.HeartbeatAnswer>createTestProbe().getRef();
    var watcher = testKit.<DpuNodeEntity.Ports>createTestProbe().getRef();

    int report = bytes(new DpuNodeEntity.Report(facts, replies, 7_340_001));
    int heartbeat = bytes(new DpuNodeEntity.Heartbeat(7_340_001, Instant.parse("2026-11-28T05:00:10Z"), answers));
    int answer = bytes(new DpuNodeEntity.HeartbeatAnswer("sim-dpu-00007", true));
    int accepted = bytes(new ApplyReply.Accepted(ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "sim-dpu-00007"), 1, false));
    DpuNodeEntity.Ports ports = new DpuNodeEntity.Ports("sim-dpu-00007", wanted);
    int watch = bytes(new DpuNodeEntity.WatchPorts(watcher, ports.digest()));
    int portsBytes = bytes(ports);
    System.out.printf("per heartbeat of a DPU with 10 ports (Jackson CBOR, bytes): report %d + reply %d -> heartbeat %d"
        + " + answer %d; watch %d + ports %d -> watch %d%n", report, accepted, heartbeat, answer, watch, portsBytes, watch);

    assertThat(heartbeat).isLessThan(report / 10);
    assertThat(heartbeat + answer + watch).isLessThan((report + accepted + watch + portsBytes) / 5);
  }
}
