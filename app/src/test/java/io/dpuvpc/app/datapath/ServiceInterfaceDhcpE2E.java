package io.dpuvpc.app.datapath;

import static io.dpuvpc.app.cluster.AdminApiClient.SVC;
import static io.dpuvpc.app.cluster.AdminApiClient.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.ovn.lab.DpuChassis;
import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.LabNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6's service-type interface on a real datapath: a DPU service pod's secondary interface
 * gets its address from OVN's DHCP through the CNI {@code dhcp} plugin and the daemon the agent
 * runs, as with the reference's NetworkAttachmentDefinition ({@code "type": "ovs"} on
 * {@code br-int}, {@code "ipam": {"type": "dhcp", "daemonSocketPath": ...}}).
 *
 * <p>What stands in for Kubernetes: the "pod" is a network namespace made with {@code ip netns}
 * (so {@code /var/run/netns/<pod>} is its path, as a runtime's is), and ovs-cni's ADD is done by
 * hand as its {@code createPort} does it: a veth whose pod end is the interface {@code my-sf} and
 * whose DPU end is added to {@code br-int} with the Port's {@code external_ids} {@code owner},
 * {@code contIface} and {@code contNetns}, no {@code iface-id}. The pod end gets the
 * ServiceInterface's MAC (port security; with ovs-cni a runtime passes it as the {@code mac}
 * argument), as the lab does for VFs, once the agent has reported the pod's first, wrong MAC. Then the real {@code dhcp} plugin of Debian's
 * containernetworking-plugins is invoked as a CNI runtime invokes it (environment and NetConf on
 * stdin); like any IPAM plugin it only returns the result, which the main plugin (ovs-cni) puts on
 * the interface, and so does the test. The agent's daemon socket lives in the test's folder rather
 * than {@code /run/vpc/cni}, so that nothing else on the machine can answer in its place.
 */
class ServiceInterfaceDhcpE2E {
  @RegisterExtension
  static final DatapathExtension LAB = new DatapathExtension();

  static final Path PLUGIN = Path.of("/usr/lib/cni/dhcp");
  static final String POD_INTERFACE = "my-sf";
  static final String GATEWAY = "192.178.0.1";
  static final String WRONG_MAC = "02:00:00:0b:ad:01";
  static final String SERVICE_INTERFACE = """
      ---
      apiVersion: svc.dpu.nvidia.com/v1alpha1
      kind: DPUServiceInterface
      metadata:
        name: my-interface
        namespace: default
      spec:
        template:
          spec:
            template:
              spec:
                interfaceType: service
                service:
                  interfaceName: my-sf
                  serviceID: my-service
                  network: dpf-operator-system/mybrint-vpc
                virtualNetwork: testnet1
      """;

