package io.dpuvpc.app.cluster;

import static io.dpuvpc.app.cluster.AdminApiClient.VPC;
import static io.dpuvpc.app.cluster.AdminApiClient.examples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.node.NodeAgentSettings;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node agent cut off past its heartbeat grace, with a real controller (Cassandra, admin API, its
 * Northbound bridge on a real OVN central) and the agent in a cluster member of its own on a real
 * ovsdb-server (as {@link NodeProcessIT}): example 1 gives the agent a port to plug; the member is
 * then stopped abruptly, as a crash or a cut cable would stop it (no leave, the cluster downs it).
 * The admin API reads the node not ready, saying why, once the grace has passed; the DPU loses its
 * port while the agent is away (as an OVS database wiped by a reboot would); a new agent reports,
 * the node reads ready again and the port is plugged again.
 *
 * <p>Ready again takes about 10 s here, not one heartbeat: the new member's messages to the
 * node's entity wait until the cluster takes it in (WeaklyUp after 7 s, or Up once the split
 * brain resolver has downed its crashed former self, 7 s after that one was found unreachable).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SilentAgentIT {
  @RegisterExtension
  static final OvnCentralExtension OVN = new OvnCentralExtension();

  static final String RW = "rw-token-0123456789abcdef";
  static final String NODE = "dpu-s";
  static final String REPRESENTOR = "pf0vf2"; // example 1's VF: pfID 0, vfID 2
  static final Duration GRACE = Duration.ofSeconds(3);
  static final Duration HEARTBEAT = Duration.ofSeconds(1);

  @TempDir
  static Path dir;

  private ControllerProcess controller;
  private AdminApiClient api;
  private DpuOvsdb ovs;

  @BeforeAll
  void start() throws Exception {
    controller = AdminApiClient.startController(dir, "silent", RW + "\n", "",
        DpuNodeEntity.HEARTBEAT_GRACE_SETTING + " = " + GRACE.toSeconds() + "s");
    api = new AdminApiClient("http://127.0.0.1:" + controller.apiPort());
    ovs = DpuOvsdb.start(dir.resolve(NODE));
  }

  @AfterAll
  void stop() {
    if (controller != null) {
      controller.close();
    }
    if (ovs != null) {
      ovs.close();
    }
  }

  @Test
  void anAgentCutOffPastItsGraceIsNotReadyWithItsReasonThenReadyAgainWithItsPortPluggedAgain() throws Exception {
    String isolationClass = Files.readString(examples().resolve("00-isolationclass.yaml"))
        .replace("tcp:10.1.1.100:30641", OVN.central().nbTcpEndpoint());
    assertThat(api.call("POST", VPC + "/isolationclasses", isolationClass, "application/yaml", RW).code())
        .isEqualTo(201);
    NodeProcess agent = startAgent();
    try {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status().path("ready").asBoolean()).isTrue());
      JsonNode example1 = api.call("POST", VPC + "/namespaces/default/dpuvpcs",
          Files.readString(examples().resolve("01-single-vpc-single-network.yaml")), "application/yaml", RW).json();
      assertThat(example1.get("items")).as(example1.toString()).hasSize(3);
      // The DPUServiceInterface's ServiceInterface on this node wants a port: the agent plugs it.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pluggedPort()).isNotEmpty());
      String logicalPort = pluggedPort();

      // The cut: no leave, no last report.
      long cut = System.nanoTime();
      agent.system().terminate();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> !status().path("ready").asBoolean());
      long notReadyMs = (System.nanoTime() - cut) / 1_000_000;
      JsonNode silent = status();
      assertThat(silent.path("reason").asText()).as(silent.toString()).isEqualTo(DpuNodeEntity.AGENT_SILENT);
      assertThat(silent.path("message").asText()).contains("(grace 3 s)", "down or cut off");
      // Not before the grace: the last report came at most one heartbeat before the cut.
      assertThat(notReadyMs).isGreaterThanOrEqualTo(GRACE.minus(HEARTBEAT).toMillis());
      assertThat(pluggedPort()).as("the cut leaves the datapath as it was").isEqualTo(logicalPort);

      ovs.vsctl("del-port", "br-int", REPRESENTOR);
      assertThat(pluggedPort()).isEmpty();
      long restart = System.nanoTime();
      agent = startAgent();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        JsonNode back = status();
        assertThat(back.path("ready").asBoolean()).as(back.toString()).isTrue();
        assertThat(back.path("reason").isNull()).isTrue();
      });
      long readyMs = (System.nanoTime() - restart) / 1_000_000;
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(pluggedPort()).isEqualTo(logicalPort));
      long pluggedMs = (System.nanoTime() - restart) / 1_000_000;

      System.out.printf("SilentAgentIT: node NotReady (%s: %s) %d ms after the cut (grace %d s, heartbeat %d s)%n",
          silent.path("reason").asText(), silent.path("message").asText(), notReadyMs, GRACE.toSeconds(),
          HEARTBEAT.toSeconds());
      System.out.printf("SilentAgentIT: node Ready again %d ms after the agent started again%n", readyMs);
      System.out.printf("SilentAgentIT: port %s (%s) plugged again %d ms after the agent started again%n",
          REPRESENTOR, logicalPort, pluggedMs);
    } finally {
      agent.close();
    }
  }

  /** A new member and agent for the node; terminating its actor system is a crash (no leave). */
  private NodeProcess startAgent() {
    NodeAgentSettings agent = NodeAgentSettings.builder(NODE, "192.168.100.8", OVN.central().sbTcpEndpoint())
        .externalGateway("172.16.1.8/16", "172.16.0.1")
        .datapath(NodeAgentSettings.Datapath.NETDEV)
        .externalBridge("br-ex", null)
        .heartbeat(HEARTBEAT)
        .ovsdbRemote(ovs.remote())
        .build();
    return NodeProcess.start(new NodeProcess.Settings("silent", "127.0.0.1", 0,
            List.of(controller.node().address().toString()), agent),
        ConfigFactory.parseString("pekko.coordinated-shutdown.run-by-actor-system-terminate = off"));
  }

  private JsonNode status() {
    return api.call("GET", "/nodes/" + NODE, null, null, null).json().path("status");
  }

  /** The iface-id of the representor's interface on br-int, "" when it is not plugged. */
  private String pluggedPort() {
    if (!ovs.vsctl("list-ports", "br-int").lines().toList().contains(REPRESENTOR)) {
      return "";
    }
    return ovs.vsctl("get", "Interface", REPRESENTOR, "external_ids:iface-id").replace("\"", "").strip();
  }
}
