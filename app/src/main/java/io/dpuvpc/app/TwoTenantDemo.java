package io.dpuvpc.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.client.AdminClient;
import io.dpuvpc.app.client.ResourceTable;
import io.dpuvpc.app.cluster.ControllerProcess;
import io.dpuvpc.app.cluster.NodeProcess;
import io.dpuvpc.app.lab.ConnectivityMatrix;
import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.app.lab.LabHost;
import io.dpuvpc.ovn.lab.OvnCentral;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * What {@code vpc demo} runs: the reference's example 3 (two tenants, red and blue, each its own
 * VPC with the SAME subnet) on four lab DPUs, every part real and each in its place: an OVN
 * central, a controller process (embedded Cassandra, entities, Northbound bridge, admin API), four
 * lab DPUs (ovs-vswitchd and ovn-controller in network namespaces) each with its node agent as a
 * member of the controller's cluster ({@link NodeProcess}, role dpu, labelled with its tenant),
 * and host VFs as namespaces. The resources go in through {@code vpc apply -f}, as a user would;
 * the hosts take their MAC from the API and lease their address by DHCP; the proof is a
 * connectivity matrix measured from the hosts.
 *
 * <p>The steps are public methods so the command decides what to print around them and when to
 * stop; {@link #close()} takes everything down in reverse order, and is safe to call twice.
 */
final class TwoTenantDemo implements AutoCloseable {
  static final List<String> DPUS = List.of("a", "b", "c", "d");
  static final String TENANT_LABEL = "vpc.dpu.nvidia.com/tenant";
  /** Example 3's DPUServiceInterfaces ask for pf0 vfID 2: VFs are numbered from 0, so three per DPU. */
  static final int VFS = 3;
  static final int VF = 2;
  static final String SVC = "/apis/svc.dpu.nvidia.com/v1alpha1";
  static final String VPC = "/apis/vpc.dpu.nvidia.com/v1alpha1";

  private final Path dir;
  private final PrintWriter out;
  private final int apiPort;
  private OvnCentral ovn;
  private ControllerProcess controller;
  private LabFleet fleet;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private AdminClient api;
  private final Map<String, ConnectivityMatrix.Host> hosts = new LinkedHashMap<>();
  private boolean closed;

  TwoTenantDemo(Path dir, PrintWriter out, int apiPort) {
    this.dir = dir;
    this.out = out;
    this.apiPort = apiPort;
  }

  static String tenantOf(String dpu) {
    return DPUS.indexOf(dpu) < 2 ? "red" : "blue";
  }

  String server() {
    return "http://127.0.0.1:" + controller.apiPort();
  }

  OvnCentral ovn() {
    return ovn;
  }

  void startOvn() {
    ovn = OvnCentral.builder(dir.resolve("ovn")).stopOnJvmExit(true).start();
  }

  void startController() throws IOException {
    Config config = ConfigFactory.parseMap(Map.of(
            "dpuvpc.controller.cluster.name", "demo",
            "dpuvpc.controller.cluster.port", 0,
            "dpuvpc.controller.api.port", apiPort,
            "dpuvpc.controller.cassandra.data-dir", dir.resolve("cassandra").toString()))
        .withFallback(ControllerProcess.defaults()).resolve();
    controller = ControllerProcess.start(ControllerProcess.Settings.from(config, dir), line -> say("   " + line));
    api = new AdminClient(URI.create(server()), null, AdminClient.Tls.DEFAULT);
  }

  void startFleet() {
    fleet = LabFleet.start(dir.resolve("lab"), "vd", DPUS, VFS, ovn.sbTcpEndpoint());
  }

  /** One node agent per DPU, each its own cluster member labelled with its DPU's tenant. */
  void startAgents() {
    String seed = controller.node().address().toString();
    for (String dpu : DPUS) {
      nodes.add(NodeProcess.start(new NodeProcess.Settings("demo", "127.0.0.1", 0, List.of(seed),
          fleet.agentSettings(dpu, Map.of(TENANT_LABEL, tenantOf(dpu)), Duration.ofSeconds(2)))));
    }
  }

  /** Waits until every DPU node is reported ready; returns the nodes' lines as the API shows them. */
  List<String> awaitNodes(Duration timeout) throws InterruptedException {
    // Ready (its OVS converged) and its chassis registered in the Southbound at its VTEP, as the agent saw it.
    await(() -> DPUS.stream().allMatch(dpu -> api.find("/nodes/" + dpu)
        .map(n -> n.at("/status/ready").asBoolean() && n.at("/status/chassisRegistered").asBoolean()).orElse(false)),
        timeout, "the DPU nodes did not report ready with their chassis registered");
    List<String> lines = new ArrayList<>();
    for (String dpu : DPUS) {
      JsonNode n = api.find("/nodes/" + dpu).orElseThrow();
      lines.add(String.format("%s  tenant=%-4s  vtep %s  external %s  chassis %s registered in the Southbound", dpu,
          n.at("/metadata/labels").path(TENANT_LABEL).asText(), n.at("/status/vtepIP").asText(),
          n.at("/status/externalIP").asText(), n.at("/status/chassis").asText()));
    }
    return lines;
  }

  /** {@code vpc apply -f} of the IsolationClass (pointed at this OVN) and of example 3; returns the exit codes' sum. */
  int apply(Path examples) throws IOException {
    Path isolationClass = Files.writeString(dir.resolve("00-isolationclass.yaml"),
        Files.readString(examples.resolve("00-isolationclass.yaml")).replace("tcp:10.1.1.100:30641", ovn.nbTcpEndpoint()));
    int codes = 0;
    for (Path file : List.of(isolationClass, examples.resolve("03-two-tenants.yaml"))) {
      say("   $ vpc apply -f " + file);
      codes += vpc("apply", "-f", file.toString(), "--server", server());
    }
    return codes;
  }

  /** Runs one {@code vpc} client command, its output indented in ours. */
  int vpc(String... args) {
    CommandLine cli = Main.commandLine();
    java.io.StringWriter text = new java.io.StringWriter();
    cli.setOut(new PrintWriter(text, true));
    cli.setErr(new PrintWriter(text, true));
    int code = cli.execute(args);
    text.toString().lines().forEach(line -> out.println("     " + line));
    out.flush();
    return code;
  }

  /**
   * The hosts' side, as on a real server: once the API shows each ServiceInterface's MAC, the host
   * VF takes it (port security admits only that MAC) and asks for an address by DHCP.
   */
  void leaseHosts(Duration timeout) throws InterruptedException {
    await(() -> serviceInterfaces().size() == DPUS.size()
        && serviceInterfaces().stream().allMatch(si -> !si.at("/status/macAddress").asText().isEmpty()), timeout,
        "the ServiceInterfaces did not get their MAC addresses");
    List<JsonNode> byNode = new ArrayList<>(serviceInterfaces());
    byNode.sort(java.util.Comparator.comparing(si -> si.at("/spec/node").asText()));
    for (JsonNode si : byNode) {
      String dpu = si.at("/spec/node").asText();
      LabHost host = fleet.host(dpu, si.at("/spec/vf/vfID").asInt());
      host.setMac(si.at("/status/macAddress").asText());
      String ip = host.lease(timeout);
      say(String.format("   %-14s on DPU %s (%s): MAC %s, leased %s in %d ms, gateway %s", host.namespace(), dpu,
          tenantOf(dpu), si.at("/status/macAddress").asText(), ip, host.lastLeaseMillis(), host.defaultGateway()));
      say("   " + portLine(dpu));
      hosts.put(dpu, new ConnectivityMatrix.Host(tenantOf(dpu) + "@" + dpu, host, ip, fleet.externalIp(dpu)));
    }
  }

  /** What {@code dpu}'s agent reports of its plugged ports: representor, logical port, bound in the Southbound, up. */
  private String portLine(String dpu) {
    StringBuilder line = new StringBuilder("  DPU " + dpu + " reports:");
    for (JsonNode port : api.find("/nodes/" + dpu).map(n -> n.at("/status/ports")).orElse(null)) {
      line.append(String.format(" %s = %s (bound here: %s, up: %s)", port.path("representor").asText(),
          port.path("logicalPort").asText(), port.path("bound").asBoolean(), port.path("up").asBoolean()));
    }
    return line.toString();
  }

  /**
   * Waits until every resource is Ready, printing the counts per kind whenever they change.
   *
   * @return how long it took (ms)
   */
  long awaitReady(Duration timeout) throws InterruptedException {
    long t0 = System.nanoTime();
    String[] last = {""};
    await(() -> {
      ReadyCounts counts = readyCounts();
      if (!counts.line().equals(last[0])) {
        say(String.format("   [%5.1f s] Ready: %s", (System.nanoTime() - t0) / 1e9, counts.line()));
        last[0] = counts.line();
      }
      return counts.all();
    }, timeout, "not every resource became Ready");
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** Ready over total per kind, as one line, and whether every kind has resources and all are Ready. */
  private record ReadyCounts(String line, boolean all) {}

  private ReadyCounts readyCounts() {
    StringBuilder line = new StringBuilder();
    boolean all = true;
    for (String[] kind : new String[][] {{VPC, "dpuvpcs", "DPUVPC"}, {VPC, "dpuvirtualnetworks", "DPUVirtualNetwork"},
        {SVC, "dpuserviceinterfaces", "DPUServiceInterface"}, {SVC, "serviceinterfaces", "ServiceInterface"}}) {
      List<JsonNode> items = new ArrayList<>();
      api.find(kind[0] + "/namespaces/default/" + kind[1]).ifPresent(l -> l.path("items").forEach(items::add));
      long ready = items.stream().filter(item -> ResourceTable.condition(item, "Ready")
          .map(c -> c.path("status").asText().equals("True")).orElse(false)).count();
      all &= !items.isEmpty() && ready == items.size();
      line.append(line.isEmpty() ? "" : ", ").append(kind[2]).append(' ').append(ready).append('/').append(items.size());
    }
    return new ReadyCounts(line.toString(), all);
  }

  /** Pings every ordered pair of hosts and each host's way out: same tenant yes, other tenant no. */
  ConnectivityMatrix measure() {
    return ConnectivityMatrix.measure(new ArrayList<>(hosts.values()),
        (from, to) -> from.name().split("@")[0].equals(to.name().split("@")[0]));
  }

  private List<JsonNode> serviceInterfaces() {
    List<JsonNode> list = new ArrayList<>();
    api.find(SVC + "/namespaces/default/serviceinterfaces").ifPresent(l -> l.path("items").forEach(list::add));
    return list;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (NodeProcess node : nodes) {
      quietly(node::close);
    }
    if (fleet != null) {
      quietly(fleet::down);
    }
    if (controller != null) {
      quietly(controller::close);
    }
    if (ovn != null) {
      quietly(ovn::close);
    }
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  private static void quietly(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      System.err.println("vpc demo: while stopping: " + e.getMessage());
    }
  }

  private static void await(Supplier<Boolean> condition, Duration timeout, String failure) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!safely(condition)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(failure + " within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(250);
    }
  }

  private static boolean safely(Supplier<Boolean> condition) {
    try {
      return condition.get();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
