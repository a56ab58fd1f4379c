package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
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
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.NorthboundReasons;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.actors.northbound.TopologyIntent.Gateway;
import io.dpuvpc.actors.northbound.TopologyIntent.NetworkRoute;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The entities publish what they want in OVN to the Northbound port and take their conditions
 * from what the (fake) bridge observed: the exact intents of the spec's examples 1 and 2, a
 * republish only on change, Withdraw on delete, Release on stop, a prerequisite the bridge reports
 * missing and healing, an interface withdrawn when its node leaves the network, and nothing
 * published for input that is not admitted.
 */
class NorthboundPublishingTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  static final String NS = EntityHarness.NS;
  static final String IC = "ovn.vpc.dpu.nvidia.com";
  static final ResourceKey VPC = ResourceKey.namespaced(ResourceKind.DPU_VPC, NS, "testvpc");

  static ResourceKey network(String name) {
    return ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, NS, name);
  }

  static ResourceKey serviceInterface(String name) {
    return ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, name);
  }

  void isolationClass() {
    assertThat(h.<IsolationClassEntity.Command, ApplyReply>ask(h.directory.isolationClass(IC), r -> new IsolationClassEntity.Apply(new IsolationClassSpec(
        IsolationClassSpec.PROVISIONER, Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.1:6641")), r)))
        .isInstanceOf(ApplyReply.Accepted.class);
  }

  ApplyReply vpc(boolean interNetworkAccess) {
    return h.ask(h.directory.vpc(NS, "testvpc"), r -> new DpuVpcEntity.Apply(
        new DpuVpcSpec("foo", IC, interNetworkAccess, LabelSelector.EVERYTHING), r));
  }

  ApplyReply network(String name, String subnet, List<ExcludeIp> excludes) {
    DpuVirtualNetworkSpec spec = new DpuVirtualNetworkSpec("testvpc", LabelSelector.EVERYTHING,
        DpuVirtualNetworkSpec.BRIDGED, true, true,
        new DpuVirtualNetworkSpec.BridgedNetwork(new DpuVirtualNetworkSpec.Ipam(new Ipv4Ipam(true, subnet, excludes))));
    return h.ask(h.directory.network(NS, name), r -> new DpuVirtualNetworkEntity.Apply(spec, r));
  }

  void node(String name, Map<String, String> labels, String chassisId, String externalIp) {
    h.setLabels(name, labels);
    assertThat(h.report(new DpuNode(name, labels, chassisId, "10.0.100.1", externalIp, "172.16.0.1", true, null)))
        .isInstanceOf(ApplyReply.Accepted.class);
  }

  void vfOnEveryNode(String dsi, LabelSelector nodes, String network) {
    assertThat(h.applyDpuServiceInterface(dsi, DpuServiceInterfaceSpec.of(nodes, Map.of(),
        ServiceInterfaceSpec.vf(0, 2, network)))).isInstanceOf(ApplyReply.Accepted.class);
  }

  static void awaitReason(Supplier<Conditions> conditions, String type, String reason) {
    EntityHarness.awaitReason(conditions, type, reason);
  }

  TopologyIntent last(ResourceKey owner) {
    List<TopologyIntent> intents = h.directory.bridge.published(owner);
    assertThat(intents).as("intents published by %s", owner).isNotEmpty();
    return intents.get(intents.size() - 1);
  }

  static Map<String, NetworkRoute> routes(Object... nameAndSubnet) {
    Map<String, NetworkRoute> routes = new TreeMap<>();
    for (int i = 0; i < nameAndSubnet.length; i += 2) {
      routes.put((String) nameAndSubnet[i], new NetworkRoute((String) nameAndSubnet[i + 1], true, true));
    }
    return routes;
  }

  @Test
  void example1PublishesExactlyTheVpcNetworkAndInterfaceAndAllBecomeReady() {
    isolationClass();
    node("dpu-1", Map.of(), "chassis-1", "172.16.0.11/24");
    vpc(true);
    network("testnet1", "192.178.0.0/16", List.of());
    vfOnEveryNode("testnet1-vf2", LabelSelector.EVERYTHING, "testnet1");
    String child = DpuServiceInterfaceEntity.childName("testnet1-vf2", "dpu-1");

    awaitReason(() -> h.serviceInterface(child).conditions(), ConditionTypes.READY, "Success");
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.READY, "Success");
    assertThat(last(VPC)).isEqualTo(new TopologyIntent.Vpc(VPC, 1, true, new TreeMap<>(routes("testnet1", "192.178.0.0/16")),
        List.of(new Gateway("dpu-1", "chassis-1", "172.16.0.11/24", "172.16.0.1"))));
    assertThat(last(network("testnet1"))).isEqualTo(new TopologyIntent.Network(network("testnet1"), 1, "testvpc",
        "192.178.0.0/16", List.of(), true, Map.of()));
    ResourceKey si = serviceInterface(child);
    assertThat(last(si)).isEqualTo(new TopologyIntent.Interface(si, 1, "testvpc", "testnet1", "dpu-1",
        MacAddresses.forKey(si), null, false, true));
    assertThat(h.network("testnet1").isolationClass()).isEqualTo(IC);
    ServiceInterfaceEntity.Status status = h.serviceInterface(child);
    assertThat(status.portConnected()).isTrue();
    assertThat(status.mac()).isEqualTo(MacAddresses.forKey(si));
    assertThat(status.ip()).startsWith("10.0.0.");
    awaitReason(() -> h.dpuServiceInterface("testnet1-vf2").conditions(), ConditionTypes.READY, "Success");
  }

  @Test
  void example2PublishesBothNetworksAndGatewaysSortedWithTheNameAsDefaultChassis() {
    isolationClass();
    String label = "vpc.dpu.nvidia.com/network";
    node("dpu-b", Map.of(label, "testnet2"), "chassis-b", "172.16.0.22/24");
    node("dpu-a", Map.of(label, "testnet1"), "", "172.16.0.21/24"); // no chassis id reported: OVN's system-id is the name
    vpc(true);
    network("testnet1", "192.178.0.0/16", List.of());
    network("testnet2", "192.188.0.0/16", List.of(ExcludeIp.ip("192.188.0.5"),
        ExcludeIp.range("192.188.0.10", "192.188.0.20")));
    vfOnEveryNode("testnet1-vf2", LabelSelector.ofLabels(Map.of(label, "testnet1")), "testnet1");
    vfOnEveryNode("testnet2-vf2", LabelSelector.ofLabels(Map.of(label, "testnet2")), "testnet2");
    String one = DpuServiceInterfaceEntity.childName("testnet1-vf2", "dpu-a");
    String two = DpuServiceInterfaceEntity.childName("testnet2-vf2", "dpu-b");

    awaitReason(() -> h.serviceInterface(one).conditions(), ConditionTypes.READY, "Success");
    awaitReason(() -> h.serviceInterface(two).conditions(), ConditionTypes.READY, "Success");
    EntityTestConfig.eventually(() -> assertThat(last(VPC)).isEqualTo(new TopologyIntent.Vpc(VPC, 1, true,
        new TreeMap<>(routes("testnet1", "192.178.0.0/16", "testnet2", "192.188.0.0/16")),
        List.of(new Gateway("dpu-a", "dpu-a", "172.16.0.21/24", "172.16.0.1"),
            new Gateway("dpu-b", "chassis-b", "172.16.0.22/24", "172.16.0.1")))));
    assertThat(last(network("testnet2"))).isEqualTo(new TopologyIntent.Network(network("testnet2"), 1, "testvpc",
        "192.188.0.0/16", List.of("192.188.0.5", "192.188.0.10..192.188.0.20"), true, Map.of()));
    assertThat(last(serviceInterface(one))).isEqualTo(new TopologyIntent.Interface(serviceInterface(one), 1, "testvpc",
        "testnet1", "dpu-a", MacAddresses.forKey(serviceInterface(one)), null, false, true));
    assertThat(last(serviceInterface(two))).isEqualTo(new TopologyIntent.Interface(serviceInterface(two), 1, "testvpc",
        "testnet2", "dpu-b", MacAddresses.forKey(serviceInterface(two)), null, false, true));
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.READY, "Success");
  }

  @Test
  void theVpcRepublishesOnlyWhenItsIntentChanges() {
    isolationClass();
    vpc(true);
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.TOPOLOGY_RECONCILED, "Success");
    int first = h.directory.bridge.published(VPC).size();
    assertThat(first).isEqualTo(1);

    // The same spec, status reads and a network that joins again unchanged publish nothing new.
    vpc(true);
    h.vpc("testvpc");
    h.<DpuVpcEntity.Command, DpuVpcEntity.AttachReply>ask(h.directory.vpc(NS, "testvpc"),
        r -> new DpuVpcEntity.AttachNetwork("n1", "10.1.0.0/24", r));
    awaitCount(VPC, 2);
    h.<DpuVpcEntity.Command, DpuVpcEntity.AttachReply>ask(h.directory.vpc(NS, "testvpc"),
        r -> new DpuVpcEntity.AttachNetwork("n1", "10.1.0.0/24", r));
    vpc(true);

    // A change of the spec publishes once, with the new generation.
    vpc(false);
    awaitCount(VPC, 3);
    assertThat(last(VPC)).isEqualTo(new TopologyIntent.Vpc(VPC, 2, false,
        new TreeMap<>(Map.of("n1", new NetworkRoute("10.1.0.0/24", false, true))), List.of()));
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.READY, "Success");
    assertThat(h.directory.bridge.published(VPC)).hasSize(3);

    // A stopped VPC releases its rows; its next incarnation publishes the same intent again.
    TopologyIntent before = last(VPC);
    h.directory.restartVpc(NS, "testvpc");
    EntityTestConfig.eventually(() -> assertThat(h.directory.bridge.released(VPC)).hasSize(1));
    h.vpc("testvpc");
    awaitCount(VPC, 4);
    assertThat(last(VPC)).isEqualTo(before);
    assertThat(h.directory.bridge.withdrawn(VPC)).isEmpty();
  }

  void awaitCount(ResourceKey owner, int count) {
    EntityTestConfig.eventually(() -> assertThat(h.directory.bridge.published(owner)).hasSize(count));
  }

  @Test
  void deletingWithdrawsTheVpcTheNetworkAndTheInterface() {
    isolationClass();
    node("dpu-1", Map.of(), "chassis-1", "172.16.0.11/24");
    vpc(true);
    network("testnet1", "192.178.0.0/16", List.of());
    h.applyServiceInterface("si", new ServiceInterfaceTemplate(TemplateMetadata.EMPTY,
        ServiceInterfaceSpec.vf(0, 1, "testnet1").withNode("dpu-1")));
    awaitReason(() -> h.serviceInterface("si").conditions(), ConditionTypes.READY, "Success");

    assertThat(h.ask(h.directory.serviceInterface(NS, "si"), ServiceInterfaceEntity.Delete::new))
        .isInstanceOf(DeleteReply.Deleted.class);
    assertThat(h.ask(h.directory.network(NS, "testnet1"), DpuVirtualNetworkEntity.Delete::new))
        .isInstanceOf(DeleteReply.Deleted.class);
    assertThat(h.ask(h.directory.vpc(NS, "testvpc"), DpuVpcEntity.Delete::new)).isInstanceOf(DeleteReply.Deleted.class);
    for (ResourceKey owner : List.of(serviceInterface("si"), network("testnet1"), VPC)) {
      EntityTestConfig.eventually(() -> assertThat(h.directory.bridge.withdrawn(owner))
          .extracting(Northbound.Withdraw::isolationClass).containsExactly(IC));
    }
    assertThat(h.directory.bridge.released(VPC)).isEmpty();
  }

  @Test
  void anUnreachableNorthboundIsAFalsePrerequisiteThatHeals() {
    h.directory.bridge.answer(FakeNorthbound.Answer.UNREACHABLE);
    isolationClass();
    vpc(true);
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.PREREQUISITES_READY,
        NorthboundReasons.NORTHBOUND_UNREACHABLE);
    var conditions = h.vpc("testvpc").conditions();
    assertThat(conditions.get(ConditionTypes.PREREQUISITES_READY).orElseThrow().message()).contains("tcp:127.0.0.1:6641");
    assertThat(conditions.get(ConditionTypes.TOPOLOGY_RECONCILED).orElseThrow().reason())
        .isEqualTo(NorthboundReasons.NORTHBOUND_UNREACHABLE);
    assertThat(conditions.get(ConditionTypes.READY).orElseThrow().reason()).isEqualTo(NorthboundReasons.NORTHBOUND_UNREACHABLE);

    h.directory.bridge.answer(FakeNorthbound.Answer.RECONCILED);
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.READY, "Success");
    assertThat(h.vpc("testvpc").conditions().isTrue(ConditionTypes.PREREQUISITES_READY)).isTrue();
    assertThat(h.directory.bridge.published(VPC)).hasSize(1); // healing needed no republish
  }

  @Test
  void aFailedObservationIsAFalseReconciledWithTheBridgesWords() {
    h.directory.bridge.answer(new FakeNorthbound.Answer(Northbound.State.FAILED, "SubnetInUse",
        "192.178.0.0/16 is used by a switch this product does not own: remove it or choose another subnet"));
    isolationClass();
    vpc(true);
    network("testnet1", "192.178.0.0/16", List.of());
    awaitReason(() -> h.network("testnet1").conditions(), ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED, "SubnetInUse");
    assertThat(h.network("testnet1").conditions().get(ConditionTypes.READY).orElseThrow().message())
        .contains("does not own");
    assertThat(h.network("testnet1").conditions().isTrue(ConditionTypes.PREREQUISITES_READY)).isTrue();
  }

  @Test
  void aNodeWithoutGatewayFactsIsNotReadyAndJoinsTheIntentOnceReported() {
    isolationClass();
    h.setLabels("dpu-1", Map.of());
    vpc(true);
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.DPU_NODES_RECONCILED, DpuVpcEntity.NODE_NOT_READY);
    assertThat(h.vpc("testvpc").conditions().get(ConditionTypes.DPU_NODES_RECONCILED).orElseThrow().message())
        .contains("dpu-1", "externalIp", "externalNextHop");
    EntityTestConfig.eventually(() -> assertThat(((TopologyIntent.Vpc) last(VPC)).gateways()).isEmpty());

    // The agent reports; the labels do not change, so only the VPC's own recheck can notice.
    node("dpu-1", Map.of(), "chassis-1", "172.16.0.11/24");
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.READY, "Success");
    assertThat(((TopologyIntent.Vpc) last(VPC)).gateways())
        .containsExactly(new Gateway("dpu-1", "chassis-1", "172.16.0.11/24", "172.16.0.1"));
  }

  @Test
  void aNodeLookedAtAgainRepublishesOnlyIfItsGatewayChanged() {
    isolationClass();
    node("dpu-1", Map.of(), "chassis-1", "172.16.0.11/24");
    node("dpu-2", Map.of(), "chassis-2", "172.16.0.12/24");
    vpc(true);
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.READY, "Success");
    assertThat(((TopologyIntent.Vpc) last(VPC)).gateways()).extracting(Gateway::externalIp)
        .containsExactly("172.16.0.11/24", "172.16.0.12/24");

    // dpu-1 moves to another external address; the next claim (here: after a spec change) looks
    // at every node again, and only dpu-1's answer changes the intent.
    node("dpu-1", Map.of(), "chassis-1", "172.16.0.21/24");
    vpc(false);
    EntityTestConfig.eventually(() -> assertThat(((TopologyIntent.Vpc) last(VPC)).gateways())
        .containsExactly(new Gateway("dpu-1", "chassis-1", "172.16.0.21/24", "172.16.0.1"),
            new Gateway("dpu-2", "chassis-2", "172.16.0.12/24", "172.16.0.1")));
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.READY, "Success");
    assertThat(h.vpc("testvpc").nodes()).containsExactly("dpu-1", "dpu-2");
  }

  @Test
  void anInterfaceWhoseNodeLeavesTheNetworksSelectorIsWithdrawn() {
    isolationClass();
    node("dpu-1", Map.of("rack", "r1"), "chassis-1", "172.16.0.11/24");
    vpc(true);
    DpuVirtualNetworkSpec rack1 = new DpuVirtualNetworkSpec("testvpc", LabelSelector.ofLabels(Map.of("rack", "r1")),
        DpuVirtualNetworkSpec.BRIDGED, false, true, new DpuVirtualNetworkSpec.BridgedNetwork(
            new DpuVirtualNetworkSpec.Ipam(new Ipv4Ipam(false, "10.5.0.0/24", List.of()))));
    h.<DpuVirtualNetworkEntity.Command, ApplyReply>ask(h.directory.network(NS, "rack1"),
        r -> new DpuVirtualNetworkEntity.Apply(rack1, r));
    h.applyServiceInterface("si", new ServiceInterfaceTemplate(TemplateMetadata.annotated(Map.of(
        io.dpuvpc.actors.model.Annotations.UNKNOWN_MAC, "true")), ServiceInterfaceSpec.vf(0, 1, "rack1").withNode("dpu-1")));
    awaitReason(() -> h.serviceInterface("si").conditions(), ConditionTypes.READY, "Success");
    assertThat(last(serviceInterface("si"))).isEqualTo(new TopologyIntent.Interface(serviceInterface("si"), 1, "testvpc",
        "rack1", "dpu-1", null, null, true, false));

    h.setLabels("dpu-1", Map.of("rack", "r2"));
    awaitReason(() -> h.serviceInterface("si").conditions(), ConditionTypes.SERVICE_INTERFACE_RECONCILED,
        ServiceInterfaceEntity.NODE_NOT_IN_NETWORK);
    EntityTestConfig.eventually(() -> assertThat(h.directory.bridge.withdrawn(serviceInterface("si"))).hasSize(1));
    assertThat(h.serviceInterface("si").portConnected()).isFalse();
  }

  @Test
  void inputThatIsNotAdmittedNeverReachesTheBridge() {
    // Rejected specs.
    assertThat(h.<DpuVpcEntity.Command, ApplyReply>ask(h.directory.vpc(NS, "bad"), r -> new DpuVpcEntity.Apply(
        new DpuVpcSpec("", "Not A Name", true, LabelSelector.EVERYTHING), r))).isInstanceOf(ApplyReply.Rejected.class);
    assertThat(network("bad-net", "10.0.0.1/24", List.of())).isInstanceOf(ApplyReply.Rejected.class);
    // Admitted, but its IsolationClass is missing; a network whose VPC refuses it; an interface on a missing node.
    vpc(true);
    network("a", "10.9.0.0/16", List.of());
    network("b", "10.9.1.0/24", List.of());
    h.applyServiceInterface("si", new ServiceInterfaceTemplate(TemplateMetadata.EMPTY,
        ServiceInterfaceSpec.vf(0, 1, "a").withNode("ghost")));
    awaitReason(() -> h.vpc("testvpc").conditions(), ConditionTypes.PREREQUISITES_READY, "NotFound");
    awaitReason(() -> h.network("b").conditions(), ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED, "SubnetOverlap");
    awaitReason(() -> h.serviceInterface("si").conditions(), ConditionTypes.SERVICE_INTERFACE_RECONCILED, "NotFound");
    awaitReason(() -> h.network("a").conditions(), ConditionTypes.READY, "Success");

    assertThat(h.directory.bridge.received()).extracting(c -> ((Northbound.Publish) c).intent().owner())
        .containsExactly(network("a"));
  }

  @Test
  void theNewMessagesRoundTrip() {
    SerializationTestKit serialization = h.testKit.serializationTestKit();
    ActorRef<Northbound.Observed> replyTo = h.testKit.<Northbound.Observed>createTestProbe().getRef();
    ResourceKey si = serviceInterface("si");
    var vpc = new TopologyIntent.Vpc(VPC, 3, true, new TreeMap<>(routes("n1", "10.0.0.0/24")),
        List.of(new Gateway("dpu-1", "dpu-1", "172.16.0.11/24", "172.16.0.1")));
    var net = new TopologyIntent.Network(network("n1"), 1, "testvpc", "10.0.0.0/24", List.of("10.0.0.5", "10.0.0.9..10.0.0.12"),
        true, Map.of("lease_time", "3600"));
    var port = new TopologyIntent.Interface(si, 2, "testvpc", "n1", "dpu-1", MacAddresses.forKey(si), null, false, true);
    List<Object> values = List.of(vpc, net, port,
        new Northbound.Publish(IC, vpc, replyTo), new Northbound.Publish(IC, net, replyTo),
        new Northbound.Publish(IC, port, replyTo),
        new Northbound.Withdraw(IC, si, replyTo), new Northbound.Release(IC, si),
        new Northbound.Observed(si, 2, Northbound.State.RECONCILED, "Success", "",
            new Northbound.PortFacts(true, "02:00:00:00:00:01", "10.0.0.7")),
        new Northbound.Observed(VPC, 3, Northbound.State.PENDING, NorthboundReasons.NORTHBOUND_UNREACHABLE, "m", null),
        new DpuVpcEntity.NodesClaimed(Set.of("dpu-1", "dpu-2"), List.of(), Set.of("dpu-2")),
        new DpuVpcEntity.Attached(VPC, 3, IC),
        new DpuVirtualNetworkEntity.Status(network("n1"), null, 1, Conditions.EMPTY, List.of("si"), IC),
        new ServiceInterfaceEntity.Status(si, null, 2, Conditions.EMPTY, true, "02:00:00:00:00:01", "10.0.0.7"));
    for (Object value : values) {
      assertThat(serialization.verifySerialization(value, true)).isEqualTo(value);
    }
  }

  @Test
  void macAddressesAreStableLocallyAdministeredUnicast() {
    ResourceKey si = serviceInterface("si");
    String mac = MacAddresses.forKey(si);
    assertThat(mac).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}").isEqualTo(MacAddresses.forKey(serviceInterface("si")));
    int first = Integer.parseInt(mac.substring(0, 2), 16);
    assertThat(first & 0x01).as("unicast").isZero();
    assertThat(first & 0x02).as("locally administered").isEqualTo(2);
    assertThat(MacAddresses.forKey(serviceInterface("si-2"))).isNotEqualTo(mac);
  }
}
