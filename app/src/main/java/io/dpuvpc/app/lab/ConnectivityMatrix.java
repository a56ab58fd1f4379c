package io.dpuvpc.app.lab;

import io.dpuvpc.ovn.lab.LabNames;
import io.dpuvpc.ovn.lab.OvnLabException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Who reaches whom, measured: every ordered pair of hosts pinged, and each host's way out (a ping
 * to {@code ext} and the source {@code ext}'s echo service sees), each compared with what the
 * topology promises. A pair expected apart gets a short timeout (an isolation that holds costs
 * every probe its full timeout), a pair expected together a long one (the first packets of a flow
 * wait for ARP and the datapath's upcalls).
 *
 * <p>{@link #render()} is a text table for a terminal or a test log.
 */
public final class ConnectivityMatrix {
  public static final Duration REACHABLE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration UNREACHABLE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * A host to measure: its name in the table, where it is, its address, and the source {@code ext}
   * should see from it (its DPU's external address when masqueraded, its own address when not; null
   * to skip its egress).
   */
  public record Host(String name, LabHost host, String ip, String egressSource) {
    public Host {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(ip, "ip");
    }
  }

  /**
   * One ping from one host to another: whether it should answer, whether it did (the answer came
   * from the target, not from another holder of its address), and how long it took. {@code
   * ownAddress}: the target holds the source's own address (two tenants, one subnet), so no probe
   * was sent; as expected only when the pair should be apart.
   */
  public record Probe(String from, String to, boolean expected, boolean reached, long millis, boolean ownAddress) {
    public boolean asExpected() {
      return ownAddress ? !expected : expected == reached;
    }
  }

  /** One host's way out: the ping to ext's gateway, and the source ext saw (null: no answer). */
  public record Egress(String host, boolean pinged, long millis, String expectedSource, String seenSource) {
    public boolean asExpected() {
      return pinged && expectedSource.equals(seenSource);
    }
  }

  private final List<Host> hosts;
  private final List<Probe> probes;
  private final List<Egress> egress;

  private ConnectivityMatrix(List<Host> hosts, List<Probe> probes, List<Egress> egress) {
    this.hosts = List.copyOf(hosts);
    this.probes = List.copyOf(probes);
    this.egress = List.copyOf(egress);
  }

  /** A matrix of probes and egress measured elsewhere (or made up, for a test of the table). */
  static ConnectivityMatrix of(List<Host> hosts, List<Probe> probes, List<Egress> egress) {
    return new ConnectivityMatrix(hosts, probes, egress);
  }

  /** {@link #measure(List, BiPredicate, Duration, Duration)} with the default timeouts. */
  public static ConnectivityMatrix measure(List<Host> hosts, BiPredicate<Host, Host> expected) {
    return measure(hosts, expected, REACHABLE_TIMEOUT, UNREACHABLE_TIMEOUT);
  }

  /**
   * Pings every ordered pair of distinct hosts (one after the other: two cores, and a parallel
   * probe's time would include the others'), then measures each host's egress.
   *
   * @param expected whether the first host should reach the second
   */
  public static ConnectivityMatrix measure(List<Host> hosts, BiPredicate<Host, Host> expected, Duration reachable,
      Duration unreachable) {
    List<Probe> probes = new ArrayList<>();
    for (Host from : hosts) {
      for (Host to : hosts) {
        if (from == to) {
          continue;
        }
        boolean wanted = expected.test(from, to);
        if (from.ip().equals(to.ip())) {
          // Two tenants with one subnet: the target's address is the source's own, and a ping
          // would answer itself. Such a pair cannot be probed by address; it says so.
          probes.add(new Probe(from.name(), to.name(), wanted, false, 0, true));
          continue;
        }
        boolean reached = from.host().ping(to.ip(), wanted ? reachable : unreachable);
        long millis = from.host().lastPingMillis();
        if (reached) {
          // An answer from the target's address is not an answer from the target: with overlapping
          // subnets another host of the source's own tenant may hold it. On the source's subnet the
          // neighbour table says who answered.
          String answered = from.host().neighbourMac(to.ip()).orElse(null);
          reached = answered == null || answered.equalsIgnoreCase(to.host().mac());
        }
        probes.add(new Probe(from.name(), to.name(), wanted, reached, millis, false));
      }
    }
    List<Egress> egress = new ArrayList<>();
    for (Host h : hosts) {
      if (h.egressSource() == null) {
        continue;
      }
      boolean pinged = h.host().ping(LabNames.EXT_GATEWAY_IP, reachable);
      long millis = h.host().lastPingMillis();
      String seen;
      try {
        seen = h.host().echoSource(reachable);
      } catch (OvnLabException e) {
        seen = null;
      }
      egress.add(new Egress(h.name(), pinged, millis, h.egressSource(), seen));
    }
    return new ConnectivityMatrix(hosts, probes, egress);
  }

  public List<Probe> probes() {
    return probes;
  }

  public List<Egress> egress() {
    return egress;
  }

  /** Whether every probe and every egress came out as the topology promises. */
  public boolean asExpected() {
    return probes.stream().allMatch(Probe::asExpected) && egress.stream().allMatch(Egress::asExpected);
  }

  /**
   * The table: rows are sources, columns destinations; {@code yes}/{@code no} as expected,
   * {@code NO!} (should have answered) and {@code YES!} (should not have) when not; then one line
   * per host's egress.
   */
  public String render() {
    int longest = hosts.stream().mapToInt(h -> h.name().length()).max().orElse(0);
    int width = Math.max("from\\to".length(), longest) + 2;
    String cell = "%-" + width + "s";
    StringBuilder out = new StringBuilder();
    out.append(String.format(cell, "from\\to"));
    hosts.forEach(h -> out.append(String.format(cell, h.name())));
    out.append('\n');
    for (Host from : hosts) {
      out.append(String.format(cell, from.name()));
      for (Host to : hosts) {
        out.append(String.format(cell, from == to ? "-" : mark(probe(from.name(), to.name()))));
      }
      out.append('\n');
    }
    long slowest = probes.stream().filter(p -> p.reached()).mapToLong(Probe::millis).max().orElse(0);
    out.append(String.format("%d probes, %d as expected; slowest answer %d ms%n", probes.size(),
        probes.stream().filter(Probe::asExpected).count(), slowest));
    if (probes.stream().anyMatch(Probe::ownAddress)) {
      out.append("(own): the target holds the source's own address (one subnet in both tenants): not probed\n");
    }
    for (Egress e : egress) {
      out.append(String.format("egress %-" + width + "s ping %s %s (%d ms), %s saw %s, expected %s: %s%n", e.host(),
          LabNames.EXT_GATEWAY_IP, e.pinged() ? "answered" : "NO ANSWER", e.millis(), "ext",
          e.seenSource() == null ? "nothing" : e.seenSource(), e.expectedSource(), e.asExpected() ? "ok" : "WRONG"));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }

  private Probe probe(String from, String to) {
    return probes.stream().filter(p -> p.from().equals(from) && p.to().equals(to)).findFirst().orElseThrow();
  }

  private static String mark(Probe p) {
    if (p.ownAddress()) {
      return p.asExpected() ? "(own)" : "NO!";
    }
    if (p.asExpected()) {
      return p.reached() ? "yes" : "no";
    }
    return p.reached() ? "YES!" : "NO!";
  }
}
