package io.dpuvpc.app.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.app.datapath.DatapathScenario.Plugged;
import io.dpuvpc.app.lab.ConnectivityMatrix;
import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.app.lab.LabHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference's example 3 on four lab DPUs: tenants red and blue, each a VPC on its own labelled
 * nodes ({@code vpc.dpu.nvidia.com/tenant}, reported by the agents), both with the same subnet.
 * Every ordered pair of hosts is pinged: red reaches red, blue reaches blue, and no probe crosses
 * tenants; each host leaves through its own DPU's external address. Then a red host forges a blue
 * host's MAC, and then its address: still nothing crosses (and a forged MAC is dropped at the
 * host's own port, by the port security of its logical port).
 *
 * <p>One change to the example: blue's network excludes 192.178.0.2-9 from DHCP. Both switches
 * hand out addresses in the same order, so without it red and blue hosts would hold the same
 * addresses, and a red host pinging "a blue address" would be answered by the red host that holds
 * it: the probe could not tell isolation from its failure. The subnets still overlap entirely.
 */
class TwoTenantsE2E {
  @RegisterExtension
  static final DatapathExtension LAB = new DatapathExtension();

  static final String TENANT = "vpc.dpu.nvidia.com/tenant";
  static final List<String> DPUS = List.of("red1", "red2", "blu1", "blu2");

  private final DatapathScenario scenario = LAB.scenario();

  @Test
  void sameSubnetTwoTenantsReachOnlyTheirOwnAndLeaveThroughTheirOwnDpu() {
    // Example 3's interfaces ask for vfID 2: 3 VFs per DPU.
    LabFleet fleet = scenario.startLab(DatapathScenario.prefix('t'), DPUS, 3,
        dpu -> Map.of(TENANT, dpu.startsWith("red") ? "red" : "blue"));
    try {
      scenario.awaitNodesReady();
      scenario.applyIsolationClass();
      scenario.apply(blueExcludesLowAddresses(DatapathScenario.example("03-two-tenants.yaml")));
      List<Plugged> interfaces = scenario.awaitInterfaces(4);
      assertThat(interfaces).extracting(Plugged::name).containsExactlyInAnyOrder("rednet-vf2-red1",
          "rednet-vf2-red2", "bluenet-vf2-blu1", "bluenet-vf2-blu2");
      scenario.plugAndAwaitUp(interfaces);

      List<ConnectivityMatrix.Host> hosts = new ArrayList<>();
      for (String dpu : DPUS) {
        Plugged si = DatapathScenario.on(interfaces, dpu);
        String ip = scenario.lease(si);
        assertThat(ip).startsWith("192.178.");
        assertThat(si.host().defaultGateway()).isEqualTo("192.178.0.1");
        hosts.add(new ConnectivityMatrix.Host(dpu, si.host(), ip, fleet.externalIp(dpu)));
      }
      scenario.step("leased");

      ConnectivityMatrix matrix = ConnectivityMatrix.measure(hosts, (a, b) -> tenant(a).equals(tenant(b)));
      scenario.log("connectivity:%n%s", matrix.render());
      scenario.step("matrix measured");
      assertThat(matrix.asExpected()).as(matrix.render()).isTrue();
      // Isolation proven by pings that were sent and not answered, not by pings never sent.
      assertThat(matrix.probes()).filteredOn(p -> !p.expected()).hasSize(8);
      assertThat(matrix.egress()).hasSize(4);

      spoofingCrossesNothing(hosts);
    } finally {
      scenario.labDown();
    }
  }

