package io.dpuvpc.app;

import io.dpuvpc.app.client.AdminClient;
import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.app.lab.VpcProcesses;
import io.dpuvpc.node.NodeAgentSettings;
import io.dpuvpc.ovn.lab.DpuLab;
import io.dpuvpc.ovn.lab.OvnCentral;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The part of {@code vpc lab up --dpus ...} beyond the OVN central: the controller (embedded
 * Cassandra in the lab folder, admin API, cluster port) and one {@code vpc node} per lab DPU, each
 * a background process ({@link VpcProcesses}); the DPUs themselves ({@link LabFleet}, outliving
 * this JVM). Each step waits for what the next needs and says how long it took; {@link #down}
 * stops them in the reverse order from any later process.
 */
final class LabFleetRunner {
  /** The namespaces' prefix unless {@code --prefix} says otherwise. */
  static final String PREFIX = "lab";
  static final String CONTROLLER = "controller";
  static final Duration CONTROLLER_TIMEOUT = Duration.ofSeconds(180);
  static final Duration NODES_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final PrintWriter out;
  private final VpcProcesses processes;

  LabFleetRunner(Path labDir, PrintWriter out) {
    this.dir = labDir;
    this.out = out;
    this.processes = new VpcProcesses(labDir.resolve("processes"));
  }

  static Path fleetDir(Path labDir) {
    return labDir.resolve("dpus");
  }

  /**
   * Parses {@code --label DPU:KEY=VALUE} options into labels per DPU (a DPU without any gets none).
   *
   * @throws IllegalArgumentException naming the option when it is malformed or names no such DPU
   */
  static Map<String, Map<String, String>> labels(List<String> dpus, List<String> options) {
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    dpus.forEach(dpu -> labels.put(dpu, new LinkedHashMap<>()));
    for (String option : options) {
      int colon = option.indexOf(':');
      int eq = option.indexOf('=', colon + 1);
      if (colon <= 0 || eq <= colon + 1) {
        throw new IllegalArgumentException("--label " + option + ": expected DPU:KEY=VALUE, e.g. a:vpc.dpu.nvidia.com/tenant=red");
      }
      String dpu = option.substring(0, colon);
      if (!labels.containsKey(dpu)) {
        throw new IllegalArgumentException("--label " + option + ": no DPU named " + dpu + " in --dpus " + dpus);
      }
      labels.get(dpu).put(option.substring(colon + 1, eq), option.substring(eq + 1));
    }
    return labels;
  }

  /** Starts the controller, the DPUs and their agents; returns once every node is reported ready. */
  void up(OvnCentral ovn, String prefix, List<String> dpus, Map<String, Map<String, String>> labels, int vfs, int apiPort,
      int clusterPort) throws InterruptedException {
    up(ovn, prefix, dpus, labels, vfs, apiPort, clusterPort, List.of());
  }

  /** {@link #up(OvnCentral, String, List, Map, int, int, int)} with more options for the controller (e.g. --kubeconfig). */
  void up(OvnCentral ovn, String prefix, List<String> dpus, Map<String, Map<String, String>> labels, int vfs, int apiPort,
      int clusterPort, List<String> controllerOptions) throws InterruptedException {
    if (DpuLab.isUp(fleetDir(dir))) {
      throw new IllegalStateException("the lab's DPUs are already up (" + String.join(",", DpuLab.attach(fleetDir(dir))
          .chassis().stream().map(c -> c.name()).toList()) + "); run `" + ProjectPaths.launcher() + " lab down` first");
    }
    String server = "http://127.0.0.1:" + apiPort;
    AdminClient api = new AdminClient(URI.create(server), null, AdminClient.Tls.DEFAULT);
    long t0 = System.nanoTime();
    if (processes.status(CONTROLLER).filter(VpcProcesses.Status::alive).isEmpty()) {
      processes.start(CONTROLLER, Stream.concat(Stream.of("-Xmx1g"), VpcProcesses.CONTROLLER_GC.stream()).toList(), Map.of("VPC_CASSANDRA_DIR", dir.resolve("cassandra").toString()),
          java.util.stream.Stream.concat(java.util.stream.Stream.of("controller", "--api-port", Integer.toString(apiPort),
              "--cluster-port", Integer.toString(clusterPort)), controllerOptions.stream()).toList());
      say("Controller starting (embedded Cassandra in %s; log %s)...", dir.resolve("cassandra"),
          processes.log(CONTROLLER));
    }
    awaitUntil(() -> api.send("GET", "/readyz", null, null, "text/plain").code() == 200, CONTROLLER_TIMEOUT,
        CONTROLLER, "the controller's admin API did not become ready");
    say("Controller up in %d s: admin API %s, cluster pekko://dpuvpc@127.0.0.1:%d", seconds(t0), server, clusterPort);

    long t1 = System.nanoTime();
    LabFleet fleet = LabFleet.start(fleetDir(dir), prefix, dpus, vfs, ovn.sbTcpEndpoint(), false);
    say("DPUs up in %.1f s: %s (ovs-vswitchd and ovn-controller in namespaces %s-dpu-NAME)", (System.nanoTime() - t1) / 1e9,
        String.join(", ", dpus), prefix);

    long t2 = System.nanoTime();
    for (String dpu : dpus) {
      // Each DPU's agent its own CNI DHCP daemon, as on separate DPUs (not one host-wide socket).
      NodeAgentSettings agent = fleet.agentSettings(dpu, labels.get(dpu), Duration.ofSeconds(2))
          .withCniDhcpSocket(processes.dir().resolve("cni-dhcp-" + dpu + ".sock").toString());
      processes.start("node-" + dpu, List.of("-Xmx192m"), Map.of(), nodeArguments(agent, clusterPort));
    }
    awaitUntil(() -> dpus.stream().allMatch(dpu -> api.find("/nodes/" + dpu)
        .map(n -> n.at("/status/ready").asBoolean()).orElse(false)), NODES_TIMEOUT, "node-" + dpus.get(0),
        "the node agents did not report their DPUs ready");
    say("Node agents up in %d s, one process per DPU (role dpu in the controller's cluster):", seconds(t2));
    for (String dpu : dpus) {
      var n = api.find("/nodes/" + dpu).orElseThrow();
      say("  %-8s vtep %-15s external %-15s labels %s  hosts %s", dpu, n.at("/status/vtepIP").asText(),
          n.at("/status/externalIP").asText(), labels.get(dpu),
          String.join(" ", fleet.lab().chassis(dpu).hostNamespaces()));
    }
  }

  /** The {@code vpc node} command line that gives an agent these settings. */
  static List<String> nodeArguments(NodeAgentSettings agent, int clusterPort) {
    List<String> args = new ArrayList<>(List.of("node", "--name", agent.nodeName(), "--vtep-ip", agent.vtepIp(),
        "--sb", agent.sbRemotes(), "--ovs-db", agent.ovsdbRemote(), "--datapath", agent.datapath().type(),
        "--mtu", Integer.toString(agent.mtu()), "--heartbeat", Long.toString(agent.heartbeat().toSeconds()),
        "--seed", "pekko://dpuvpc@127.0.0.1:" + clusterPort));
    if (agent.uplink() != null) {
      args.addAll(List.of("--uplink", agent.uplink()));
    }
    if (agent.externalIp() != null) {
      args.addAll(List.of("--external-ip", agent.externalIp(), "--external-gw", agent.externalNextHop()));
    }
    agent.labels().forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
    args.addAll(List.of("--cni-dhcp-socket", agent.cniDhcpSocket() == null ? "none" : agent.cniDhcpSocket()));
    return args;
  }

  /** Stops the agents, the controller (its Cassandra with it) and the DPUs; returns one line per thing stopped. */
  List<String> down() {
    List<String> stopped = new ArrayList<>();
    for (VpcProcesses.Status s : processes.all()) {
      if (!s.name().equals(CONTROLLER)) {
        processes.stop(s.name(), Duration.ofSeconds(10)).ifPresent(p -> stopped.add(p.name() + " (pid " + p.pid() + ")"));
      }
    }
    processes.stop(CONTROLLER, Duration.ofSeconds(45)).ifPresent(p -> stopped.add(p.name() + " (pid " + p.pid() + ")"));
    stopped.addAll(LabFleet.down(fleetDir(dir)));
    return stopped;
  }

  /** One line per background process and DPU daemon, for {@code lab status}; empty when none was ever started. */
  List<String> status() {
    List<String> lines = new ArrayList<>();
    for (VpcProcesses.Status s : processes.all()) {
      lines.add(String.format("%-16s %-8s pid %-8d log %s", s.name(), s.alive() ? "alive" : "DOWN", s.pid(), s.log()));
    }
    if (DpuLab.exists(fleetDir(dir))) {
      lines.addAll(DpuLab.attach(fleetDir(dir)).status());
    }
    return lines;
  }

  @FunctionalInterface
  interface Check {
    boolean test() throws Exception;
  }

  /** Waits, printing a dot every 5 s; fails early, with the log's tail, when {@code process} died. */
  private void awaitUntil(Check check, Duration timeout, String process, String failure) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextDot = System.nanoTime() + 5_000_000_000L;
    boolean dots = false;
    while (true) {
      try {
        if (check.test()) {
          if (dots) {
            out.println();
          }
          return;
        }
      } catch (Exception e) {
        // not up yet
      }
      Optional<VpcProcesses.Status> status = processes.status(process);
      if (status.isPresent() && !status.get().alive()) {
        throw new IllegalStateException(failure + ": " + process + " exited; the end of " + status.get().log() + ":\n"
            + VpcProcesses.tail(status.get().log(), 15));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(failure + " within " + timeout.toSeconds() + " s; see " + processes.log(process));
      }
      if (System.nanoTime() > nextDot) {
        out.print('.');
        out.flush();
        dots = true;
        nextDot += 5_000_000_000L;
      }
      Thread.sleep(250);
    }
  }

  private void say(String format, Object... args) {
    out.printf(format + "%n", args);
    out.flush();
  }

  private static long seconds(long since) {
    return (System.nanoTime() - since) / 1_000_000_000L;
  }
}
