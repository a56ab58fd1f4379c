package io.dpuvpc.app.datapath;

import static io.dpuvpc.app.cluster.AdminApiClient.SVC;
import static io.dpuvpc.app.cluster.AdminApiClient.VPC;
import static io.dpuvpc.app.cluster.AdminApiClient.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.app.cluster.AdminApiClient;
import io.dpuvpc.app.cluster.AdminApiClient.Answer;
import io.dpuvpc.app.cluster.ControllerProcess;
import io.dpuvpc.app.lab.InProcessAgents;
import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.app.lab.LabHost;
import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.OvnCentral;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the datapath E2E classes share: a controller process with its admin API, a {@link LabFleet}
 * with in-process agents (heartbeat 1 s: an agent asks its node for the ports to plug at each
 * heartbeat, so 1 s keeps the tests short), the examples applied over HTTP as a user applies
 * them, the ServiceInterfaces as the API shows them, and the check that the lab left nothing
 * behind.
 */
final class DatapathScenario implements AutoCloseable {
  static final String RW = "rw-token-0123456789abcdef";
  static final Path EXAMPLES = AdminApiClient.examples();
  static final Duration HEARTBEAT = Duration.ofSeconds(1);
  static final Duration LEASE = Duration.ofSeconds(20);
  static final String COLLECTION = VPC + "/namespaces/default/dpuvpcs";

  /** A ServiceInterface as the API shows it, and the host VF it names. */
  record Plugged(String name, String node, String representor, String logicalPort, String mac, LabHost host) {}

  private final String name;
  private final Path dir;
  private final OvnCentral ovn;
  private final ControllerProcess process;
  private final AdminApiClient api;
  private final long started = System.nanoTime();
  private LabFleet fleet;
  private InProcessAgents agents;

  private DatapathScenario(String name, Path dir, OvnCentral ovn, ControllerProcess process) {
    this.name = name;
    this.dir = dir;
    this.ovn = ovn;
    this.process = process;
    this.api = new AdminApiClient("http://127.0.0.1:" + process.apiPort());
  }

  /** A controller named {@code name} in {@code dir}, its admin API ready. */
  static DatapathScenario start(String name, Path dir, OvnCentral ovn) throws IOException {
    return start(name, dir, ovn, "");
  }

  /** {@link #start(String, Path, OvnCentral)} with more controller settings ({@code extra}, HOCON). */
  static DatapathScenario start(String name, Path dir, OvnCentral ovn, String extra) throws IOException {
    ControllerProcess process = AdminApiClient.startController(dir, name, "# admin API tokens\n" + RW + "\n", "", extra);
    DatapathScenario scenario = new DatapathScenario(name, dir, ovn, process);
    await().atMost(Duration.ofSeconds(30)).until(() -> scenario.call("GET", "/readyz", null, null).code() == 200);
    scenario.step("controller up");
    return scenario;
  }

  /** A prefix of 4 characters at most, unique to this JVM and test class: {@code letter} + 3 digits of the pid. */
  static String prefix(char letter) {
    return letter + String.format("%03d", ProcessHandle.current().pid() % 1000);
  }

  /** Starts the lab fleet of these DPUs and one agent per DPU with the labels {@code labels} gives it. */
  LabFleet startLab(String prefix, List<String> dpus, int vfsPerDpu, Function<String, Map<String, String>> labels) {
    return startLab(prefix, dpus, vfsPerDpu, labels, java.util.function.UnaryOperator.identity());
  }

  /**
   * {@link #startLab(String, List, int, Function)}, each agent's settings passed through
   * {@code settings} first (e.g. to run a CNI DHCP daemon).
   */
  LabFleet startLab(String prefix, List<String> dpus, int vfsPerDpu, Function<String, Map<String, String>> labels,
      java.util.function.UnaryOperator<io.dpuvpc.node.NodeAgentSettings> settings) {
    fleet = LabFleet.start(labDir(), prefix, dpus, vfsPerDpu, ovn.sbTcpEndpoint());
    step("lab up");
    agents = InProcessAgents.start(process.node().system(), process.node().directory(), fleet.dpus().stream()
        .map(dpu -> settings.apply(fleet.agentSettings(dpu, labels.apply(dpu), HEARTBEAT))).toList());
    return fleet;
  }

