package io.dpuvpc.app.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.app.datapath.DatapathScenario.Plugged;
import io.dpuvpc.app.lab.ConnectivityMatrix;
import io.dpuvpc.app.lab.LabFleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference's example 3 on four lab DPUs: tenants red and blue, each a VPC on its own labelled
 * nodes ({@code vpc.dpu.nvidia.com/tenant}, reported by the agents), both with the same subnet.
 * Every ordered pair of hosts is pinged: red reaches red, blue reaches blue, and no probe crosses
 * tenants; each host leaves through its own DPU's external address.
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
    } finally {
      scenario.labDown();
    }
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
