package io.dpuvpc.app.cluster;

import static io.dpuvpc.app.cluster.ClusterFixture.ASK;
import static io.dpuvpc.app.cluster.ClusterFixture.condition;
import static io.dpuvpc.app.cluster.ClusterFixture.get;
import static io.dpuvpc.app.cluster.ClusterFixture.overrides;
import static io.dpuvpc.app.cluster.ClusterFixture.uniqueKeyspace;
import static io.dpuvpc.app.cluster.ClusterFixture.upMembers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DeleteReply;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.ExcludeIp;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.MacAddresses;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.validation.DpuVirtualNetworkValidator;
import io.dpuvpc.actors.validation.ValidationReasons;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.northbound.NbNames;
import io.dpuvpc.ovn.northbound.NbTables;
import io.dpuvpc.ovn.northbound.NorthboundBridge;
import io.dpuvpc.ovn.northbound.NorthboundRouter;
import io.dpuvpc.ovn.northbound.Ownership;
import io.dpuvpc.persistence.cassandra.SharedCassandra;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The spec's examples 1–4 ({@code spec/examples/*.yaml}, built here in Java as the YAML says)
 * through the real path: entities on a one-node controller → sharded entities → the node's
 * Northbound router → Northbound bridge → a real ovsdb-server with ovn-northd. Each example is
 * applied in its own namespace, its conditions awaited, the exact Northbound rows asserted with
 * ovn-nbctl, and everything deleted again through the entities until no row of ours is left.
 * Examples 1, 2 and 4 select every DPU node ({@code nodeSelector: {}}) and a node belongs to one
 * VPC at most, so they run one after another on one controller node. Bad input stays out of OVN.
 * Example 3 stays in place across a controller restart, after which the new node's bridge writes
 * nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesNorthboundIT {
  @RegisterExtension
  static final OvnCentralExtension OVN = new OvnCentralExtension();

  private static final String CLUSTER = "examples";
  /** As in 00-isolationclass.yaml, with the test's Northbound and a 1 s reconnect. */
  private static final String ISOLATION_CLASS = IsolationClassSpec.PROVISIONER;
  private static final String NETWORK_LABEL = "vpc.dpu.nvidia.com/network";
  private static final String TENANT_LABEL = "vpc.dpu.nvidia.com/tenant";
  private static final Duration CONVERGE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Config overrides;
  private ControllerNode node;
  private final long t0 = System.nanoTime();

  @BeforeAll
  void startController() {
    overrides = overrides(SharedCassandra.get(), uniqueKeyspace("examples"), "");
    node = startNode();
    IsolationClassSpec spec = new IsolationClassSpec(IsolationClassSpec.PROVISIONER, Map.of(
        IsolationClassSpec.NB_ENDPOINT, OVN.central().nbTcpEndpoint(), IsolationClassSpec.NB_RECONNECT_TIME, "1"));
    assertThat(applied(node.directory().isolationClass(ISOLATION_CLASS)
        .ask(replyTo -> new IsolationClassEntity.Apply(spec, replyTo), ASK))).isInstanceOf(ApplyReply.Accepted.class);
    log("controller up, IsolationClass applied");
  }

  @AfterAll
  void stopController() {
    if (node != null) {
      node.close();
    }
  }

  private ControllerNode startNode() {
    ControllerNode started = ControllerNode.start(ControllerNode.Settings.loopback(CLUSTER, 0, overrides),
        Clock.systemUTC());
    await().atMost(Duration.ofSeconds(30)).until(() -> upMembers(started) == 1);
    return started;
  }

  // ---- the examples, as the YAML says

  /** Example 1: one VPC, one network, one VF interface on every DPU node (two here). */
  private Example example1() {
    String ns = "ex1";
    return new Example(ns,
        List.of(new Node("e1-a", Map.of(), "172.16.0.11/24"), new Node("e1-b", Map.of(), "172.16.0.12/24")),
        Map.of("testvpc", new DpuVpcSpec("foo", ISOLATION_CLASS, true, LabelSelector.EVERYTHING)),
        Map.of("testnet1", network("testvpc", LabelSelector.EVERYTHING, "192.178.0.0/16", List.of())),
        Map.of("testnet1-vf2", vfInterface(LabelSelector.EVERYTHING, "testnet1")));
  }

  /** Example 2: one VPC, two networks, interfaces on two labelled groups of DPU nodes. */
  private Example example2() {
    String ns = "ex2";
    return new Example(ns,
        List.of(new Node("e2-a", Map.of(NETWORK_LABEL, "testnet1"), "172.16.0.21/24"),
            new Node("e2-b", Map.of(NETWORK_LABEL, "testnet2"), "172.16.0.22/24")),
        Map.of("testvpc", new DpuVpcSpec("foo", ISOLATION_CLASS, true, LabelSelector.EVERYTHING)),
        Map.of("testnet1", network("testvpc", LabelSelector.EVERYTHING, "192.178.0.0/16", List.of()),
            "testnet2", network("testvpc", LabelSelector.EVERYTHING, "192.188.0.0/16", List.of())),
        Map.of("testnet1-vf2", vfInterface(LabelSelector.ofLabels(Map.of(NETWORK_LABEL, "testnet1")), "testnet1"),
            "testnet2-vf2", vfInterface(LabelSelector.ofLabels(Map.of(NETWORK_LABEL, "testnet2")), "testnet2")));
  }

  /** Example 3: two tenants, each its VPC on its own labelled nodes, both with the SAME subnet. */
  private Example example3() {
    String ns = "ex3";
    LabelSelector red = LabelSelector.ofLabels(Map.of(TENANT_LABEL, "red"));
    LabelSelector blue = LabelSelector.ofLabels(Map.of(TENANT_LABEL, "blue"));
    return new Example(ns,
        List.of(new Node("e3-red", Map.of(TENANT_LABEL, "red"), "172.16.0.31/24"),
            new Node("e3-blue", Map.of(TENANT_LABEL, "blue"), "172.16.0.32/24")),
        Map.of("redvpc", new DpuVpcSpec("red", ISOLATION_CLASS, true, red),
            "bluevpc", new DpuVpcSpec("blue", ISOLATION_CLASS, true, blue)),
        Map.of("bluenet", network("bluevpc", blue, "192.178.0.0/16", List.of()),
            "rednet", network("redvpc", red, "192.178.0.0/16", List.of())),
        Map.of("rednet-vf2", vfInterface(red, "rednet"), "bluenet-vf2", vfInterface(blue, "bluenet")));
  }

  /**
   * Example 4: DHCP exclusions and a service interface with the unknown-mac annotation. The YAML
   * has no VPC: ours closes inter-network access, so the priority-300 drop is exercised too.
   */
  private Example example4() {
    String ns = "ex4";
    return new Example(ns,
        List.of(new Node("e4-a", Map.of(), "172.16.0.41/24")),
        Map.of("example-vpc", new DpuVpcSpec("example", ISOLATION_CLASS, false, LabelSelector.EVERYTHING)),
        Map.of("example-network", network("example-vpc", null, "192.178.0.0/16",
            List.of(ExcludeIp.ip("192.178.100.10"), ExcludeIp.range("192.178.100.100", "192.178.100.110")))),
        Map.of("unknown-mac-sf", DpuServiceInterfaceSpec.of(LabelSelector.EVERYTHING,
            Map.of(Annotations.UNKNOWN_MAC, "true"),
            ServiceInterfaceSpec.service("my-service", "my-sf", "dpf-operator-system/mybrint-vpc-nodhcp",
                "example-network"))));
  }

  private static DpuVirtualNetworkSpec network(String vpc, LabelSelector selector, String subnet,
                                               List<ExcludeIp> exclusions) {
    return new DpuVirtualNetworkSpec(vpc, selector, DpuVirtualNetworkSpec.BRIDGED, true, true,
        new DpuVirtualNetworkSpec.BridgedNetwork(new DpuVirtualNetworkSpec.Ipam(new Ipv4Ipam(true, subnet, exclusions))));
  }

  private static DpuServiceInterfaceSpec vfInterface(LabelSelector selector, String network) {
    return DpuServiceInterfaceSpec.of(selector, Map.of(), ServiceInterfaceSpec.vf(0, 2, network));
  }

  // ---- the tests

  @Test
  @Order(1)
  void example1OneVpcOneNetworkOneVfOnEveryNode() {
    Example ex = example1();
    apply(ex);
    Map<String, ServiceInterfaceEntity.Status> ports = awaitReconciled(ex);
    Nb nb = Nb.read();
    String p = NbNames.addressSetPrefix("ex1", "testvpc");

    assertThat(nb.names("Logical_Router")).containsExactly(
        "gw_ex1_testvpc_e1-a", "gw_ex1_testvpc_e1-b", "vpc_ex1_testvpc");
    assertThat(nb.names("Logical_Switch")).containsExactly(
        "ext_e1-a", "ext_e1-b", "join_ex1_testvpc", "net_ex1_testnet1");
    assertThat(nb.row("Logical_Switch", "net_ex1_testnet1").map("other_config"))
        .isEqualTo(Map.of("subnet", "192.178.0.0/16", "exclude_ips", "192.178.0.1"));
    assertDhcp(nb, "ex1", "testnet1", "192.178.0.0/16", "192.178.0.1");
    assertThat(nb.nats()).containsExactlyInAnyOrder(
        "gw_ex1_testvpc_e1-a snat 172.16.0.11 192.178.0.0/16",
        "gw_ex1_testvpc_e1-b snat 172.16.0.12 192.178.0.0/16");
    assertThat(nb.row("Logical_Router", "gw_ex1_testvpc_e1-a").map("options")).containsEntry("chassis", "e1-a");
    assertThat(nb.policies("vpc_ex1_testvpc")).containsExactlyInAnyOrder(
        "200 allow ip4.dst == $" + p + "_subnets",
        "100 reroute ip4.src == " + ports.get("testnet1-vf2-e1-a").ip(),
        "100 reroute ip4.src == " + ports.get("testnet1-vf2-e1-b").ip());
    assertPorts(nb, ex, ports);
    assertOwnership(nb, ex);

    deleteAndAwaitNoRowOfOurs(ex);
  }

  @Test
  @Order(2)
  void example2OneVpcTwoNetworksOnTwoLabelledGroups() {
    Example ex = example2();
    apply(ex);
    Map<String, ServiceInterfaceEntity.Status> ports = awaitReconciled(ex);
    Nb nb = Nb.read();
    String p = NbNames.addressSetPrefix("ex2", "testvpc");

    assertThat(ports).containsOnlyKeys("testnet1-vf2-e2-a", "testnet2-vf2-e2-b");
    assertThat(nb.names("Logical_Router")).containsExactly(
        "gw_ex2_testvpc_e2-a", "gw_ex2_testvpc_e2-b", "vpc_ex2_testvpc");
    assertThat(nb.names("Logical_Switch")).containsExactly(
        "ext_e2-a", "ext_e2-b", "join_ex2_testvpc", "net_ex2_testnet1", "net_ex2_testnet2");
    assertThat(nb.row("Logical_Switch", "net_ex2_testnet1").map("other_config"))
        .isEqualTo(Map.of("subnet", "192.178.0.0/16", "exclude_ips", "192.178.0.1"));
    assertThat(nb.row("Logical_Switch", "net_ex2_testnet2").map("other_config"))
        .isEqualTo(Map.of("subnet", "192.188.0.0/16", "exclude_ips", "192.188.0.1"));
    assertDhcp(nb, "ex2", "testnet1", "192.178.0.0/16", "192.178.0.1");
    assertDhcp(nb, "ex2", "testnet2", "192.188.0.0/16", "192.188.0.1");
    // One SNAT per externally routed, masqueraded network per gateway node.
    assertThat(nb.nats()).containsExactlyInAnyOrder(
        "gw_ex2_testvpc_e2-a snat 172.16.0.21 192.178.0.0/16",
        "gw_ex2_testvpc_e2-a snat 172.16.0.21 192.188.0.0/16",
        "gw_ex2_testvpc_e2-b snat 172.16.0.22 192.178.0.0/16",
        "gw_ex2_testvpc_e2-b snat 172.16.0.22 192.188.0.0/16");
    assertThat(nb.policies("vpc_ex2_testvpc")).containsExactlyInAnyOrder(
        "200 allow ip4.dst == $" + p + "_subnets",
        "100 reroute ip4.src == " + ports.get("testnet1-vf2-e2-a").ip(),
        "100 reroute ip4.src == " + ports.get("testnet2-vf2-e2-b").ip());
    assertThat(ports.get("testnet1-vf2-e2-a").ip()).startsWith("192.178.");
    assertThat(ports.get("testnet2-vf2-e2-b").ip()).startsWith("192.188.");
    assertPorts(nb, ex, ports);
    assertOwnership(nb, ex);

    deleteAndAwaitNoRowOfOurs(ex);
  }

  @Test
  @Order(3)
  void example4ExclusionsAndAnUnknownMacServiceInterface() {
    Example ex = example4();
    apply(ex);
    Map<String, ServiceInterfaceEntity.Status> ports = awaitReconciled(ex);
    Nb nb = Nb.read();
    String p = NbNames.addressSetPrefix("ex4", "example-vpc");

    assertThat(ports).containsOnlyKeys("unknown-mac-sf-e4-a");
    assertThat(nb.names("Logical_Router")).containsExactly("gw_ex4_example-vpc_e4-a", "vpc_ex4_example-vpc");
    assertThat(nb.names("Logical_Switch")).containsExactly(
        "ext_e4-a", "join_ex4_example-vpc", "net_ex4_example-network");
    assertThat(nb.row("Logical_Switch", "net_ex4_example-network").map("other_config")).isEqualTo(Map.of(
        "subnet", "192.178.0.0/16",
        "exclude_ips", "192.178.0.1 192.178.100.10 192.178.100.100..192.178.100.110"));
    assertDhcp(nb, "ex4", "example-network", "192.178.0.0/16", "192.178.0.1");
    assertThat(nb.nats()).containsExactly("gw_ex4_example-vpc_e4-a snat 172.16.0.41 192.178.0.0/16");
    // interNetworkAccess false: the drop at 300 (gateways excepted); no address, so no reroute.
    assertThat(nb.policies("vpc_ex4_example-vpc")).containsExactlyInAnyOrder(
        "200 allow ip4.dst == $" + p + "_subnets",
        "300 drop ip4.src == $" + p + "_subnets && ip4.dst == $" + p + "_subnets && ip4.src != $" + p + "_gwips");
    Row lsp = nb.row("Logical_Switch_Port", "ex4_unknown-mac-sf-e4-a");
    assertThat(lsp.set("addresses")).containsExactly("unknown");
    assertThat(lsp.set("port_security")).isEmpty();
    assertThat(lsp.set("dhcpv4_options")).isEmpty();
    assertThat(lsp.set("dynamic_addresses")).isEmpty();
    assertThat(ports.get("unknown-mac-sf-e4-a").ip()).isNull();
    assertOwnership(nb, ex);

    deleteAndAwaitNoRowOfOurs(ex);
  }

  /**
   * Example 3 (two tenants, one subnet) stays in place: bad input next to it never reaches OVN,
   * and a controller restart with everything in place writes nothing.
   */
  @Test
  @Order(4)
  void example3TwoTenantsBadInputAndARestartThatWritesNothing() throws Exception {
    Example ex = example3();
    apply(ex);
    Map<String, ServiceInterfaceEntity.Status> ports = awaitReconciled(ex);
    Nb nb = Nb.read();
    String red = NbNames.addressSetPrefix("ex3", "redvpc");
    String blue = NbNames.addressSetPrefix("ex3", "bluevpc");

    assertThat(ports).containsOnlyKeys("rednet-vf2-e3-red", "bluenet-vf2-e3-blue");
    assertThat(nb.names("Logical_Router")).containsExactly(
        "gw_ex3_bluevpc_e3-blue", "gw_ex3_redvpc_e3-red", "vpc_ex3_bluevpc", "vpc_ex3_redvpc");
    assertThat(nb.names("Logical_Switch")).containsExactly(
        "ext_e3-blue", "ext_e3-red", "join_ex3_bluevpc", "join_ex3_redvpc", "net_ex3_bluenet", "net_ex3_rednet");
    for (String net : List.of("net_ex3_rednet", "net_ex3_bluenet")) {
      assertThat(nb.row("Logical_Switch", net).map("other_config"))
          .isEqualTo(Map.of("subnet", "192.178.0.0/16", "exclude_ips", "192.178.0.1"));
    }
    assertDhcp(nb, "ex3", "rednet", "192.178.0.0/16", "192.178.0.1");
    assertDhcp(nb, "ex3", "bluenet", "192.178.0.0/16", "192.178.0.1");
    assertThat(nb.rows("DHCP_Options")).hasSize(2);
    assertThat(nb.nats()).containsExactlyInAnyOrder(
        "gw_ex3_redvpc_e3-red snat 172.16.0.31 192.178.0.0/16",
        "gw_ex3_bluevpc_e3-blue snat 172.16.0.32 192.178.0.0/16");
    // The same address in both tenants, each in its own switch.
    assertThat(ports.get("rednet-vf2-e3-red").ip()).isEqualTo("192.178.0.2");
    assertThat(ports.get("bluenet-vf2-e3-blue").ip()).isEqualTo("192.178.0.2");
    assertThat(nb.policies("vpc_ex3_redvpc")).containsExactlyInAnyOrder(
        "200 allow ip4.dst == $" + red + "_subnets", "100 reroute ip4.src == 192.178.0.2");
    assertThat(nb.policies("vpc_ex3_bluevpc")).containsExactlyInAnyOrder(
        "200 allow ip4.dst == $" + blue + "_subnets", "100 reroute ip4.src == 192.178.0.2");
    assertThat(red).isNotEqualTo(blue);
    assertPorts(nb, ex, ports);
    assertOwnership(nb, ex);
    assertTenantsShareNoRow(nb);
    int rowsBefore = nb.ownedRowCount();
    log("example 3 in place: " + rowsBefore + " rows of ours");

    badInputNeverReachesOvn(rowsBefore);

    // ---- restart: stop the controller, start a new one on the same keyspace and OVN.
    long r0 = System.nanoTime();
    node.close();
    node = null;
    log("controller stopped");
    node = startNode();
    Map<String, ServiceInterfaceEntity.Status> again = awaitReconciled(ex);
    awaitBadInputConditions();
    log("new controller: example 3 reconciled again " + (System.nanoTime() - r0) / 1_000_000 + " ms after the stop");
    assertThat(again.keySet()).isEqualTo(ports.keySet());
    again.forEach((name, status) -> assertThat(status.ip()).as(name).isEqualTo(ports.get(name).ip()));
    NorthboundBridge.Stats stats = bridgeStats(node);
    log("bridge stats after the restart: " + stats);
    assertThat(stats.transactions()).as("write transactions after the restart").isZero();
    assertThat(stats.failedTransactions()).isZero();
    // 2 VPCs, 2 networks, 2 interfaces; the bad input published nothing.
    assertThat(stats.owners()).isEqualTo(6);
    Nb after = Nb.read();
    assertThat(after.ownedRowCount()).isEqualTo(rowsBefore);
    assertThat(after.names("Logical_Router")).isEqualTo(nb.names("Logical_Router"));

    // The bad input goes too, then the example, through the new node.
    assertThat(get(node.directory().serviceInterface("ex3", "stray").ask(ServiceInterfaceEntity.Delete::new, ASK)))
        .isInstanceOf(DeleteReply.Deleted.class);
    assertThat(get(node.directory().network("ex3", "overlapping").ask(DpuVirtualNetworkEntity.Delete::new, ASK)))
        .isInstanceOf(DeleteReply.Deleted.class);
    deleteAndAwaitNoRowOfOurs(ex);
  }

  /**
   * Next to example 3: a network with a bad CIDR (refused at apply), a network whose subnet
   * overlaps its VPC's other network (refused by the VPC), and a ServiceInterface on a node the
   * network's nodeSelector does not select. None adds a row; their conditions say why.
   */
  private void badInputNeverReachesOvn(int rowsBefore) {
    ApplyReply badCidr = get(node.directory().network("ex3", "badnet").ask(replyTo -> new DpuVirtualNetworkEntity.Apply(
        network("redvpc", null, "192.178.0.0/33", List.of()), replyTo), ASK));
    assertThat(badCidr).isInstanceOf(ApplyReply.Rejected.class);
    assertThat(((ApplyReply.Rejected) badCidr).errors()).anySatisfy(e -> {
      assertThat(e.fieldPath()).isEqualTo(DpuVirtualNetworkValidator.SUBNET_PATH);
      assertThat(e.reason()).isEqualTo(ValidationReasons.INVALID_CIDR);
    });
    assertThat(get(node.directory().network("ex3", "badnet").ask(DpuVirtualNetworkEntity.GetStatus::new, ASK)).exists())
        .isFalse();

    assertThat(applied(node.directory().network("ex3", "overlapping").ask(replyTo -> new DpuVirtualNetworkEntity.Apply(
        network("redvpc", null, "192.178.128.0/17", List.of()), replyTo), ASK))).isInstanceOf(ApplyReply.Accepted.class);

    ServiceInterfaceTemplate stray = new ServiceInterfaceTemplate(TemplateMetadata.EMPTY,
        ServiceInterfaceSpec.vf(0, 3, "rednet").withNode("e3-blue"));
    assertThat(applied(node.directory().serviceInterface("ex3", "stray")
        .ask(replyTo -> new ServiceInterfaceEntity.Apply(stray, replyTo), ASK))).isInstanceOf(ApplyReply.Accepted.class);

    awaitBadInputConditions();
    // Given time to go wrong: the DPUServiceInterfaces refresh every 2 s, the interfaces recheck every 2 s.
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(Nb.read().ownedRowCount()).isEqualTo(rowsBefore));
    Nb nb = Nb.read();
    assertThat(nb.names("Logical_Switch")).doesNotContain("net_ex3_overlapping", "net_ex3_badnet");
    assertThat(nb.names("Logical_Switch_Port")).doesNotContain("ex3_stray");
    assertThat(nb.owners()).noneMatch(o -> o.endsWith("/overlapping") || o.endsWith("/badnet") || o.endsWith("/stray"));
  }

  private void awaitBadInputConditions() {
    await().atMost(CONVERGE).untilAsserted(() -> {
      DpuVirtualNetworkEntity.Status overlapping = get(node.directory().network("ex3", "overlapping")
          .ask(DpuVirtualNetworkEntity.GetStatus::new, ASK));
      var reconciled = condition(overlapping.conditions(), ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED);
      assertThat(reconciled.status()).isEqualTo(ConditionStatus.FALSE);
      assertThat(reconciled.reason()).isEqualTo(ValidationReasons.SUBNET_OVERLAP);
      assertThat(reconciled.message()).contains("rednet");

      ServiceInterfaceEntity.Status stray = get(node.directory().serviceInterface("ex3", "stray")
          .ask(ServiceInterfaceEntity.GetStatus::new, ASK));
      var si = condition(stray.conditions(), ConditionTypes.SERVICE_INTERFACE_RECONCILED);
      assertThat(si.status()).isEqualTo(ConditionStatus.FALSE);
      assertThat(si.reason()).isEqualTo(ServiceInterfaceEntity.NODE_NOT_IN_NETWORK);
      assertThat(si.message()).contains("e3-blue", "rednet");
      assertThat(stray.ip()).isNull();
    });
  }

  // ---- applying, awaiting, deleting

  private void apply(Example ex) {
    long a0 = System.nanoTime();
    for (Node n : ex.nodes()) {
      DpuNode facts = new DpuNode(n.name(), n.labels(), n.name(), "10.0.100." + n.externalIp().split("[./]")[3],
          n.externalIp(), "172.16.0.1", true, null);
      assertThat(applied(node.directory().node(n.name()).ask(replyTo -> new DpuNodeEntity.Report(facts, replyTo), ASK)))
          .as(n.name()).isInstanceOf(ApplyReply.Accepted.class);
    }
    ex.vpcs().forEach((name, spec) -> assertThat(applied(node.directory().vpc(ex.ns(), name)
        .ask(replyTo -> new DpuVpcEntity.Apply(spec, replyTo), ASK))).as(name).isInstanceOf(ApplyReply.Accepted.class));
    ex.networks().forEach((name, spec) -> assertThat(applied(node.directory().network(ex.ns(), name)
        .ask(replyTo -> new DpuVirtualNetworkEntity.Apply(spec, replyTo), ASK))).as(name)
        .isInstanceOf(ApplyReply.Accepted.class));
    ex.interfaces().forEach((name, spec) -> assertThat(applied(node.directory().dpuServiceInterface(ex.ns(), name)
        .ask(replyTo -> new DpuServiceInterfaceEntity.Apply(spec, replyTo), ASK))).as(name)
        .isInstanceOf(ApplyReply.Accepted.class));
    log(ex.ns() + ": applied in " + (System.nanoTime() - a0) / 1_000_000 + " ms");
  }

  /**
   * Awaits every condition of the example: VPCs Ready and TopologyReconciled, networks
   * DPUVirtualNetworkReconciled, each ServiceInterface (one per selected node) reconciled but not
   * Ready (AwaitingPort: no chassis binds its port here), its MAC and, unless unknown-mac, its
   * address from northd's IPAM. Returns the ServiceInterfaces' statuses by name.
   */
  private Map<String, ServiceInterfaceEntity.Status> awaitReconciled(Example ex) {
    long a0 = System.nanoTime();
    Map<String, ServiceInterfaceEntity.Status> ports = new TreeMap<>();
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      for (String vpc : ex.vpcs().keySet()) {
        DpuVpcEntity.Status status = get(node.directory().vpc(ex.ns(), vpc).ask(DpuVpcEntity.GetStatus::new, ASK));
        for (String type : List.of(ConditionTypes.TOPOLOGY_RECONCILED, ConditionTypes.READY)) {
          assertThat(condition(status.conditions(), type).status()).as(vpc + " " + type + " " + status.conditions())
              .isEqualTo(ConditionStatus.TRUE);
        }
      }
      for (String net : ex.networks().keySet()) {
        DpuVirtualNetworkEntity.Status status = get(node.directory().network(ex.ns(), net)
            .ask(DpuVirtualNetworkEntity.GetStatus::new, ASK));
        assertThat(condition(status.conditions(), ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED).status())
            .as(net + " " + status.conditions()).isEqualTo(ConditionStatus.TRUE);
      }
      Map<String, ServiceInterfaceEntity.Status> found = new TreeMap<>();
      ex.expectedInterfaces().forEach((child, expected) -> {
        ServiceInterfaceEntity.Status status = get(node.directory().serviceInterface(ex.ns(), child)
            .ask(ServiceInterfaceEntity.GetStatus::new, ASK));
        assertThat(status.exists()).as(child).isTrue();
        var reconciled = condition(status.conditions(), ConditionTypes.SERVICE_INTERFACE_RECONCILED);
        assertThat(reconciled.status()).as(child + " " + status.conditions()).isEqualTo(ConditionStatus.TRUE);
        var ready = condition(status.conditions(), ConditionTypes.READY);
        assertThat(ready.status()).as(child).isEqualTo(ConditionStatus.FALSE);
        assertThat(ready.reason()).as(child).isEqualTo(ServiceInterfaceEntity.AWAITING_PORT);
        assertThat(status.portConnected()).isFalse();
        if (!ex.interfaces().get(expected.dsi()).interfaceTemplate().unknownMac()) {
          assertThat(status.mac()).as(child).isEqualTo(MacAddresses.forKey(siKey(ex.ns(), child)));
          assertThat(status.ip()).as(child + " address from northd's IPAM").isNotNull();
        }
        found.put(child, status);
      });
      for (String dsi : ex.interfaces().keySet()) {
        DpuServiceInterfaceEntity.Status status = get(node.directory().dpuServiceInterface(ex.ns(), dsi)
            .ask(DpuServiceInterfaceEntity.GetStatus::new, ASK));
        assertThat(condition(status.conditions(), ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED).status())
            .as(dsi + " " + status.conditions()).isEqualTo(ConditionStatus.TRUE);
        assertThat(status.children().stream().map(DpuServiceInterfaceEntity.Child::name).toList())
            .containsExactlyInAnyOrderElementsOf(ex.expectedInterfaces().entrySet().stream()
                .filter(e -> e.getValue().dsi().equals(dsi)).map(Map.Entry::getKey).toList());
      }
      ports.clear();
      ports.putAll(found);
    });
    log(ex.ns() + ": all conditions as expected after " + (System.nanoTime() - a0) / 1_000_000 + " ms");
    return ports;
  }

  private void deleteAndAwaitNoRowOfOurs(Example ex) {
    long d0 = System.nanoTime();
    ex.interfaces().keySet().forEach(name -> assertThat(get(node.directory().dpuServiceInterface(ex.ns(), name)
        .ask(DpuServiceInterfaceEntity.Delete::new, ASK))).isInstanceOf(DeleteReply.Deleted.class));
    ex.networks().keySet().forEach(name -> assertThat(get(node.directory().network(ex.ns(), name)
        .ask(DpuVirtualNetworkEntity.Delete::new, ASK))).isInstanceOf(DeleteReply.Deleted.class));
    ex.vpcs().keySet().forEach(name -> assertThat(get(node.directory().vpc(ex.ns(), name)
        .ask(DpuVpcEntity.Delete::new, ASK))).isInstanceOf(DeleteReply.Deleted.class));
    ex.nodes().forEach(n -> assertThat(get(node.directory().node(n.name()).ask(DpuNodeEntity.Delete::new, ASK)))
        .isInstanceOf(DeleteReply.Deleted.class));
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      for (String child : ex.expectedInterfaces().keySet()) {
        assertThat(get(node.directory().serviceInterface(ex.ns(), child).ask(ServiceInterfaceEntity.GetStatus::new, ASK))
            .exists()).as(child).isFalse();
      }
      Nb nb = Nb.read();
      assertThat(nb.owners()).as("owners of rows left").isEmpty();
    });
    // Not only no row with our owner key: no row at all in the managed tables (the NB is ours alone).
    Nb nb = Nb.read();
    NbTables.MANAGED.forEach(table -> assertThat(nb.rows(table)).as(table).isEmpty());
    log(ex.ns() + ": deleted, no row of ours left after " + (System.nanoTime() - d0) / 1_000_000 + " ms");
  }

  // ---- Northbound assertions

  private static void assertDhcp(Nb nb, String ns, String network, String cidr, String gateway) {
    Row dhcp = nb.rows("DHCP_Options").stream().filter(r -> ownerOf(r).equals(
            Ownership.ownerValue(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, ns, network))))
        .collect(Collectors.collectingAndThen(Collectors.toList(), l -> {
          assertThat(l).as("DHCP_Options of " + network).hasSize(1);
          return l.get(0);
        }));
    assertThat(dhcp.str("cidr")).isEqualTo(cidr);
    String routerMac = nb.row("Logical_Router_Port", "lrp_net_" + ns + "_" + network).str("mac");
    assertThat(dhcp.map("options")).isEqualTo(Map.of("router", gateway, "server_id", gateway,
        "lease_time", "3600", "mtu", "1442", "server_mac", routerMac));
  }

  /** Each interface's logical switch port: "<mac> dynamic", northd's address = the status's, DHCP options linked. */
  private static void assertPorts(Nb nb, Example ex, Map<String, ServiceInterfaceEntity.Status> ports) {
    ports.forEach((child, status) -> {
      Row lsp = nb.row("Logical_Switch_Port", ex.ns() + "_" + child);
      String mac = MacAddresses.forKey(siKey(ex.ns(), child));
      assertThat(lsp.set("addresses")).as(child).containsExactly(mac + " dynamic");
      assertThat(lsp.set("port_security")).as(child + ": its own MAC and address only").containsExactly(mac + " " + status.ip());
      assertThat(lsp.set("dynamic_addresses")).as(child).containsExactly(mac + " " + status.ip());
      assertThat(lsp.set("dhcpv4_options")).as(child).hasSize(1);
      assertThat(lsp.map("options")).as(child).isEqualTo(Map.of("requested-chassis",
          ex.expectedInterfaces().get(child).node()));
    });
  }

  /** Every row carries the five ownership keys, of a resource of this example. */
  private static void assertOwnership(Nb nb, Example ex) {
    Set<String> owners = new TreeSet<>();
    ex.vpcs().keySet().forEach(n -> owners.add(Ownership.ownerValue(
        ResourceKey.namespaced(ResourceKind.DPU_VPC, ex.ns(), n))));
    ex.networks().keySet().forEach(n -> owners.add(Ownership.ownerValue(
        ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, ex.ns(), n))));
    ex.expectedInterfaces().keySet().forEach(n -> owners.add(Ownership.ownerValue(siKey(ex.ns(), n))));
    int rows = 0;
    for (String table : NbTables.MANAGED) {
      for (Row row : nb.rows(table)) {
        rows++;
        Map<String, String> ids = row.map("external_ids");
        assertThat(ids).as(table + " " + row.columns()).containsKeys(Ownership.OWNER, Ownership.OWNER_KIND,
            Ownership.OWNER_NAMESPACE, Ownership.OWNER_NAME, Ownership.ID);
        assertThat(owners).as(table + " " + row.columns()).contains(ids.get(Ownership.OWNER));
        ResourceKey owner = ResourceKey.parse(ids.get(Ownership.OWNER));
        assertThat(ids.get(Ownership.OWNER_KIND)).isEqualTo(owner.kind().kindName());
        assertThat(ids.get(Ownership.OWNER_NAMESPACE)).isEqualTo(ex.ns());
        assertThat(ids.get(Ownership.OWNER_NAME)).isEqualTo(owner.name());
        assertThat(ids.get(Ownership.ID)).startsWith(ids.get(Ownership.OWNER) + "/");
      }
    }
    // Every resource of the example owns rows.
    assertThat(nb.owners()).isEqualTo(owners);
    assertThat(rows).isEqualTo(nb.ownedRowCount());
  }

  /**
   * Example 3: every row is one tenant's, and whatever a tenant's router or switch references
   * (ports, policies, routes, NAT, DHCP options) is that tenant's too.
   */
  private static void assertTenantsShareNoRow(Nb nb) {
    Map<String, String> tenantOf = new TreeMap<>();
    for (String table : NbTables.MANAGED) {
      for (Row row : nb.rows(table)) {
        String name = ResourceKey.parse(ownerOf(row)).name();
        String tenant = name.startsWith("red") ? "red" : name.startsWith("blue") ? "blue" : null;
        assertThat(tenant).as("owner " + ownerOf(row) + " of a " + table).isNotNull();
        tenantOf.put(row.str("_uuid"), tenant);
      }
    }
    for (String table : List.of("Logical_Router", "Logical_Switch", "Logical_Switch_Port")) {
      for (Row row : nb.rows(table)) {
        String tenant = tenantOf.get(row.str("_uuid"));
        for (String column : List.of("ports", "policies", "static_routes", "nat", "dhcpv4_options")) {
          if (row.columns().containsKey(column)) {
            for (String ref : row.set(column)) {
              assertThat(tenantOf.get(ref)).as(table + " " + row.str("name") + "." + column).isEqualTo(tenant);
            }
          }
        }
      }
    }
    assertThat(new TreeSet<>(tenantOf.values())).containsExactly("blue", "red");
  }

  private static String ownerOf(Row row) {
    return row.map("external_ids").getOrDefault(Ownership.OWNER, "");
  }

  private static ApplyReply applied(java.util.concurrent.CompletionStage<ApplyReply> stage) {
    return get(stage);
  }

  private static ResourceKey siKey(String ns, String name) {
    return ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, ns, name);
  }

  /** The stats of the bridge that serves the IsolationClass on {@code on}, asked through its router. */
  private static NorthboundBridge.Stats bridgeStats(ControllerNode on) throws Exception {
    ActorRef<NorthboundRouter.Message> router = on.directory().northboundRouter().orElseThrow();
    Optional<ActorRef<NorthboundBridge.Message>> bridge = AskPattern.<NorthboundRouter.Message,
            Optional<ActorRef<NorthboundBridge.Message>>>ask(router,
            replyTo -> new NorthboundRouter.GetBridge(ISOLATION_CLASS, replyTo), ASK, on.system().scheduler())
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(bridge).as("the bridge of IsolationClass " + ISOLATION_CLASS).isPresent();
    return AskPattern.<NorthboundBridge.Message, NorthboundBridge.Stats>ask(bridge.get(), NorthboundBridge.GetStats::new,
        ASK, on.system().scheduler()).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private void log(String what) {
    System.out.println("[ExamplesNorthboundIT +" + (System.nanoTime() - t0) / 1_000_000 + " ms] " + what);
  }

  // ---- the model of an example

  private record Node(String name, Map<String, String> labels, String externalIp) {}

  private record Example(String ns, List<Node> nodes, Map<String, DpuVpcSpec> vpcs,
                         Map<String, DpuVirtualNetworkSpec> networks, Map<String, DpuServiceInterfaceSpec> interfaces) {
    /** The ServiceInterfaces the DPUServiceInterfaces expand to, by name. */
    Map<String, Expected> expectedInterfaces() {
      Map<String, Expected> children = new TreeMap<>();
      interfaces.forEach((dsi, spec) -> nodes.stream().filter(n -> spec.nodeSelector().matches(n.labels()))
          .forEach(n -> children.put(DpuServiceInterfaceEntity.childName(dsi, n.name()), new Expected(dsi, n.name()))));
      return children;
    }
  }

  /** A ServiceInterface a DPUServiceInterface expands to, and its node. */
  private record Expected(String dsi, String node) {
  }

  // ---- the Northbound as ovn-nbctl lists it

  /** One row: its columns, uuids as strings, sets as lists, maps as maps. */
  private record Row(Map<String, Object> columns) {
    String str(String column) {
      Object value = columns.get(column);
      if (value instanceof List<?> list) {
        return list.isEmpty() ? null : String.valueOf(list.get(0));
      }
      return value == null ? null : String.valueOf(value);
    }

    List<String> set(String column) {
      Object value = columns.get(column);
      if (value == null) {
        return List.of();
      }
      if (value instanceof List<?> list) {
        return list.stream().map(String::valueOf).toList();
      }
      return List.of(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    Map<String, String> map(String column) {
      Object value = columns.get(column);
      Map<String, String> map = new TreeMap<>();
      if (value instanceof Map<?, ?> m) {
        m.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
      }
      return map;
    }
  }

  /** Every managed table, read once with {@code ovn-nbctl --format=json list}. */
  private record Nb(Map<String, List<Row>> tables) {
    static Nb read() {
      Map<String, List<Row>> tables = new LinkedHashMap<>();
      for (String table : NbTables.MANAGED) {
        tables.put(table, list(table));
      }
      return new Nb(tables);
    }

    private static List<Row> list(String table) {
      try {
        JsonNode json = JSON.readTree(OVN.central().nbctl("--format=json", "list", table));
        List<String> headings = new ArrayList<>();
        json.get("headings").forEach(h -> headings.add(h.asText()));
        List<Row> rows = new ArrayList<>();
        for (JsonNode data : json.get("data")) {
          Map<String, Object> columns = new LinkedHashMap<>();
          for (int i = 0; i < headings.size(); i++) {
            columns.put(headings.get(i), value(data.get(i)));
          }
          rows.add(new Row(columns));
        }
        return rows;
      } catch (Exception e) {
        throw new AssertionError("could not list " + table, e);
      }
    }

    private static Object value(JsonNode node) {
      if (node.isArray() && node.size() == 2 && node.get(0).isTextual()) {
        switch (node.get(0).asText()) {
          case "uuid", "named-uuid" -> {
            return node.get(1).asText();
          }
          case "set" -> {
            List<Object> set = new ArrayList<>();
            node.get(1).forEach(e -> set.add(value(e)));
            return set;
          }
          case "map" -> {
            Map<String, Object> map = new TreeMap<>();
            node.get(1).forEach(pair -> map.put(String.valueOf(value(pair.get(0))), value(pair.get(1))));
            return map;
          }
          default -> { }
        }
      }
      if (node.isTextual()) {
        return node.asText();
      }
      if (node.isIntegralNumber()) {
        return node.asLong();
      }
      if (node.isBoolean()) {
        return node.asBoolean();
      }
      return node.toString();
    }

    List<Row> rows(String table) {
      return tables.getOrDefault(table, List.of());
    }

    Row row(String table, String name) {
      List<Row> found = rows(table).stream().filter(r -> name.equals(r.str("name"))).toList();
      assertThat(found).as(table + " " + name).hasSize(1);
      return found.get(0);
    }

    List<String> names(String table) {
      return rows(table).stream().map(r -> r.str("name")).sorted().toList();
    }

    /** "<gateway router> <type> <external_ip> <logical_ip>" of every NAT row. */
    List<String> nats() {
      Map<String, String> routerOf = new TreeMap<>();
      rows("Logical_Router").forEach(r -> r.set("nat").forEach(uuid -> routerOf.put(uuid, r.str("name"))));
      return rows("NAT").stream().map(n -> routerOf.get(n.str("_uuid")) + " " + n.str("type") + " "
          + n.str("external_ip") + " " + n.str("logical_ip")).toList();
    }

    /** "<priority> <action> <match>" of the router's policies (reroutes: their match only). */
    List<String> policies(String router) {
      Set<String> uuids = Set.copyOf(row("Logical_Router", router).set("policies"));
      return rows("Logical_Router_Policy").stream().filter(p -> uuids.contains(p.str("_uuid")))
          .map(p -> p.str("priority") + " " + p.str("action") + " " + p.str("match")).toList();
    }

    /** The owners of every row that has our owner key. */
    Set<String> owners() {
      Set<String> owners = new TreeSet<>();
      tables.values().forEach(rows -> rows.forEach(r -> {
        String owner = ownerOf(r);
        if (!owner.isEmpty()) {
          owners.add(owner);
        }
      }));
      return owners;
    }

    int ownedRowCount() {
      return (int) tables.values().stream().flatMap(List::stream).filter(r -> !ownerOf(r).isEmpty()).count();
    }
  }
}
