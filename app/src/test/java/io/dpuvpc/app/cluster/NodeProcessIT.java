package io.dpuvpc.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.node.NodeAgentSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vpc node} as a cluster member of its own: a real controller process (Cassandra, admin
 * API) and a {@link NodeProcess} in another actor system joining it with role {@code dpu}, its agent
 * on a real ovsdb-server (vswitch schema, no vswitchd: configuration rows need none). The agent's
 * report crosses the cluster to its DPU node entity on the controller, the API shows it, and the
 * member hosts no shard of any type; a graceful close leaves the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeProcessIT {
  @TempDir
  static Path dir;

  private ControllerProcess controller;
  private AdminApiClient api;
  private final List<DpuOvsdb> ovsdbs = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    controller = AdminApiClient.startController(dir, "nodes", "rw-token-0123456789abcdef\n", "");
    api = new AdminApiClient("http://127.0.0.1:" + controller.apiPort());
  }

  @AfterAll
  void stop() throws Exception {
    if (controller != null) {
      controller.close();
    }
    ovsdbs.forEach(DpuOvsdb::close);
  }

  @Test
  void anAgentInItsOwnMemberReportsToItsNodeEntityOnTheControllerAndHostsNoShard() throws Exception {
    DpuOvsdb ovs = DpuOvsdb.start(dir.resolve("dpu-x"));
    ovsdbs.add(ovs);
    NodeAgentSettings agent = NodeAgentSettings.builder("dpu-x", "192.168.100.7", "tcp:127.0.0.1:6642")
        .labels(Map.of("vpc.dpu.nvidia.com/tenant", "red"))
        .externalGateway("172.16.1.7/16", "172.16.0.1")
        .datapath(NodeAgentSettings.Datapath.NETDEV)
        .externalBridge("br-ex", null)
        .heartbeat(Duration.ofSeconds(1))
        .ovsdbRemote(ovs.remote())
        .build();
    NodeProcess node = NodeProcess.start(new NodeProcess.Settings("nodes", "127.0.0.1", 0,
        List.of(controller.node().address().toString()), agent));
    String member = node.address().toString();
    try {
      // The report crossed the cluster: the entity on the controller holds the agent's facts.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode status = api.call("GET", "/nodes/dpu-x", null, null, null).json().path("status");
        assertThat(status.path("ready").asBoolean()).as(status.toString()).isTrue();
        assertThat(status.path("vtepIP").asText()).isEqualTo("192.168.100.7");
        assertThat(status.path("externalIP").asText()).isEqualTo("172.16.1.7/16");
      });
      assertThat(api.call("GET", "/nodes/dpu-x", null, null, null).json().at("/metadata/labels")
          .path("vpc.dpu.nvidia.com/tenant").asText()).isEqualTo("red");
      // The agent configured its OVS as the chassis' system-id.
      assertThat(ovs.vsctl("get", "Open_vSwitch", ".", "external_ids:system-id").replace("\"", "").strip()).isEqualTo("dpu-x");

      JsonNode cluster = api.call("GET", "/cluster", null, null, null).json();
      JsonNode self = null;
      for (JsonNode m : cluster.get("members")) {
        if (m.get("address").asText().equals(member)) {
          self = m;
        }
      }
      assertThat(self).as(cluster.toString()).isNotNull();
      assertThat(self.get("roles").toString()).contains("\"dpu\"").doesNotContain("controller");
      assertThat(self.get("status").asText()).isEqualTo("Up");
      // Every type's regions: the controller hosts the shards (the node entity at least), the DPU none.
      JsonNode nodes = cluster.at("/sharding/DPUNode");
      assertThat(nodes.path(controller.node().address().toString()).path("entities").asLong()).isPositive();
      cluster.get("sharding").fields().forEachRemaining(type ->
          assertThat(type.getValue().path(member).path("shards").asInt(0)).as(type.getKey()).isZero());
    } finally {
      node.close();
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(api.call("GET", "/cluster", null, null, null).body()).doesNotContain(member));
  }

  /**
   * Why the split brain resolver counts controllers only: three DPU members crash at once (no
   * graceful leave), which leaves the one controller a minority of the members. Counting every
   * member, keep-majority would down the controller and with it every entity; counting
   * controllers, the controller downs the three and goes on serving.
   */
  @Test
  void crashedDpuMembersDoNotOutvoteTheController() throws Exception {
    Config crash = ConfigFactory.parseString("pekko.coordinated-shutdown.run-by-actor-system-terminate = off");
    List<NodeProcess> dpus = new ArrayList<>();
    for (String name : List.of("dpu-p", "dpu-q", "dpu-r")) {
      NodeAgentSettings agent = NodeAgentSettings.builder(name, "192.168.100.9", "tcp:127.0.0.1:6642")
          .datapath(NodeAgentSettings.Datapath.NETDEV).externalBridge("br-ex", null)
          .ovsdbRemote("unix:" + dir.resolve(name + "-no-such.sock")).build();
      dpus.add(NodeProcess.start(new NodeProcess.Settings("nodes", "127.0.0.1", 0,
          List.of(controller.node().address().toString()), agent), crash));
    }
    Cluster cluster = controller.node().cluster();
    await().atMost(Duration.ofSeconds(30)).until(() -> ClusterFixture.upMembers(controller.node()) == 4);
    long t0 = System.nanoTime();
    dpus.forEach(d -> d.system().terminate());
    await().atMost(Duration.ofSeconds(60)).until(() -> ClusterFixture.members(controller.node()) == 1);
    System.out.printf("NodeProcessIT: 3 crashed DPU members downed and removed after %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
    assertThat(controller.node().system().getWhenTerminated().toCompletableFuture().isDone()).isFalse();
    assertThat(api.call("GET", "/readyz", null, null, null).code()).isEqualTo(200);
    assertThat(api.call("POST", AdminApiClient.VPC + "/isolationclasses", """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: IsolationClass
        metadata: {name: after-the-crash}
        spec: {provisioner: ovn.vpc.dpu.nvidia.com, parameters: {ovn-nb-endpoint: "tcp:127.0.0.1:6641"}}
        """, "application/yaml", "rw-token-0123456789abcdef").code()).isEqualTo(201);
  }
}
