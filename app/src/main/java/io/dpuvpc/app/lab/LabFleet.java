package io.dpuvpc.app.lab;

import io.dpuvpc.node.NodeAgentSettings;
import io.dpuvpc.ovn.lab.DpuChassis;
import io.dpuvpc.ovn.lab.DpuLab;
import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.LabNames;
import io.dpuvpc.ovn.lab.LabNetwork;
import io.dpuvpc.ovn.lab.OvnLabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A {@link DpuLab} made ready for node agents, and what a person at the hosts would do with it:
 * the lab's DPUs with the lab plumbing the product does not do ({@code br-phy} holding the
 * underlay address), the settings each DPU's agent gets, and one {@link LabHost} per host VF
 * (MAC, DHCP lease, ping, the source {@code ext} sees). The OVN central and the agents are not
 * part of it: {@link InProcessAgents} starts agents against it.
 *
 * <p>Files: the lab in {@code workDir} itself (so {@link DpuLab#down(Path)} from another process
 * finds it), each host's dhclient pid and lease files in {@code workDir/host-vfs} (a name no DPU
 * can have), so that {@link #down(Path)} from another process stops them too.
 */
public final class LabFleet implements AutoCloseable {
  /** The external bridge the agents make, with the lab's uplink in it, mapped as network {@code external}. */
  public static final String EXTERNAL_BRIDGE = "br-ex";
  /** The netdev bridge that holds the underlay address (lab plumbing, see {@link #underlayOnBrPhy}). */
  public static final String UNDERLAY_BRIDGE = "br-phy";
  static final String HOSTS_FOLDER = "host-vfs";
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  private final DpuLab lab;
  private final String sbEndpoint;
  private final Path hostsDir;
  private final Map<String, LabHost> hosts = new LinkedHashMap<>();
  /** Underlay addresses moved by {@link #replumb(String, String)}; the lab's own otherwise. */
  private final Map<String, String> underlayIps = new ConcurrentHashMap<>();

  private LabFleet(DpuLab lab, String sbEndpoint, Path hostsDir) {
    this.lab = lab;
    this.sbEndpoint = sbEndpoint;
    this.hostsDir = hostsDir;
  }

  /**
   * Starts a lab of these DPUs with {@code vfsPerDpu} host VFs each, taken down at JVM exit if
   * still up, and moves each DPU's underlay address onto {@code br-phy}; on failure takes it down.
   *
   * @param prefix     0 to 4 of {@code [a-z0-9]} before every namespace name ({@link LabNames})
   * @param sbEndpoint the Southbound remote the agents give ovn-controller, e.g. {@code tcp:127.0.0.1:6642}
   */
  public static LabFleet start(Path workDir, String prefix, List<String> dpus, int vfsPerDpu, String sbEndpoint) {
    return start(workDir, prefix, dpus, vfsPerDpu, sbEndpoint, true);
  }

  /**
   * The same, with {@code stopOnJvmExit} false for a command that starts the lab and exits, leaving
   * it up for {@link #attach} or {@link #down(Path)} from a later process.
   */
  public static LabFleet start(Path workDir, String prefix, List<String> dpus, int vfsPerDpu, String sbEndpoint,
      boolean stopOnJvmExit) {
    Path hostsDir = hostsDir(workDir);
    try {
      Files.createDirectories(hostsDir);
    } catch (IOException e) {
      throw new OvnLabException("cannot create " + hostsDir + ": " + e.getMessage(), e);
    }
    DpuLab lab = DpuLab.builder(workDir).prefix(prefix).dpus(dpus.toArray(String[]::new)).vfsPerDpu(vfsPerDpu)
        .stopOnJvmExit(stopOnJvmExit).start();
    LabFleet fleet = new LabFleet(lab, sbEndpoint, hostsDir);
    try {
      lab.chassis().forEach(dpu -> underlayOnBrPhy(dpu, dpu.underlayIp()));
    } catch (RuntimeException e) {
      try {
        fleet.down();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return fleet;
  }

  /**
   * A handle on the fleet a process started earlier in {@code workDir} ({@link DpuLab#attach}):
   * its hosts' dhclients are found by their pidfiles.
   *
   * @throws OvnLabException if no lab was ever started there
   */
  public static LabFleet attach(Path workDir, String sbEndpoint) {
    return new LabFleet(DpuLab.attach(workDir), sbEndpoint, hostsDir(workDir));
  }

  /**
   * Takes down the fleet recorded in {@code workDir} from any process: the dhclients by their
   * pidfiles, then the lab ({@link DpuLab#down(Path)}).
   */
  public static List<String> down(Path workDir) {
    List<String> removed = new ArrayList<>(LabHost.stopDhclients(hostsDir(workDir)));
    removed.addAll(DpuLab.down(workDir));
    return removed;
  }

  public DpuLab lab() {
    return lab;
  }

  /** The DPUs' names, in order. */
  public List<String> dpus() {
    return lab.chassis().stream().map(DpuChassis::name).toList();
  }

  /**
   * What {@code dpu}'s agent is told: what a BlueField's agent gets from its configuration, with
   * the lab's datapath (netdev), its uplink in {@code br-ex}, the external address 172.16.1.N/16
   * with {@code ext} as next hop, and the chassis' own OVS database.
   */
  public NodeAgentSettings agentSettings(String dpu, Map<String, String> labels, Duration heartbeat) {
    DpuChassis chassis = lab.chassis(dpu);
    return NodeAgentSettings.builder(dpu, underlayIp(dpu), sbEndpoint)
        .labels(labels)
        .externalGateway(externalCidr(dpu), LabNames.EXT_GATEWAY_IP)
        .datapath(NodeAgentSettings.Datapath.NETDEV)
        .externalBridge(EXTERNAL_BRIDGE, chassis.uplinkInterface())
        .ovsdbRemote(chassis.dbEndpoint())
        .heartbeat(heartbeat)
        .build();
  }

  /**
   * The DPU's external address, 172.16.1.N, inside ext's 172.16.0.0/16. It belongs to the gateway
   * router's port on the node's external switch (and to its SNAT), so nothing on the DPU itself may
   * own it: br-ex gets no address (two owners of one IP on one segment would both answer ARP, and
   * ext's replies could reach the kernel instead of OVN).
   */
  public String externalIp(String dpu) {
    return lab.chassis(dpu).ports().externalIp();
  }

  /** The DPU's underlay (VTEP) address: the lab's 192.168.100.N unless {@link #replumb(String, String)} moved it. */
  public String underlayIp(String dpu) {
    return underlayIps.getOrDefault(dpu, lab.chassis(dpu).underlayIp());
  }

  /** {@link #externalIp} with ext's prefix length, as the agent reports it. */
  public String externalCidr(String dpu) {
    return externalIp(dpu) + "/" + LabNames.EXT_PREFIX_LENGTH;
  }

  /** The host namespace of VF {@code vf} on {@code dpu}; the same object for the same VF. */
  public synchronized LabHost host(String dpu, int vf) {
    String namespace = lab.chassis(dpu).hostNamespaces().get(vf);
    return hosts.computeIfAbsent(namespace, ns -> new LabHost(ns, dpu, vf, hostsDir, lab.network().extNamespace()));
  }

  /** Every host VF of the fleet, DPU by DPU. */
  public List<LabHost> hosts() {
    return lab.chassis().stream()
        .flatMap(c -> IntStream.range(0, c.hostNamespaces().size()).mapToObj(vf -> host(c.name(), vf)))
        .toList();
  }

  /**
   * Lab plumbing for {@code masquerade: false}: the external network must route the VPC's
   * addresses to a DPU, as a real data-centre router would (the gateway router then forwards
   * without SNAT). Adds {@code ip route replace <cidr> via <dpu's external IP>} in {@code ext}.
   */
  public void routeFromExt(String cidr, String dpu) {
    LabNetwork.runIn(lab.network().extNamespace(), COMMAND_TIMEOUT, "ip", "route", "replace", cidr, "via",
        externalIp(dpu)).orThrow();
  }

  /**
   * Lab plumbing after {@link DpuChassis#reprovision()}: the wiped OVS database lost {@code br-phy},
   * so the underlay address goes back onto a new one (the agent puts back its own bridges).
   */
  public void replumb(String dpu) {
    underlayOnBrPhy(lab.chassis(dpu), underlayIp(dpu));
  }

  /**
   * The same with a new underlay address in the underlay's /24 (a DPU reprovisioned into another
   * VTEP address); {@link #agentSettings} gives it from now on, so restart the agent with them.
   */
  public void replumb(String dpu, String newUnderlayIp) {
    underlayIps.put(dpu, newUnderlayIp);
    replumb(dpu);
  }

  /**
   * Stops every dhclient (the namespaces cannot go while a process lives in them), then takes the
   * lab down. Idempotent.
   *
   * @return one line per thing stopped or deleted
   */
  public synchronized List<String> down() {
    List<String> removed = new ArrayList<>(LabHost.stopDhclients(hostsDir));
    removed.addAll(lab.down());
    return removed;
  }

  /** Same as {@link #down()}. */
  @Override
  public void close() {
    down();
  }

  /**
   * Lab plumbing the agent does not do: the userspace datapath sends geneve only through an OVS
   * bridge that owns the tunnel's source address, so the underlay veth goes into a netdev bridge
   * {@code br-phy} and the underlay address moves onto its internal port. The agent leaves br-phy
   * alone (it carries no mark of ours). On a BlueField (kernel datapath) this is not needed.
   *
   * <p>br-phy gets a fixed MAC, as a BlueField's uplink has: a bridge made again after a
   * reprovision would otherwise get a new random one, and the peers' tunnel neighbour caches would
   * send geneve to the old MAC until their entries expire.
   */
  private static void underlayOnBrPhy(DpuChassis dpu, String underlayIp) {
    String mac = String.format("02:00:c0:a8:%02x:%02x", dpu.ports().number() / 256, dpu.ports().number() % 256);
    dpu.vsctl("--may-exist", "add-br", UNDERLAY_BRIDGE, "--", "set", "Bridge", UNDERLAY_BRIDGE, "datapath_type=netdev",
        "other_config:hwaddr=\"" + mac + "\"",
        "--", "--may-exist", "add-port", UNDERLAY_BRIDGE, dpu.underlayInterface(),
        "--", "set", "Interface", UNDERLAY_BRIDGE, "mtu_request=" + LabNames.UNDERLAY_MTU);
    dpu.runInNamespace("ip", "addr", "flush", "dev", dpu.underlayInterface()).orThrow();
    awaitInterface(dpu, UNDERLAY_BRIDGE);
    dpu.runInNamespace("ip", "addr", "flush", "dev", UNDERLAY_BRIDGE).orThrow();
    dpu.runInNamespace("ip", "addr", "add", underlayIp + "/" + LabNames.UNDERLAY_PREFIX_LENGTH, "dev", UNDERLAY_BRIDGE)
        .orThrow();
    dpu.runInNamespace("ip", "link", "set", UNDERLAY_BRIDGE, "up").orThrow();
  }

  /** ovs-vswitchd makes a bridge's internal port (a tap) a moment after the database says so. */
  private static void awaitInterface(DpuChassis dpu, String name) {
    long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
    ExternalCommand.Result last;
    do {
      last = dpu.runInNamespace("ip", "link", "show", name);
      if (last.ok()) {
        return;
      }
      sleep(Duration.ofMillis(50));
    } while (System.nanoTime() < deadline);
    throw new OvnLabException("no interface " + name + " in " + dpu.namespace() + ": " + last.describe());
  }

  private static Path hostsDir(Path workDir) {
    return workDir.toAbsolutePath().normalize().resolve(HOSTS_FOLDER);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OvnLabException("interrupted", e);
    }
  }
}
