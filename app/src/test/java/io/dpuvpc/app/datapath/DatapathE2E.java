package io.dpuvpc.app.datapath;

import static io.dpuvpc.app.cluster.AdminApiClient.SVC;
import static io.dpuvpc.app.cluster.AdminApiClient.VPC;
import static io.dpuvpc.app.cluster.AdminApiClient.condition;
import static io.dpuvpc.app.cluster.AdminApiClient.examples;
import static io.dpuvpc.app.cluster.AdminApiClient.ownedRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.app.cluster.AdminApiClient;
import io.dpuvpc.app.cluster.AdminApiClient.Answer;
import io.dpuvpc.app.cluster.ControllerProcess;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.node.NodeAgentSettings;
import io.dpuvpc.ovn.lab.DpuChassis;
import io.dpuvpc.ovn.lab.DpuLab;
import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.LabNames;
import io.dpuvpc.ovn.lab.LabNetwork;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.northbound.Ownership;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.dpuvpc.ovn.northbound.NorthboundBridge;
import io.dpuvpc.ovn.northbound.NorthboundRouter;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 on a real datapath: the reference's example 1 on two lab DPUs. Every part is the real
 * one: an OVN central ({@link OvnCentralExtension}), a controller process on Cassandra with its
 * admin API ({@link ControllerProcess}), one {@link NodeAgent} per DPU in the controller's actor
 * system, and a {@link DpuLab} whose chassis run ovs-vswitchd (userspace datapath) and
 * ovn-controller in their own namespaces. The test applies the example over HTTP as a user would,
 * plugs each ServiceInterface's representor through its node's agent, then proves from the host
 * namespaces: a DHCP lease in the subnet with the first address as gateway, a ping between hosts on
 * different DPUs (geneve over the underlay), a ping to {@code ext}, and {@code ext}'s echo service
 * seeing the host's DPU's external address as the source (SNAT on the DPU's gateway router).
 *
 * <p>What is product and what is lab plumbing. Product: the agent writes the chassis keys of
 * {@code Open_vSwitch} ({@code system-id}, {@code ovn-remote}, {@code ovn-encap-type/-ip},
 * {@code ovn-bridge-mappings=external:br-ex}, the datapath type), {@code br-int}, {@code br-ex}
 * with the uplink {@code ext0}, the representor with its {@code iface-id}, and reports the node
 * (VTEP, external address and next hop) that makes the VPC's gateway routers exist; the
 * controller writes every Northbound row. Lab plumbing, done here with {@code ovs-vsctl} and
 * {@code ip}: {@code br-phy} holding the underlay address (the userspace datapath sends geneve
 * only through an OVS bridge that owns the tunnel's source address; on a BlueField with the kernel
 * datapath the address stays on the uplink and no such bridge is needed), the host's MAC, and
 * running dhclient in the host. Which representor carries which logical port the agents learn from
 * their DPU node entities (the ServiceInterfaces placed on a node tell it): the test tells them nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatapathE2E {
  @RegisterExtension
  static final OvnCentralExtension OVN = new OvnCentralExtension();

  static final String RW = "rw-token-0123456789abcdef";
  static final Path EXAMPLES = examples();
  static final Duration CMD = Duration.ofSeconds(20);
  static final String SUBNET_PREFIX = "192.178.";
  static final String GATEWAY = "192.178.0.1";

  @TempDir
  static Path dir;

  private ControllerProcess process;
  private AdminApiClient api;
  private final long started = System.nanoTime();

  /** A ServiceInterface as the API shows it, and where it lives in the lab. */
  record Plugged(String name, String node, String representor, String logicalPort, String mac, String host) {}

  /** Stops an agent's parent, and with it the agent. */
  enum Stop { STOP }

  @BeforeAll
  void start() throws Exception {
    process = AdminApiClient.startController(dir, "datapath", "# admin API tokens\n" + RW + "\n", "");
    api = new AdminApiClient("http://127.0.0.1:" + process.apiPort());
    await().atMost(Duration.ofSeconds(30)).until(() -> call("GET", "/readyz", null, null, null).code() == 200);
    step("controller up");
  }

  @AfterAll
  void stop() {
    if (process != null) {
      process.close();
    }
  }

  @Test
  void exampleOneOnTwoDpusLeasesPingsAndLeavesThroughEachDpusExternalAddress() throws Exception {
    String prefix = "e" + ProcessHandle.current().pid() % 1000;
    Path labDir = dir.resolve("lab");
    // Example 1's DPUServiceInterface asks for pf0 vfID 2: VFs are numbered from 0, so 3 per DPU.
    DpuLab lab = DpuLab.builder(labDir).prefix(prefix).dpus("a", "b").vfsPerDpu(3).stopOnJvmExit(true).start();
    step("lab up");
    List<ActorRef<Stop>> agentParents = new ArrayList<>();
    Map<String, ActorRef<NodeAgent.Command>> agents = new LinkedHashMap<>();
    List<Path> dhclientPidfiles = new ArrayList<>();
    try {
      // ---- the DPUs: lab plumbing first, then the product's agent.
      for (DpuChassis dpu : lab.chassis()) {
        underlayOnBrPhy(dpu);
      }
      for (DpuChassis dpu : lab.chassis()) {
        CompletableFuture<ActorRef<NodeAgent.Command>> agent = new CompletableFuture<>();
        agentParents.add(process.node().system().systemActorOf(agentParent(settings(dpu), process.node().directory(),
            agent), "node-agent-" + dpu.name(), Props.empty()));
        agents.put(dpu.name(), agent.get(10, TimeUnit.SECONDS));
      }
      // Each agent configured its OVS: ovn-controller registered the chassis with its geneve encap.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
          OVN.central().sbctl("--bare", "--columns=name", "list", "Chassis").lines().filter(l -> !l.isBlank()).sorted()
              .toList()).containsExactly("a", "b"));
      assertThat(OVN.central().sbctl("--bare", "--columns=ip", "list", "Encap")).contains("192.168.100.1",
          "192.168.100.2");
      for (DpuChassis dpu : lab.chassis()) {
        assertThat(dpu.vsctl("get", "Open_vSwitch", ".", "external_ids:ovn-bridge-mappings").replace("\"", "").strip())
            .isEqualTo("external:br-ex");
        assertThat(dpu.vsctl("list-ports", "br-ex").strip()).isEqualTo(LabNames.UPLINK_INTERFACE);
      }
      // ... and reported its node, ready, with the facts the gateway routers need.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (DpuChassis dpu : lab.chassis()) {
          JsonNode node = call("GET", "/nodes/" + dpu.name(), null, null, null).json();
          assertThat(node.at("/status/ready").asBoolean()).as(node.toString()).isTrue();
          assertThat(node.at("/status/externalIP").asText()).isEqualTo(externalCidr(dpu));
        }
      });
      step("agents ready, chassis registered");

      // ---- example 1, applied as a user applies it.
      String isolationClass = Files.readString(EXAMPLES.resolve("00-isolationclass.yaml"))
          .replace("tcp:10.1.1.100:30641", OVN.central().nbTcpEndpoint());
      assertThat(call("POST", VPC + "/isolationclasses", isolationClass, "application/yaml", RW).code()).isEqualTo(201);
      Answer example1 = call("POST", VPC + "/namespaces/default/dpuvpcs",
          Files.readString(EXAMPLES.resolve("01-single-vpc-single-network.yaml")), "application/yaml", RW);
      assertThat(example1.code()).as(example1.body()).isEqualTo(200);

      // One ServiceInterface per node, each reconciled in OVN.
      List<Plugged> interfaces = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode items = call("GET", SVC + "/namespaces/default/serviceinterfaces", null, null, null).json().get("items");
        assertThat(items).hasSize(2);
        for (JsonNode item : items) {
          assertThat(condition(item, "ServiceInterfaceReconciled")).as(item.toString()).isEqualTo("True");
        }
        interfaces.clear();
        for (JsonNode item : items) {
          String name = item.at("/metadata/name").asText();
          String node = item.at("/spec/node").asText();
          String representor = "pf" + item.at("/spec/vf/pfID").asInt() + "vf" + item.at("/spec/vf/vfID").asInt();
          // TopologyIntent.Interface.portName(): <namespace>_<name>, also the iface-id.
          interfaces.add(new Plugged(name, node, representor, "default_" + name, item.at("/status/macAddress").asText(),
              lab.chassis(node).hostNamespaces().get(item.at("/spec/vf/vfID").asInt())));
        }
      });
      assertThat(interfaces).extracting(Plugged::name).containsExactlyInAnyOrder("testnet1-vf2-a", "testnet1-vf2-b");
      for (Plugged si : interfaces) {
        assertThat(si.representor()).isEqualTo("pf0vf2");
        assertThat(si.mac()).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
        // The Northbound row: named as the agent will set iface-id, owned by the ServiceInterface, the SI's MAC.
        assertThat(OVN.central().nbctl("--bare", "--columns=external_ids", "list", "Logical_Switch_Port",
            si.logicalPort())).contains(Ownership.OWNER + "=").contains(si.name());
        assertThat(OVN.central().nbctl("get", "Logical_Switch_Port", si.logicalPort(), "addresses"))
            .contains(si.mac() + " dynamic");
      }
      step("example 1 reconciled in OVN");

      // The Northbound bridge must live through the ports coming up (northd writes their `up`):
      // a cache that misread that column once crashed and restarted it on every binding.
      ActorRef<NorthboundBridge.Message> bridgeBefore = bridge();

      // ---- plug: the host's VF gets the interface's MAC (port security; the host's side, not ours).
      // Each agent learns from its DPU node entity which representor carries which logical port (the
      // ServiceInterfaces placed on the node told it) and plugs it by itself: nothing is told here.
      for (Plugged si : interfaces) {
        LabNetwork.runIn(si.host(), CMD, "ip", "link", "set", LabNames.HOST_INTERFACE, "address", si.mac()).orThrow();
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (Plugged si : interfaces) {
          assertThat(OVN.central().nbctl("get", "Logical_Switch_Port", si.logicalPort(), "up").strip()).as(si.name())
              .isEqualTo("true");
        }
      });
      long bound = System.nanoTime();
      step("ports bound (Logical_Switch_Port up)");
      for (Plugged si : interfaces) {
        assertThat(OVN.central().sbctl("--bare", "--columns=chassis", "find", "Port_Binding",
            "logical_port=" + si.logicalPort())).isNotBlank();
      }

      // ---- DHCP: a lease in the subnet, the first address as the default gateway.
      Map<String, String> leased = new LinkedHashMap<>();
      for (Plugged si : interfaces) {
        Path pidfile = dir.resolve("dhclient-" + si.node() + ".pid");
        Path leases = dir.resolve("dhclient-" + si.node() + ".leases");
        dhclientPidfiles.add(pidfile);
        long t0 = System.nanoTime();
        ExternalCommand.Result dhcp = LabNetwork.runIn(si.host(), CMD, "dhclient", "-v", "-1", "-pf", pidfile.toString(),
            "-lf", leases.toString(), LabNames.HOST_INTERFACE);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(dhcp.ok()).as(dhcp.describe()).isTrue();
        assertThat(dhcp.stderr()).contains("DHCPACK");
        String address = LabNetwork.runIn(si.host(), CMD, "ip", "-4", "-o", "addr", "show", "dev",
            LabNames.HOST_INTERFACE).orThrow().stdout();
        assertThat(address).contains("inet " + SUBNET_PREFIX).contains("/16");
        String ip = address.substring(address.indexOf("inet ") + 5, address.indexOf('/', address.indexOf("inet ")));
        leased.put(si.node(), ip);
        assertThat(LabNetwork.runIn(si.host(), CMD, "ip", "route", "show", "default").orThrow().stdout())
            .contains("default via " + GATEWAY + " dev " + LabNames.HOST_INTERFACE);
        System.err.printf("DatapathE2E: %s leased %s in %d ms%n", si.host(), ip, ms);
      }
      assertThat(leased.get("a")).isNotEqualTo(leased.get("b"));

      // ---- east-west: the hosts are on different DPUs, so this is geneve between the chassis.
      Plugged onA = interfaces.stream().filter(si -> si.node().equals("a")).findFirst().orElseThrow();
      Plugged onB = interfaces.stream().filter(si -> si.node().equals("b")).findFirst().orElseThrow();
      long firstPing = awaitPing(onA.host(), leased.get("b"), Duration.ofSeconds(15));
      System.err.printf("DatapathE2E: first ping a -> b after %d ms%n", firstPing);
      awaitPing(onB.host(), leased.get("a"), Duration.ofSeconds(5));
      ping(onA.host(), GATEWAY);
      assertThat(lab.chassis("a").vswitchdAppctl("dpctl/dump-flows")).contains("tnl_pop");

      // ---- north-south: ext answers, and sees each DPU's own external address (SNAT, masquerade: true).
      for (Plugged si : interfaces) {
        long toExt = awaitPing(si.host(), LabNames.EXT_GATEWAY_IP, Duration.ofSeconds(15));
        System.err.printf("DatapathE2E: first ping %s -> ext after %d ms%n", si.host(), toExt);
        String seen = LabNetwork.runIn(si.host(), CMD, "/usr/bin/python3", "-c", "import socket; s = socket"
            + ".create_connection(('" + LabNames.EXT_GATEWAY_IP + "', " + LabNames.ECHO_PORT + "), 5); "
            + "print(s.recv(100).decode().strip())").orThrow().stdout().strip();
        assertThat(seen).as("the source ext sees from " + si.host()).isEqualTo(lab.chassis(si.node()).ports().externalIp());
      }
      step("traffic proven (" + (System.nanoTime() - bound) / 1_000_000 + " ms after binding)");

      // ---- what the API says now: the address DHCP handed out, and readiness once the port is bound.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (Plugged si : interfaces) {
          JsonNode item = call("GET", SVC + "/namespaces/default/serviceinterfaces/" + si.name(), null, null, null).json();
          assertThat(item.at("/status/portConnected").asBoolean()).as(item.toString()).isTrue();
          assertThat(item.at("/status/ipAddress").asText()).isEqualTo(leased.get(si.node()));
          assertThat(condition(item, "Ready")).as(item.toString()).isEqualTo("True");
        }
      });
      step("ServiceInterfaces Ready");
      assertThat(bridge()).as("the Northbound bridge was not restarted").isEqualTo(bridgeBefore);

      // ---- delete as a user would: networks' interfaces, the network, the VPC; OVN keeps nothing of ours.
      // The agents unplug by themselves once the deleted interfaces no longer want their ports.
      assertThat(call("DELETE", SVC + "/namespaces/default/dpuserviceinterfaces/testnet1-vf2", null, null, RW).code())
          .isEqualTo(200);
      assertThat(call("DELETE", VPC + "/namespaces/default/dpuvirtualnetworks/testnet1", null, null, RW).code())
          .isEqualTo(200);
      assertThat(call("DELETE", VPC + "/namespaces/default/dpuvpcs/testvpc", null, null, RW).code()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> ownedRows(OVN.central()) == 0);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        for (DpuChassis dpu : lab.chassis()) {
          assertThat(dpu.vsctl("list-ports", "br-int")).doesNotContain("pf0vf2");
        }
      });
      step("deleted, no row of ours left in OVN");
    } finally {
      for (Path pidfile : dhclientPidfiles) {
        killByPidfile(pidfile);
      }
      agentParents.forEach(parent -> parent.tell(Stop.STOP));
      List<String> removed = lab.down();
      System.err.println("DatapathE2E: down removed " + removed);
    }

    assertThat(lab.network().existingNamespaces()).as("namespaces left").isEmpty();
    assertThat(ExternalCommand.run("ip", "netns", "list").stdout()).doesNotContain(prefix + "-");
    assertThat(processesMentioning(labDir)).as("lab processes left").isEmpty();
    assertThat(processesMentioning(dir.resolve("dhclient-"))).as("dhclients left").isEmpty();
    step("lab down");
  }

  // ---- the DPUs

  /** What the agent is told about its DPU: what a BlueField's agent gets from its configuration. */
  private static NodeAgentSettings settings(DpuChassis dpu) {
    return NodeAgentSettings.builder(dpu.name(), dpu.underlayIp(), OVN.central().sbTcpEndpoint())
        .externalGateway(externalCidr(dpu), LabNames.EXT_GATEWAY_IP)
        .datapath(NodeAgentSettings.Datapath.NETDEV)
        .externalBridge("br-ex", dpu.uplinkInterface())
        .ovsdbRemote(dpu.dbEndpoint())
        // Asks its node for the ports to plug at each heartbeat: 1 s keeps the test short.
        .heartbeat(Duration.ofSeconds(1))
        .build();
  }

  /**
   * The DPU's external address: 172.16.1.N/16, inside ext's 172.16.0.0/16. It belongs to the
   * gateway router's port on the node's external switch (and to its SNAT), so nothing on the DPU
   * itself may own it: unlike DpuChassisIT, br-ex gets no address here (two owners of one IP on
   * one segment would answer ARP both, and ext's replies could reach the kernel instead of OVN).
   */
  private static String externalCidr(DpuChassis dpu) {
    return dpu.ports().externalIp() + "/" + LabNames.EXT_PREFIX_LENGTH;
  }

  /**
   * Lab plumbing the agent does not do: the userspace datapath sends geneve only through an OVS
   * bridge that owns the tunnel's source address, so the underlay veth goes into a netdev bridge
   * {@code br-phy} and the underlay address moves onto its internal port. The agent leaves br-phy
   * alone (it carries no mark of ours). On a BlueField (kernel datapath) this is not needed.
   */
  private static void underlayOnBrPhy(DpuChassis dpu) {
    dpu.vsctl("add-br", "br-phy", "--", "set", "Bridge", "br-phy", "datapath_type=netdev",
        "--", "add-port", "br-phy", dpu.underlayInterface(),
        "--", "set", "Interface", "br-phy", "mtu_request=" + LabNames.UNDERLAY_MTU);
    dpu.runInNamespace("ip", "addr", "flush", "dev", dpu.underlayInterface()).orThrow();
    dpu.runInNamespace("ip", "addr", "add", dpu.ports().underlayCidr(), "dev", "br-phy").orThrow();
    dpu.runInNamespace("ip", "link", "set", "br-phy", "up").orThrow();
  }

  /** The agent's parent in the controller's actor system: a system actor cannot be stopped from outside, its child can. */
  private static Behavior<Stop> agentParent(NodeAgentSettings settings, EntityDirectory directory,
      CompletableFuture<ActorRef<NodeAgent.Command>> agent) {
    return Behaviors.setup(ctx -> {
      agent.complete(ctx.spawn(NodeAgent.create(settings, directory), "agent"));
      return Behaviors.receiveMessage(stop -> Behaviors.stopped());
    });
  }

  // ---- traffic

  private static void ping(String namespace, String ip) {
    LabNetwork.runIn(namespace, CMD, "ping", "-c", "1", "-W", "2", ip).orThrow();
  }

  /** Pings until one answer; returns how long it took (ms). */
  private static long awaitPing(String namespace, String ip, Duration timeout) {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    ExternalCommand.Result last;
    do {
      last = LabNetwork.runIn(namespace, CMD, "ping", "-c", "1", "-W", "1", ip);
      if (last.ok()) {
        return (System.nanoTime() - t0) / 1_000_000;
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no ping from " + namespace + " to " + ip + " within " + timeout + ": " + last.describe());
  }

  private static void killByPidfile(Path pidfile) {
    try {
      if (Files.exists(pidfile)) {
        long pid = Long.parseLong(Files.readString(pidfile).strip());
        ProcessHandle.of(pid).ifPresent(p -> {
          p.destroy();
          p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> {
            p.destroyForcibly();
            return p;
          }).join();
        });
      }
    } catch (Exception e) {
      System.err.println("DatapathE2E: cannot stop the dhclient of " + pidfile + ": " + e);
    }
  }

  private static List<String> processesMentioning(Path path) {
    String text = path.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .filter(line -> line.contains(text))
        .toList();
  }

  // ---- helpers

  private Answer call(String method, String path, String body, String contentType, String token) {
    return api.call(method, path, body, contentType, token);
  }

  /** The Northbound bridge of the examples' IsolationClass on the controller node. */
  private ActorRef<NorthboundBridge.Message> bridge() throws Exception {
    ActorRef<NorthboundRouter.Message> router = process.node().directory().northboundRouter().orElseThrow();
    return AskPattern.<NorthboundRouter.Message, java.util.Optional<ActorRef<NorthboundBridge.Message>>>ask(router,
            r -> new NorthboundRouter.GetBridge("ovn.vpc.dpu.nvidia.com", r), Duration.ofSeconds(10),
            process.node().system().scheduler())
        .toCompletableFuture().get(15, TimeUnit.SECONDS).orElseThrow();
  }

  private void step(String what) {
    System.err.printf("DatapathE2E: %s at %d ms%n", what, (System.nanoTime() - started) / 1_000_000);
  }

}
