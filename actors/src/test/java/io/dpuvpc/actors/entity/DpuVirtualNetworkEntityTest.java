package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.ExcludeIp;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.validation.FieldError;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DPUVirtualNetwork entity with real DPUVPC entities: it waits for its VPC and heals when the
 * VPC appears, is refused a subnet that overlaps a sibling (but not one of another VPC), refuses
 * changes to its immutable spec, leaves its VPC when deleted, notices its VPC's deletion, and
 * rejoins after a restart.
 */
class DpuVirtualNetworkEntityTest {
  static ActorTestKit testKit;
  static TestDirectory directory;
  static final String NS = "default";

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EntityTestConfig.config());
    directory = new TestDirectory(testKit, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static DpuVirtualNetworkSpec network(String vpc, String subnet) {
    return DpuVirtualNetworkSpec.bridged(vpc, true, new Ipv4Ipam(true, subnet, List.of()));
  }

  static ApplyReply apply(String name, DpuVirtualNetworkSpec spec) {
    TestProbe<ApplyReply> probe = testKit.createTestProbe();
    directory.network(NS, name).tell(new DpuVirtualNetworkEntity.Apply(spec, probe.getRef()));
    return probe.receiveMessage();
  }

  static void applyVpc(String name) {
    TestProbe<ApplyReply> probe = testKit.createTestProbe();
    directory.vpc(NS, name).tell(new DpuVpcEntity.Apply(new DpuVpcSpec("t", "ovn.vpc.dpu.nvidia.com", true, LabelSelector.EVERYTHING),
        probe.getRef()));
    assertThat(probe.receiveMessage()).isInstanceOf(ApplyReply.Accepted.class);
  }

  static DpuVirtualNetworkEntity.Status status(String name) {
    TestProbe<DpuVirtualNetworkEntity.Status> probe = testKit.createTestProbe();
    directory.network(NS, name).tell(new DpuVirtualNetworkEntity.GetStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  static DpuVpcEntity.Status vpcStatus(String name) {
    TestProbe<DpuVpcEntity.Status> probe = testKit.createTestProbe();
    directory.vpc(NS, name).tell(new DpuVpcEntity.GetStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  static void awaitCondition(String network, String type, String reason) {
    EntityTestConfig.eventually(() -> assertThat(status(network).conditions().get(type))
        .hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo(reason)));
  }

  @Test
  void waitsForItsVpcAndHealsWhenItAppears() {
    assertThat(apply("early", network("late-vpc", "10.1.0.0/16"))).isInstanceOf(ApplyReply.Accepted.class);
    awaitCondition("early", ConditionTypes.PREREQUISITES_READY, "NotFound");
    Condition prerequisites = status("early").conditions().get(ConditionTypes.PREREQUISITES_READY).orElseThrow();
    assertThat(prerequisites.message()).contains("spec.vpcName", "late-vpc", "does not exist in this namespace");
    assertThat(status("early").conditions().get(ConditionTypes.READY).orElseThrow().status()).isEqualTo(ConditionStatus.FALSE);

    applyVpc("late-vpc");
    awaitCondition("early", ConditionTypes.READY, "Success");
    assertThat(status("early").conditions().isTrue(ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED)).isTrue();
  }

  @Test
  void anOverlappingSiblingIsRefusedButAnotherVpcMayReuseTheSubnet() {
    applyVpc("red");
    applyVpc("blue");
    apply("red-a", network("red", "192.178.0.0/16"));
    awaitCondition("red-a", ConditionTypes.READY, "Success");

    apply("red-b", network("red", "192.178.128.0/17"));
    awaitCondition("red-b", ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED, "SubnetOverlap");
    assertThat(status("red-b").conditions().get(ConditionTypes.READY).orElseThrow().message())
        .contains("spec.bridgedNetwork.ipam.ipv4.subnet", "overlaps 192.178.0.0/16 of DPUVirtualNetwork red-a");

    // Example 3 of the reference: two tenants, the same subnet.
    apply("blue-a", network("blue", "192.178.0.0/16"));
    awaitCondition("blue-a", ConditionTypes.READY, "Success");
  }

  @Test
  void invalidAndImmutableSpecsAreRejected() {
    ApplyReply bad = apply("bad", network("red", "10.0.0.1/24"));
    assertThat(bad).isInstanceOfSatisfying(ApplyReply.Rejected.class, r -> assertThat(r.errors())
        .extracting(FieldError::fieldPath).contains("spec.bridgedNetwork.ipam.ipv4.subnet"));
    assertThat(status("bad").exists()).isFalse();

    DpuVirtualNetworkSpec withExclusion = DpuVirtualNetworkSpec.bridged("red", true,
        new Ipv4Ipam(true, "10.9.0.0/24", List.of(ExcludeIp.ip("10.8.0.5"))));
    assertThat(apply("excl", withExclusion)).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        r -> assertThat(r.errors().get(0).reason()).isEqualTo("OutsideSubnet"));

    assertThat(apply("fixed", network("red", "10.7.0.0/24"))).isInstanceOf(ApplyReply.Accepted.class);
    assertThat(apply("fixed", network("red", "10.7.1.0/24"))).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        r -> assertThat(r.errors()).extracting(FieldError::reason).containsOnly("FieldImmutable"));
  }

  @Test
  void deletingLeavesTheVpcAndTheVpcsDeletionIsNoticed() {
    applyVpc("short-lived");
    apply("n1", network("short-lived", "10.20.0.0/24"));
    apply("n2", network("short-lived", "10.21.0.0/24"));
    awaitCondition("n2", ConditionTypes.READY, "Success");

    TestProbe<DeleteReply> deleted = testKit.createTestProbe();
    directory.network(NS, "n1").tell(new DpuVirtualNetworkEntity.Delete(deleted.getRef()));
    assertThat(deleted.receiveMessage()).isInstanceOf(DeleteReply.Deleted.class);
    EntityTestConfig.eventually(() -> assertThat(vpcStatus("short-lived").virtualNetworks()).containsExactly("n2"));

    directory.vpc(NS, "short-lived").tell(new DpuVpcEntity.Delete(testKit.<DeleteReply>createTestProbe().getRef()));
    awaitCondition("n2", ConditionTypes.PREREQUISITES_READY, "NotFound");
  }

  @Test
  void rejoinsItsVpcAfterARestart() {
    applyVpc("steady");
    apply("survivor", network("steady", "10.30.0.0/24"));
    awaitCondition("survivor", ConditionTypes.READY, "Success");

    directory.restartNetwork(NS, "survivor");

    assertThat(status("survivor").spec()).isEqualTo(network("steady", "10.30.0.0/24"));
    awaitCondition("survivor", ConditionTypes.READY, "Success");
    assertThat(vpcStatus("steady").virtualNetworks()).containsExactly("survivor");
  }
}