  /** Every DPU's chassis registered in the Southbound, every node ready with its external address. */
  void awaitNodesReady() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        ovn.sbctl("--bare", "--columns=name", "list", "Chassis").lines().filter(l -> !l.isBlank()).sorted().toList())
        .containsExactlyElementsOf(fleet.dpus().stream().sorted().toList()));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (String dpu : fleet.dpus()) {
        JsonNode node = call("GET", "/nodes/" + dpu, null, null).json();
        assertThat(node.at("/status/ready").asBoolean()).as(node.toString()).isTrue();
        assertThat(node.at("/status/externalIP").asText()).isEqualTo(fleet.externalCidr(dpu));
      }
    });
    step("agents ready, chassis registered");
  }

  /** The examples' IsolationClass, pointed at this test's Northbound. */
  void applyIsolationClass() {
    String isolationClass = example("00-isolationclass.yaml").replace("tcp:10.1.1.100:30641", ovn.nbTcpEndpoint());
    assertThat(call("POST", VPC + "/isolationclasses", isolationClass, "application/yaml").code()).isEqualTo(201);
  }

  /** Applies YAML documents (any kinds) as {@code kubectl apply -f} would, and expects success. */
  void apply(String yaml) {
    Answer answer = call("POST", COLLECTION, yaml, "application/yaml");
    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
  }

  static String example(String file) {
    try {
      return Files.readString(EXAMPLES.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until there are {@code count} ServiceInterfaces, each reconciled in OVN, and returns them
   * with the host VF each names (a VF interface's {@code vfID} on its node).
   */
  List<Plugged> awaitInterfaces(int count) {
    List<Plugged> interfaces = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode items = call("GET", SVC + "/namespaces/default/serviceinterfaces", null, null).json().get("items");
      assertThat(items).hasSize(count);
      for (JsonNode item : items) {
        assertThat(condition(item, "ServiceInterfaceReconciled")).as(item.toString()).isEqualTo("True");
      }
      interfaces.clear();
      for (JsonNode item : items) {
        String si = item.at("/metadata/name").asText();
        String node = item.at("/spec/node").asText();
        int vf = item.at("/spec/vf/vfID").asInt();
        String representor = "pf" + item.at("/spec/vf/pfID").asInt() + "vf" + vf;
        // TopologyIntent.Interface.portName(): <namespace>_<name>, also the iface-id.
        interfaces.add(new Plugged(si, node, representor, "default_" + si, item.at("/status/macAddress").asText(),
            fleet.host(node, vf)));
      }
    });
    return interfaces;
  }

  /**
   * Gives each host VF its interface's MAC (port security; the host's side, not ours) and waits
   * until every port is bound ({@code Logical_Switch_Port.up}); the agents plug by themselves.
   */
  void plugAndAwaitUp(List<Plugged> interfaces) {
    for (Plugged si : interfaces) {
      si.host().setMac(si.mac());
    }
    awaitUp(interfaces);
  }

  /** Waits until every port is bound ({@code Logical_Switch_Port.up}). */
  void awaitUp(List<Plugged> interfaces) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (Plugged si : interfaces) {
        assertThat(ovn.nbctl("get", "Logical_Switch_Port", si.logicalPort(), "up").strip()).as(si.name())
            .isEqualTo("true");
      }
    });
    step("ports bound (Logical_Switch_Port up)");
  }

  /** Leases an address on the interface's host, logs how long it took, and returns it. */
  String lease(Plugged si) {
    String ip = si.host().lease(LEASE);
    log("%s leased %s in %d ms", si.host().namespace(), ip, si.host().lastLeaseMillis());
    return ip;
  }

  /** The interface on {@code node}. */
  /** Example 1 running on lab DPUs a and b: each host leased, a reaching b. */
  record ExampleOne(LabFleet fleet, List<Plugged> interfaces, LabHost onA, LabHost onB, String ipA, String ipB) {}

  /**
   * Starts a lab of DPUs a and b (namespaces prefixed after {@code letter}), applies the
   * IsolationClass and example 1, plugs and leases both hosts and checks a reaches b: the common
   * start of the tests that then break something. The caller takes the lab down ({@link #labDown}).
   */
  ExampleOne exampleOneOnTwoDpus(char letter, Duration reach) {
    LabFleet fleet = startLab(prefix(letter), List.of("a", "b"), 3, dpu -> Map.of());
    awaitNodesReady();
    applyIsolationClass();
    apply(example("01-single-vpc-single-network.yaml"));
    List<Plugged> interfaces = awaitInterfaces(2);
    plugAndAwaitUp(interfaces);
    String ipA = lease(on(interfaces, "a"));
    String ipB = lease(on(interfaces, "b"));
    ExampleOne one = new ExampleOne(fleet, interfaces, on(interfaces, "a").host(), on(interfaces, "b").host(), ipA, ipB);
    if (!one.onA().ping(ipB, reach)) {
      throw new AssertionError("a does not reach b (" + ipB + ") before anything was broken");
    }
    return one;
  }

  static Plugged on(List<Plugged> interfaces, String node) {
    return interfaces.stream().filter(si -> si.node().equals(node)).findFirst().orElseThrow();
  }

  /** Stops the agents and takes the lab down, then checks that no namespace or process of it is left. */
  void labDown() {
    if (agents != null) {
      agents.close();
      agents = null;
    }
    if (fleet == null) {
      return;
    }
    log("down removed %s", fleet.down());
    assertThat(fleet.lab().network().existingNamespaces()).as("namespaces left").isEmpty();
    assertThat(ExternalCommand.run("ip", "netns", "list").stdout())
        .doesNotContain(fleet.lab().names().prefix() + "-");
    assertThat(processesMentioning(labDir())).as("lab processes (dhclients included) left").isEmpty();
    fleet = null;
    step("lab down");
  }

  @Override
  public void close() {
    try {
      labDown();
    } finally {
      process.close();
    }
  }

  InProcessAgents agents() {
    return agents;
  }

  ControllerProcess process() {
    return process;
  }

  OvnCentral ovn() {
    return ovn;
  }

  Path labDir() {
    return dir.resolve("lab");
  }

  Answer call(String method, String path, String body, String contentType) {
    return api.call(method, path, body, contentType, "GET".equals(method) ? null : RW);
  }

  void step(String what) {
    log("%s at %d ms", what, (System.nanoTime() - started) / 1_000_000);
  }

  void log(String format, Object... args) {
    System.err.println(name + ": " + String.format(format, args));
  }

  private static List<String> processesMentioning(Path path) {
    String text = path.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .filter(line -> line.contains(text))
        .toList();
  }
}
