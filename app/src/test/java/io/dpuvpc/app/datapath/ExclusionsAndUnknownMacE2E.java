package io.dpuvpc.app.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.app.datapath.DatapathScenario.Plugged;
import io.dpuvpc.app.lab.ConnectivityMatrix;
import io.dpuvpc.app.lab.LabFleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference's example 4 on two lab DPUs, with what it leaves open made concrete: its network
 * (DHCP exclusions) with {@code masquerade: false}, one DHCP interface (VF 2) and one unknown-MAC
 * interface (VF 1, the {@code ovn.vpc.dpu.nvidia.com/unknown-mac} annotation) on every DPU.
 *
 * <ul>
 *   <li>Exclusions: the subnet is narrowed to 192.178.100.0/24 and .2-.9 excluded too, so that the
 *       example's own exclusions (.10, .100-.110) are next in line: the leases must be .11 and .12.
 *   <li>No masquerade: {@code ext} sees each host's own address. The gateway routers forward
 *       without SNAT, so the external network must route the VPC's addresses to the DPUs, as a data
 *       centre's router would: the test adds one /32 route per host in {@code ext} via its DPU's
 *       external address ({@link LabFleet#routeFromExt}, lab plumbing).
 *   <li>Unknown MAC: the host keeps its own MAC (its veth's, not in OVN), takes a fixed address
 *       (OVN's DHCP answers only ports with a known MAC) and reaches every other host.
 * </ul>
 */
class ExclusionsAndUnknownMacE2E {
  @RegisterExtension
  static final DatapathExtension LAB = new DatapathExtension();

  static final String VPC_YAML = """
      apiVersion: vpc.dpu.nvidia.com/v1alpha1
      kind: DPUVPC
      metadata:
        name: example-vpc
        namespace: default
      spec:
        tenant: foo
        isolationClassName: ovn.vpc.dpu.nvidia.com
        interNetworkAccess: true
        nodeSelector: {}
      ---
      """;
  static final String VF_INTERFACES = """
      ---
      apiVersion: svc.dpu.nvidia.com/v1alpha1
      kind: DPUServiceInterface
      metadata:
        name: dhcp-vf2
        namespace: default
      spec:
        template:
          spec:
            template:
              spec:
                interfaceType: vf
                vf:
                  pfID: 0
                  vfID: 2
                  parentInterfaceRef: ""
                virtualNetwork: example-network
      ---
      apiVersion: svc.dpu.nvidia.com/v1alpha1
      kind: DPUServiceInterface
      metadata:
        name: unknown-mac-vf1
        namespace: default
      spec:
        template:
          spec:
            template:
              metadata:
                annotations:
                  ovn.vpc.dpu.nvidia.com/unknown-mac: "true"
              spec:
                interfaceType: vf
                vf:
                  pfID: 0
                  vfID: 1
                  parentInterfaceRef: ""
                virtualNetwork: example-network
      """;
  static final Set<String> EXCLUDED = Set.of("192.178.100.2", "192.178.100.3", "192.178.100.4", "192.178.100.5",
      "192.178.100.6", "192.178.100.7", "192.178.100.8", "192.178.100.9", "192.178.100.10");

  private final DatapathScenario scenario = LAB.scenario();

  @Test
  void exclusionsAreNeverLeasedUnmasqueradedHostsLeaveWithTheirOwnAddressAndUnknownMacsPass() {
    LabFleet fleet = scenario.startLab(DatapathScenario.prefix('x'), List.of("a", "b"), 3, dpu -> Map.of());
    try {
      scenario.awaitNodesReady();
      scenario.applyIsolationClass();
      scenario.apply(VPC_YAML + network() + VF_INTERFACES);
      List<Plugged> interfaces = scenario.awaitInterfaces(4);
      List<Plugged> dhcp = interfaces.stream().filter(si -> si.name().startsWith("dhcp-")).toList();
      List<Plugged> unknown = interfaces.stream().filter(si -> si.name().startsWith("unknown-mac-")).toList();
      assertThat(dhcp).extracting(Plugged::node).containsExactlyInAnyOrder("a", "b");
      assertThat(unknown).extracting(Plugged::node).containsExactlyInAnyOrder("a", "b");
      String excludeIps = scenario.ovn().nbctl("get", "Logical_Switch", switchName(), "other_config:exclude_ips");
      assertThat(excludeIps).contains("192.178.100.10", "192.178.100.100..192.178.100.110",
          "192.178.100.2..192.178.100.9");
      for (Plugged si : unknown) {
        assertThat(scenario.ovn().nbctl("get", "Logical_Switch_Port", si.logicalPort(), "addresses").strip())
            .isEqualTo("[unknown]");
      }
      assertThat(scenario.ovn().nbctl("--bare", "--columns=type", "list", "NAT").strip()).as("no SNAT").isEmpty();

      scenario.plugAndAwaitUp(dhcp);
      scenario.awaitUp(unknown);
      List<ConnectivityMatrix.Host> hosts = new ArrayList<>();
      for (Plugged si : dhcp) {
        String ip = scenario.lease(si);
        assertThat(ip).startsWith("192.178.100.").isNotIn(EXCLUDED);
        int last = Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
        assertThat(last).isBetween(11, 99);
        fleet.routeFromExt(ip + "/32", si.node());
        hosts.add(new ConnectivityMatrix.Host("dhcp-" + si.node(), si.host(), ip, ip));
      }
      assertThat(hosts).extracting(ConnectivityMatrix.Host::ip)
          .containsExactlyInAnyOrder("192.178.100.11", "192.178.100.12");
      int fixed = 200;
      for (Plugged si : unknown) {
        String ip = "192.178.100." + fixed++;
        si.host().setAddress(ip + "/24", "192.178.100.1");
        hosts.add(new ConnectivityMatrix.Host("unknown-" + si.node(), si.host(), ip, null));
      }
      scenario.step("addressed");

      ConnectivityMatrix matrix = ConnectivityMatrix.measure(hosts, (from, to) -> true);
      scenario.log("connectivity:%n%s", matrix.render());
      assertThat(matrix.asExpected()).as(matrix.render()).isTrue();
      assertThat(matrix.egress()).extracting(ConnectivityMatrix.Egress::seenSource)
          .containsExactlyInAnyOrder("192.178.100.11", "192.178.100.12");
      // The unknown-MAC hosts spoke with MACs OVN does not know: their ports let them through.
      String knownMacs = scenario.ovn().nbctl("--bare", "--columns=addresses,dynamic_addresses", "list",
          "Logical_Switch_Port");
      for (Plugged si : unknown) {
        String mac = si.host().mac();
        assertThat(knownMacs).as("the unknown-MAC host's MAC " + mac).doesNotContain(mac);
      }
    } finally {
      scenario.labDown();
    }
  }

  /** Example 4's network, narrowed (see the class comment), without masquerade. */
  private static String network() {
    String example = DatapathScenario.example("04-exclusions-and-unknown-mac.yaml").split("(?m)^---$")[0];
    String edited = example
        .replace("masquerade: true", "masquerade: false")
        .replace("subnet: 192.178.0.0/16", "subnet: 192.178.100.0/24")
        .replace("        excludeIPs:\n", """
                    excludeIPs:
                    - range:
                        start: 192.178.100.2
                        end: 192.178.100.9
            """);
    assertThat(edited).as("the example changed shape").contains("masquerade: false", "192.178.100.0/24",
        "end: 192.178.100.9", "ip: 192.178.100.10", "end: 192.178.100.110");
    return edited;
  }

  private String switchName() {
    return scenario.ovn().nbctl("--bare", "--columns=name", "find", "Logical_Switch",
        "other_config:subnet=\"192.178.100.0/24\"").strip();
  }
}