  /**
   * red1 forges blu1's MAC, then blu1's address, then an unused address of its own network: no blue
   * host answers, and with the forged MAC or the unused red address not even red2 does (its own
   * port's security, MAC and address, drops the frames); with its own MAC and address back, red2
   * answers again, so the silence was the forgery's.
   */
  private void spoofingCrossesNothing(List<ConnectivityMatrix.Host> hosts) {
    ConnectivityMatrix.Host red1 = hosts.get(0);
    ConnectivityMatrix.Host red2 = hosts.get(1);
    ConnectivityMatrix.Host blu1 = hosts.get(2);
    ConnectivityMatrix.Host blu2 = hosts.get(3);
    LabHost host = red1.host();
    String ownMac = host.mac();
    String ownCidr = host.cidr().orElseThrow();
    String gateway = host.defaultGateway();
    host.stopDhcp(); // its renewals must not put the real address back while it is forged
    Duration silent = ConnectivityMatrix.UNREACHABLE_TIMEOUT;
    Duration answered = ConnectivityMatrix.REACHABLE_TIMEOUT;

    host.setMac(blu1.host().mac());
    boolean forgedMacToBlue = host.ping(blu2.ip(), silent);
    boolean forgedMacToRed = host.ping(red2.ip(), silent);
    host.setMac(ownMac);
    assertThat(host.ping(red2.ip(), answered)).as("red1 with its own MAC again reaches red2").isTrue();
    long back = host.lastPingMillis();

    host.flushAddresses();
    host.setAddress(blu1.ip() + "/16", gateway);
    boolean forgedIpToBlue = host.ping(blu2.ip(), silent);
    // An address of its own network that is nobody's: with the MAC alone in the port security,
    // red2 would answer it (and red1 would answer red2's ARP for it).
    String neighbour = unusedNeighbour(ownCidr, red2.ip());
    host.flushAddresses();
    host.setAddress(neighbour + ownCidr.substring(ownCidr.indexOf('/')), gateway);
    boolean forgedIpToRed = host.ping(red2.ip(), silent);
    host.flushAddresses();
    host.setAddress(ownCidr, gateway);
    assertThat(host.ping(red2.ip(), answered)).as("red1 with its own address again reaches red2").isTrue();

    scenario.log("spoofing from red1: blu1's MAC (%s) to blu2: %s, to red2: %s; blu1's address (%s) to blu2: %s;"
        + " an unused red address (%s) to red2: %s; own MAC back, red2 answered in %d ms", blu1.host().mac(),
        answer(forgedMacToBlue), answer(forgedMacToRed), blu1.ip(), answer(forgedIpToBlue), neighbour,
        answer(forgedIpToRed), back);
    assertThat(forgedMacToBlue).as("a forged MAC reaches no blue host").isFalse();
    assertThat(forgedMacToRed).as("a forged MAC is dropped at the host's own port: not even red2 answers").isFalse();
    assertThat(forgedIpToBlue).as("a forged blue address reaches no blue host").isFalse();
    assertThat(forgedIpToRed).as("an address of its own network that is not its own is dropped at the host's port:"
        + " red2 does not answer").isFalse();
    scenario.step("spoofing probed");
  }

  /** An address of the network of {@code cidr} (a.b.c.d/p) that is neither its own nor {@code other}'s. */
  private static String unusedNeighbour(String cidr, String other) {
    String own = cidr.substring(0, cidr.indexOf('/'));
    String prefix = own.substring(0, own.lastIndexOf('.') + 1);
    for (int last = 200; ; last++) {
      String candidate = prefix + last;
      if (!candidate.equals(own) && !candidate.equals(other)) {
        return candidate;
      }
    }
  }

  private static String answer(boolean answered) {
    return answered ? "ANSWERED" : "no answer";
  }

  private static String tenant(ConnectivityMatrix.Host host) {
    return host.name().substring(0, 3);
  }

  /** Adds an excludeIPs range to the bluenet document only (see the class comment). */
  static String blueExcludesLowAddresses(String yaml) {
    String[] documents = yaml.split("(?m)^---$");
    for (int i = 0; i < documents.length; i++) {
      if (documents[i].contains("kind: DPUVirtualNetwork") && documents[i].contains("name: bluenet\n")) {
        documents[i] = documents[i].replace("        subnet: 192.178.0.0/16\n", """
                    subnet: 192.178.0.0/16
                    excludeIPs:
                    - range:
                        start: 192.178.0.2
                        end: 192.178.0.9
            """);
      }
    }
    String edited = String.join("---", documents);
    assertThat(edited).as("the example changed shape").contains("end: 192.178.0.9");
    return edited;
  }
}