  private final DatapathScenario scenario = LAB.scenario();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aServicePodLeasesFromOvnThroughTheAgentsCniDhcpDaemonAndPingsItsGateway() throws Exception {
    Path socket = scenario.labDir().resolve("cni/dhcp.sock");
    String prefix = DatapathScenario.prefix('s');
    LabFleet fleet = scenario.startLab(prefix, List.of("a"), 1, dpu -> Map.of(),
        settings -> settings.withCniDhcpSocket(socket.toString()));
    String pod = prefix + "-pod";
    String hostVeth = "veth" + prefix;
    DpuChassis dpu = fleet.lab().chassis("a");
    try {
      scenario.awaitNodesReady();
      await().atMost(Duration.ofSeconds(10)).until(() -> agentState().cniDhcp().running());
      scenario.step("CNI dhcp daemon running (pid " + agentState().cniDhcp().pid() + ")");

      // ---- example 1's VPC and network, and a service interface as the reference's example has it.
      scenario.applyIsolationClass();
      String example = DatapathScenario.example("01-single-vpc-single-network.yaml");
      scenario.apply(example.substring(0, example.lastIndexOf("---")) + SERVICE_INTERFACE);
      JsonNode si = awaitServiceInterface();
      String name = si.at("/metadata/name").asText();
      String logicalPort = "default_" + name;
      String mac = si.at("/status/macAddress").asText();
      scenario.step("service interface " + name + " reconciled, MAC " + mac);

      // ---- the pod, and ovs-cni's ADD (see the class comment).
      run("ip", "netns", "add", pod);
      dpu.runInNamespace("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", POD_INTERFACE, "netns", pod)
          .orThrow();
      inPod(pod, "ip", "link", "set", POD_INTERFACE, "address", WRONG_MAC);
      inPod(pod, "ethtool", "-K", POD_INTERFACE, "tx", "off");
      inPod(pod, "ip", "link", "set", POD_INTERFACE, "up");
      inPod(pod, "ip", "link", "set", "lo", "up");
      dpu.runInNamespace("ip", "link", "set", hostVeth, "up").orThrow();
      dpu.vsctl("add-port", "br-int", hostVeth, "--", "set", "Port", hostVeth,
          "external_ids:owner=ovs-cni.network.kubevirt.io", "external_ids:contIface=" + POD_INTERFACE,
          "external_ids:contNetns=/var/run/netns/" + pod);

      // The agent recognises the port and sets its iface-id; ovn-controller binds it.
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
          dpu.vsctl("--if-exists", "get", "Interface", hostVeth, "external_ids:iface-id").replace("\"", "").strip())
          .isEqualTo(logicalPort));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
          scenario.ovn().nbctl("get", "Logical_Switch_Port", logicalPort, "up").strip()).isEqualTo("true"));
      scenario.step("ovs-cni's port carries iface-id " + logicalPort + ", bound");

      // The pod's MAC is not the interface's: the agent sees it through contNetns and says so at /nodes/a.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nodePort(logicalPort).toString())
          .contains("\"hostMac\":\"" + WRONG_MAC + "\"", "\"macMismatch\":true"));
      scenario.step("MAC mismatch reported");
      // What the lab does for a VF's host, and a runtime does for a pod through ovs-cni's mac argument.
      inPod(pod, "ip", "link", "set", POD_INTERFACE, "address", mac);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nodePort(logicalPort).toString())
          .contains("\"hostMac\":\"" + mac + "\"", "\"macMismatch\":false"));

      // ---- CNI ADD through the agent's daemon: a lease from OVN's DHCP in the network's subnet.
      String containerId = "c0ffee" + prefix;
      long t0 = System.nanoTime();
      ExternalCommand.Result add = cni("ADD", containerId, pod, socket).orThrow();
      long leaseMillis = (System.nanoTime() - t0) / 1_000_000;
      JsonNode result = json.readTree(add.stdout());
      String address = result.at("/ips/0/address").asText();
      assertThat(address).as(add.stdout()).startsWith("192.178.").endsWith("/16");
      assertThat(result.at("/ips/0/gateway").asText()).isEqualTo(GATEWAY);
      scenario.log("CNI ADD leased %s in %d ms", address, leaseMillis);

      // What ovs-cni does with its IPAM result: the address and the default route on the interface.
      inPod(pod, "ip", "addr", "add", address, "dev", POD_INTERFACE);
      inPod(pod, "ip", "route", "add", "default", "via", GATEWAY, "dev", POD_INTERFACE);
      long p0 = System.nanoTime();
      assertThat(ExternalCommand.run(Duration.ofSeconds(20), List.of("ip", "netns", "exec", pod,
          "ping", "-c", "1", "-W", "1", "-w", "15", GATEWAY)).ok()).as("the pod pings its gateway").isTrue();
      scenario.log("first ping pod -> gateway after %d ms", (System.nanoTime() - p0) / 1_000_000);

      // The lease shows at the API, and the interface is Ready.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode item = scenario.call("GET", SVC + "/namespaces/default/serviceinterfaces/" + name, null, null).json();
        assertThat(item.at("/status/ipAddress").asText()).isEqualTo(address.substring(0, address.indexOf('/')));
        assertThat(condition(item, "Ready")).as(item.toString()).isEqualTo("True");
      });
      scenario.step("lease, ping and Ready proven");

      // ---- CNI DEL releases the lease (the daemon stops renewing it and says so).
      cni("DEL", containerId, pod, socket).orThrow();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(Files.readString(socket.resolveSibling("dhcp.sock.log"))).contains("releasing lease"));

      // ---- the interface deleted: the agent takes back its iface-id only; the port stays ovs-cni's.
      assertThat(scenario.call("DELETE", SVC + "/namespaces/default/dpuserviceinterfaces/my-interface", null, null)
          .code()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThat(dpu.vsctl("--if-exists", "get", "Interface", hostVeth, "external_ids:iface-id").strip()).isEmpty());
      assertThat(dpu.vsctl("list-ports", "br-int")).contains(hostVeth);
      scenario.step("deleted: iface-id gone, ovs-cni's port kept");
    } finally {
      // ovs-cni's DEL and the pod's end, then the lab (which checks that no namespace or process of it is left,
      // the agent's dhcp daemon included: its command line names the socket in the lab's folder).
      try {
        dpu.vsctl("--if-exists", "del-port", "br-int", hostVeth);
      } finally {
        ExternalCommand.run("ip", "netns", "del", pod);
        scenario.labDown();
      }
    }
    assertThat(ExternalCommand.run("ip", "netns", "list").stdout()).doesNotContain(pod);
  }

  /** The port of {@code logicalPort} as {@code /nodes/a} shows it. */
  private JsonNode nodePort(String logicalPort) {
    for (JsonNode port : scenario.call("GET", "/nodes/a", null, null).json().at("/status/ports")) {
      if (port.get("logicalPort").asText().equals(logicalPort)) {
        return port;
      }
    }
    return json.createObjectNode();
  }

  private JsonNode awaitServiceInterface() {
    JsonNode[] found = new JsonNode[1];
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode items = scenario.call("GET", SVC + "/namespaces/default/serviceinterfaces", null, null).json().get("items");
      assertThat(items).hasSize(1);
      assertThat(condition(items.get(0), "ServiceInterfaceReconciled")).as(items.toString()).isEqualTo("True");
      assertThat(items.get(0).at("/spec/interfaceType").asText()).isEqualTo("service");
      found[0] = items.get(0);
    });
    return found[0];
  }

  /** The {@code dhcp} IPAM plugin run as a CNI runtime runs it: the command in the environment, the NetConf on stdin. */
  private ExternalCommand.Result cni(String command, String containerId, String pod, Path socket) throws Exception {
    Path netconf = scenario.labDir().resolve("netconf-" + command + ".json");
    Files.writeString(netconf, """
        {"cniVersion": "0.4.0", "name": "mybrint-vpc", "type": "ovs", "bridge": "br-int", "mtu": 1500,
         "ipam": {"type": "dhcp", "daemonSocketPath": "%s"}}
        """.formatted(socket));
    return ExternalCommand.run(Duration.ofSeconds(30), Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", containerId,
            "CNI_NETNS", "/var/run/netns/" + pod, "CNI_IFNAME", POD_INTERFACE, "CNI_PATH", PLUGIN.getParent().toString()),
        List.of("sh", "-c", "exec " + PLUGIN + " < " + netconf));
  }

  private NodeAgent.State agentState() throws Exception {
    var system = scenario.process().node().system();
    return AskPattern.<NodeAgent.Command, NodeAgent.State>ask(scenario.agents().agent("a"), NodeAgent.GetState::new,
        Duration.ofSeconds(5), system.scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void inPod(String pod, String... command) {
    LabNetwork.runIn(pod, Duration.ofSeconds(10), command).orThrow();
  }

  private static void run(String... command) {
    ExternalCommand.run(command).orThrow();
  }
}
