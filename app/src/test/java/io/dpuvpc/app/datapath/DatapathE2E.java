package io.dpuvpc.app.datapath;

import static io.dpuvpc.app.cluster.AdminApiClient.SVC;
import static io.dpuvpc.app.cluster.AdminApiClient.VPC;
import static io.dpuvpc.app.cluster.AdminApiClient.condition;
import static io.dpuvpc.app.cluster.AdminApiClient.ownedRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.app.cluster.ControllerProcess;
import io.dpuvpc.app.datapath.DatapathScenario.Plugged;
import io.dpuvpc.app.lab.InProcessAgents;
import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.app.lab.LabHost;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.ovn.lab.DpuChassis;
import io.dpuvpc.ovn.lab.DpuLab;
import io.dpuvpc.ovn.lab.LabNames;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.northbound.NorthboundBridge;
import io.dpuvpc.ovn.northbound.NorthboundRouter;
import io.dpuvpc.ovn.northbound.Ownership;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6 on a real datapath: the reference's example 1 on two lab DPUs. Every part is the real
 * one: an OVN central ({@link OvnCentralExtension}, through {@link DatapathExtension}), a controller
 * process on Cassandra with its admin API ({@link ControllerProcess}), one {@link NodeAgent} per
 * DPU in the controller's actor system ({@link InProcessAgents}), and a {@link DpuLab} (through
 * {@link LabFleet}) whose chassis run ovs-vswitchd (userspace datapath) and ovn-controller in their
 * own namespaces. The test applies the example over HTTP as a user would, the agents plug each
 * ServiceInterface's representor by themselves, then it proves from the host namespaces: a DHCP
 * lease in the subnet with the first address as gateway, a ping between hosts on different DPUs
 * (geneve over the underlay), a ping to {@code ext}, and {@code ext}'s echo service seeing the
 * host's DPU's external address as the source (SNAT on the DPU's gateway router).
 *
 * <p>What is product and what is lab plumbing. Product: the agent writes the chassis keys of
 * {@code Open_vSwitch} ({@code system-id}, {@code ovn-remote}, {@code ovn-encap-type/-ip},
 * {@code ovn-bridge-mappings=external:br-ex}, the datapath type), {@code br-int}, {@code br-ex}
 * with the uplink {@code ext0}, the representor with its {@code iface-id}, and reports the node
 * (VTEP, external address and next hop) that makes the VPC's gateway routers exist; the
 * controller writes every Northbound row. Lab plumbing, done by {@link LabFleet} and
 * {@link LabHost}: {@code br-phy} holding the underlay address (the userspace datapath sends geneve
 * only through an OVS bridge that owns the tunnel's source address; on a BlueField with the kernel
 * datapath the address stays on the uplink and no such bridge is needed), the host's MAC, and
 * running dhclient in the host. Which representor carries which logical port the agents learn from
 * their DPU node entities (the ServiceInterfaces placed on a node tell it): the test tells them nothing.
 */
class DatapathE2E {
  @RegisterExtension
  static final DatapathExtension LAB = new DatapathExtension();

  static final String SUBNET_PREFIX = "192.178.";
  static final String GATEWAY = "192.178.0.1";
  static final Duration REACH = Duration.ofSeconds(15);

  private final DatapathScenario scenario = LAB.scenario();

  @Test
  void exampleOneOnTwoDpusLeasesPingsAndLeavesThroughEachDpusExternalAddress() throws Exception {
    // Example 1's DPUServiceInterface asks for pf0 vfID 2: VFs are numbered from 0, so 3 per DPU.
    LabFleet fleet = scenario.startLab(DatapathScenario.prefix('e'), List.of("a", "b"), 3, dpu -> Map.of());
    try {
      // Each agent configured its OVS: ovn-controller registered the chassis with its geneve encap,
      // and the agent reported its node, ready, with the facts the gateway routers need.
      scenario.awaitNodesReady();
      assertThat(scenario.ovn().sbctl("--bare", "--columns=ip", "list", "Encap")).contains("192.168.100.1",
          "192.168.100.2");
      for (DpuChassis dpu : fleet.lab().chassis()) {
        assertThat(dpu.vsctl("get", "Open_vSwitch", ".", "external_ids:ovn-bridge-mappings").replace("\"", "").strip())
            .isEqualTo("external:br-ex");
        assertThat(dpu.vsctl("list-ports", "br-ex").strip()).isEqualTo(LabNames.UPLINK_INTERFACE);
      }

      // ---- example 1, applied as a user applies it.
      scenario.applyIsolationClass();
      scenario.apply(DatapathScenario.example("01-single-vpc-single-network.yaml"));

      // One ServiceInterface per node, each reconciled in OVN.
      List<Plugged> interfaces = scenario.awaitInterfaces(2);
      assertThat(interfaces).extracting(Plugged::name).containsExactlyInAnyOrder("testnet1-vf2-a", "testnet1-vf2-b");
      for (Plugged si : interfaces) {
        assertThat(si.representor()).isEqualTo("pf0vf2");
        assertThat(si.mac()).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
        // The Northbound row: named as the agent will set iface-id, owned by the ServiceInterface, the SI's MAC.
        assertThat(scenario.ovn().nbctl("--bare", "--columns=external_ids", "list", "Logical_Switch_Port",
            si.logicalPort())).contains(Ownership.OWNER + "=").contains(si.name());
        assertThat(scenario.ovn().nbctl("get", "Logical_Switch_Port", si.logicalPort(), "addresses"))
            .contains(si.mac() + " dynamic");
      }
      scenario.step("example 1 reconciled in OVN");

      // The Northbound bridge must live through the ports coming up (northd writes their `up`):
      // a cache that misread that column once crashed and restarted it on every binding.
      ActorRef<NorthboundBridge.Message> bridgeBefore = bridge();

      // ---- plug: the host's VF gets the interface's MAC (port security; the host's side, not ours).
      // Each agent learns from its DPU node entity which representor carries which logical port (the
      // ServiceInterfaces placed on the node told it) and plugs it by itself: nothing is told here.
      scenario.plugAndAwaitUp(interfaces);
      long bound = System.nanoTime();
      for (Plugged si : interfaces) {
        assertThat(scenario.ovn().sbctl("--bare", "--columns=chassis", "find", "Port_Binding",
            "logical_port=" + si.logicalPort())).isNotBlank();
      }

      // ---- DHCP: a lease in the subnet, the first address as the default gateway.
      Map<String, String> leased = new LinkedHashMap<>();
      for (Plugged si : interfaces) {
        String ip = scenario.lease(si);
        assertThat(ip).startsWith(SUBNET_PREFIX);
        assertThat(si.host().cidr()).contains(ip + "/16");
        assertThat(si.host().defaultGateway()).isEqualTo(GATEWAY);
        leased.put(si.node(), ip);
      }
      assertThat(leased.get("a")).isNotEqualTo(leased.get("b"));

      // ---- east-west: the hosts are on different DPUs, so this is geneve between the chassis.
      LabHost onA = DatapathScenario.on(interfaces, "a").host();
      LabHost onB = DatapathScenario.on(interfaces, "b").host();
      assertThat(onA.ping(leased.get("b"), REACH)).as("ping a -> b").isTrue();
      scenario.log("first ping a -> b after %d ms", onA.lastPingMillis());
      assertThat(onB.ping(leased.get("a"), Duration.ofSeconds(5))).as("ping b -> a").isTrue();
      assertThat(onA.ping(GATEWAY, Duration.ofSeconds(2))).as("ping a -> its gateway").isTrue();
      assertThat(fleet.lab().chassis("a").vswitchdAppctl("dpctl/dump-flows")).contains("tnl_pop");

      // ---- north-south: ext answers, and sees each DPU's own external address (SNAT, masquerade: true).
      for (Plugged si : interfaces) {
        assertThat(si.host().ping(LabNames.EXT_GATEWAY_IP, REACH)).as(si.host() + " -> ext").isTrue();
        scenario.log("first ping %s -> ext after %d ms", si.host().namespace(), si.host().lastPingMillis());
        assertThat(si.host().echoSource(Duration.ofSeconds(5))).as("the source ext sees from " + si.host())
            .isEqualTo(fleet.externalIp(si.node()));
      }
      scenario.step("traffic proven (" + (System.nanoTime() - bound) / 1_000_000 + " ms after binding)");

      // ---- what the API says now: the address DHCP handed out, and readiness once the port is bound.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (Plugged si : interfaces) {
          JsonNode item = scenario.call("GET", SVC + "/namespaces/default/serviceinterfaces/" + si.name(), null, null)
              .json();
          assertThat(item.at("/status/portConnected").asBoolean()).as(item.toString()).isTrue();
          assertThat(item.at("/status/ipAddress").asText()).isEqualTo(leased.get(si.node()));
          assertThat(condition(item, "Ready")).as(item.toString()).isEqualTo("True");
        }
      });
      scenario.step("ServiceInterfaces Ready");
      assertThat(bridge()).as("the Northbound bridge was not restarted").isEqualTo(bridgeBefore);

      // ---- delete as a user would: networks' interfaces, the network, the VPC; OVN keeps nothing of ours.
      // The agents unplug by themselves once the deleted interfaces no longer want their ports.
      assertThat(scenario.call("DELETE", SVC + "/namespaces/default/dpuserviceinterfaces/testnet1-vf2", null, null)
          .code()).isEqualTo(200);
      assertThat(scenario.call("DELETE", VPC + "/namespaces/default/dpuvirtualnetworks/testnet1", null, null).code())
          .isEqualTo(200);
      assertThat(scenario.call("DELETE", VPC + "/namespaces/default/dpuvpcs/testvpc", null, null).code())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> ownedRows(scenario.ovn()) == 0);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        for (DpuChassis dpu : fleet.lab().chassis()) {
          assertThat(dpu.vsctl("list-ports", "br-int")).doesNotContain("pf0vf2");
        }
      });
      scenario.step("deleted, no row of ours left in OVN");
    } finally {
      // Also checks that no namespace, daemon or dhclient of the lab is left.
      scenario.labDown();
    }
  }

  /** The Northbound bridge of the examples' IsolationClass on the controller node. */
  private ActorRef<NorthboundBridge.Message> bridge() throws Exception {
    ControllerProcess process = scenario.process();
    ActorRef<NorthboundRouter.Message> router = process.node().directory().northboundRouter().orElseThrow();
    return AskPattern.<NorthboundRouter.Message, Optional<ActorRef<NorthboundBridge.Message>>>ask(router,
            r -> new NorthboundRouter.GetBridge("ovn.vpc.dpu.nvidia.com", r), Duration.ofSeconds(10),
            process.node().system().scheduler())
        .toCompletableFuture().get(15, TimeUnit.SECONDS).orElseThrow();
  }
}
