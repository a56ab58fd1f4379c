package io.dpuvpc.app.lab;

import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.LabNames;
import io.dpuvpc.ovn.lab.LabNetwork;
import io.dpuvpc.ovn.lab.OvnLabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One host VF of the lab: a namespace whose {@code eth0} is the VF, its peer the DPU's
 * representor. What a host does on a BlueField's host side: take the MAC the product assigned,
 * lease an address, ping, talk to the outside. Every call runs a tool in the namespace
 * ({@code ip netns exec}); failures of the network are answers ({@link #ping} says false), failures
 * of the tools are {@link OvnLabException}s.
 */
public final class LabHost {
  private static final Pattern INET = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");
  private static final Pattern DEFAULT_VIA = Pattern.compile("default via (\\d+\\.\\d+\\.\\d+\\.\\d+)");
  private static final Pattern LINK_ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");
  private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
  private static final String PIDFILE_SUFFIX = ".pid";

  private final String namespace;
  private final String dpu;
  private final int vf;
  private final Path pidfile;
  private final Path leases;
  private final String extNamespace;
  private volatile long lastLeaseMillis = -1;
  private volatile long lastPingMillis = -1;

  LabHost(String namespace, String dpu, int vf, Path hostsDir, String extNamespace) {
    this.namespace = namespace;
    this.dpu = dpu;
    this.vf = vf;
    this.pidfile = hostsDir.resolve(namespace + PIDFILE_SUFFIX);
    this.leases = hostsDir.resolve(namespace + ".leases");
    this.extNamespace = extNamespace;
  }

  public String namespace() {
    return namespace;
  }

  public String dpu() {
    return dpu;
  }

  public int vf() {
    return vf;
  }

  /** {@code eth0}'s MAC address. */
  public String mac() {
    return first(LINK_ETHER, run("ip", "-o", "link", "show", "dev", LabNames.HOST_INTERFACE).orThrow().stdout())
        .orElseThrow(() -> new OvnLabException("no MAC on " + LabNames.HOST_INTERFACE + " in " + namespace));
  }

  /**
   * The MAC this host last resolved {@code ip} to on {@code eth0} (its neighbour table), if it
   * did: who actually answered a ping to an address on the host's own subnet.
   */
  public Optional<String> neighbourMac(String ip) {
    return first(LLADDR, run("ip", "neigh", "show", "to", ip, "dev", LabNames.HOST_INTERFACE).orThrow().stdout());
  }

  /** Gives {@code eth0} this MAC: port security lets only the ServiceInterface's MAC through. */
  public void setMac(String mac) {
    run("ip", "link", "set", LabNames.HOST_INTERFACE, "address", mac).orThrow();
  }

  /** Takes every address off {@code eth0} (and with them its routes): before a forged one is put on. */
  public void flushAddresses() {
    run("ip", "addr", "flush", "dev", LabNames.HOST_INTERFACE).orThrow();
  }

  /**
   * Puts a fixed address on {@code eth0} and a default route via {@code gateway}: for a host
   * without DHCP (an unknown-MAC port gets none from OVN).
   */
  public void setAddress(String cidr, String gateway) {
    run("ip", "addr", "replace", cidr, "dev", LabNames.HOST_INTERFACE).orThrow();
    run("ip", "route", "replace", "default", "via", gateway, "dev", LabNames.HOST_INTERFACE).orThrow();
  }

  /**
   * Leases an address ({@code dhclient -1}: one try, then it stays to renew); stops an earlier
   * dhclient of this host first.
   *
   * @return the leased IPv4 address
   * @throws OvnLabException with dhclient's output if no lease came within {@code timeout}
   */
  public String lease(Duration timeout) {
    stopDhcp();
    long t0 = System.nanoTime();
    ExternalCommand.Result dhcp = run(timeout, "dhclient", "-v", "-1", "-pf", pidfile.toString(), "-lf",
        leases.toString(), LabNames.HOST_INTERFACE);
    lastLeaseMillis = (System.nanoTime() - t0) / 1_000_000;
    if (!dhcp.ok() || !dhcp.stderr().contains("DHCPACK")) {
      throw new OvnLabException("no DHCP lease in " + namespace + ": " + dhcp.describe());
    }
    return address().orElseThrow(() -> new OvnLabException("dhclient in " + namespace
        + " got DHCPACK but eth0 has no IPv4 address: " + dhcp.describe()));
  }

  /** How long the last {@link #lease} took, in ms (-1 before the first). */
  public long lastLeaseMillis() {
    return lastLeaseMillis;
  }

  /** The IPv4 address on {@code eth0}, if any. */
  public Optional<String> address() {
    return first(INET, run("ip", "-4", "-o", "addr", "show", "dev", LabNames.HOST_INTERFACE).orThrow().stdout());
  }

  /** {@code eth0}'s address with its prefix length, e.g. {@code 192.178.0.3/16}, if any. */
  public Optional<String> cidr() {
    Matcher m = Pattern.compile("inet (\\S+)").matcher(run("ip", "-4", "-o", "addr", "show", "dev",
        LabNames.HOST_INTERFACE).orThrow().stdout());
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The default route's next hop.
   *
   * @throws OvnLabException if the host has no default route
   */
  public String defaultGateway() {
    String routes = run("ip", "-4", "route", "show", "default").orThrow().stdout();
    return first(DEFAULT_VIA, routes)
        .orElseThrow(() -> new OvnLabException("no default route in " + namespace + ": '" + routes.strip() + "'"));
  }

  /**
   * Pings {@code ip} ({@code ping -c1 -W1}) until one answer or {@code timeout}; records the time
   * to the answer, or to giving up, in {@link #lastPingMillis}.
   *
   * @return whether an answer came
   */
  public boolean ping(String ip, Duration timeout) {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    boolean reached;
    do {
      reached = run("ping", "-c", "1", "-W", "1", "-n", ip).ok();
    } while (!reached && System.nanoTime() < deadline);
    lastPingMillis = (System.nanoTime() - t0) / 1_000_000;
    return reached;
  }

  /** How long the last {@link #ping} took to its answer or to giving up, in ms (-1 before the first). */
  public long lastPingMillis() {
    return lastPingMillis;
  }

  /**
   * Connects to {@code ext}'s echo service (TCP port {@value LabNames#ECHO_PORT} on
   * {@value LabNames#EXT_GATEWAY_IP}), retrying until {@code timeout}, and returns the source
   * address it saw: the DPU's external address when masqueraded, the host's own address when not.
   *
   * @throws OvnLabException if no connection answered within {@code timeout}
   */
  public String echoSource(Duration timeout) {
    String client = "import socket; s = socket.create_connection(('" + LabNames.EXT_GATEWAY_IP + "', "
        + LabNames.ECHO_PORT + "), 2); print(s.recv(100).decode().strip())";
    long deadline = System.nanoTime() + timeout.toNanos();
    ExternalCommand.Result last;
    do {
      last = run("/usr/bin/python3", "-c", client);
      if (last.ok() && !last.stdout().isBlank()) {
        return last.stdout().strip();
      }
      LabFleet.sleep(Duration.ofMillis(200));
    } while (System.nanoTime() < deadline);
    throw new OvnLabException("no answer from the echo service in " + extNamespace + " to " + namespace + " within "
        + timeout + ": " + last.describe());
  }

  /** Stops this host's dhclient, if it runs; its address stays on {@code eth0}. */
  public void stopDhcp() {
    stopByPidfile(pidfile);
  }

  @Override
  public String toString() {
    return "LabHost[" + namespace + ", dpu=" + dpu + ", vf=" + vf + "]";
  }

  /** Stops every dhclient whose pidfile is in {@code hostsDir}; returns one line per process stopped. */
  static List<String> stopDhclients(Path hostsDir) {
    List<String> stopped = new ArrayList<>();
    if (!Files.isDirectory(hostsDir)) {
      return stopped;
    }
    try (Stream<Path> files = Files.list(hostsDir)) {
      files.filter(f -> f.getFileName().toString().endsWith(PIDFILE_SUFFIX)).sorted()
          .forEach(f -> stopByPidfile(f).ifPresent(pid -> stopped.add("dhclient pid " + pid)));
    } catch (IOException e) {
      throw new OvnLabException("cannot list " + hostsDir + ": " + e.getMessage(), e);
    }
    return stopped;
  }

  /** SIGTERM, SIGKILL after 5 s; only a dhclient (a recycled pid is left alone). */
  private static Optional<Long> stopByPidfile(Path pidfile) {
    Optional<Long> pid = readPid(pidfile);
    Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of)
        .filter(p -> p.info().command().map(c -> c.endsWith("dhclient")).orElse(false));
    process.ifPresent(p -> {
      p.destroy();
      p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> {
        p.destroyForcibly();
        return p;
      }).join();
    });
    try {
      Files.deleteIfExists(pidfile);
    } catch (IOException e) {
      throw new OvnLabException("cannot delete " + pidfile + ": " + e.getMessage(), e);
    }
    return process.isPresent() ? pid : Optional.empty();
  }

  private static Optional<Long> readPid(Path pidfile) {
    try {
      return Files.exists(pidfile) ? Optional.of(Long.parseLong(Files.readString(pidfile).strip())) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> first(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private ExternalCommand.Result run(String... command) {
    return run(LabFleet.COMMAND_TIMEOUT, command);
  }

  private ExternalCommand.Result run(Duration timeout, String... command) {
    return LabNetwork.runIn(namespace, timeout, command);
  }
}
