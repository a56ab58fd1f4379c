package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.validation.FieldError;
import java.time.Clock;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DPUVPC entity: apply, validation and immutability, idempotence, its IsolationClass
 * prerequisite healing by itself, networks joining without overlap, delete, and recovery. Every
 * message crosses the Jackson CBOR serializer ({@code serialize-messages = on}).
 */
class DpuVpcEntityTest {
  static ActorTestKit testKit;
  static TestDirectory directory;
  static final String NS = "default";
  static final String IC = "ovn.vpc.dpu.nvidia.com";

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EntityTestConfig.config());
    directory = new TestDirectory(testKit, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static DpuVpcSpec spec(String tenant, boolean interNetworkAccess) {
    return new DpuVpcSpec(tenant, IC, interNetworkAccess, LabelSelector.EVERYTHING);
  }

  static ApplyReply apply(String vpc, DpuVpcSpec spec) {
    TestProbe<ApplyReply> probe = testKit.createTestProbe();
    directory.vpc(NS, vpc).tell(new DpuVpcEntity.Apply(spec, probe.getRef()));
    return probe.receiveMessage();
  }

  static DpuVpcEntity.Status status(String vpc) {
    TestProbe<DpuVpcEntity.Status> probe = testKit.createTestProbe();
    directory.vpc(NS, vpc).tell(new DpuVpcEntity.GetStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  static DpuVpcEntity.AttachReply attach(String vpc, String network, String subnet) {
    TestProbe<DpuVpcEntity.AttachReply> probe = testKit.createTestProbe();
    directory.vpc(NS, vpc).tell(new DpuVpcEntity.AttachNetwork(network, subnet, probe.getRef()));
    return probe.receiveMessage();
  }

  static void applyIsolationClass(String provisioner) {
    TestProbe<ApplyReply> probe = testKit.createTestProbe();
    directory.isolationClass(IC).tell(new IsolationClassEntity.Apply(
        new IsolationClassSpec(provisioner, Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.1:6641")), probe.getRef()));
    assertThat(probe.receiveMessage()).isInstanceOf(ApplyReply.Accepted.class);
  }

  static Condition condition(String vpc, String type) {
    return status(vpc).conditions().get(type).orElseThrow();
  }

  @Test
  void applyIsIdempotentAndTheMissingIsolationClassHealsByItself() {
    ApplyReply first = apply("heal", spec("red", true));
    assertThat(first).isEqualTo(new ApplyReply.Accepted(first.key(), 1, true));
    assertThat(apply("heal", spec("red", true))).isEqualTo(new ApplyReply.Accepted(first.key(), 1, false));
    assertThat(first.key().toString()).isEqualTo("DPUVPC/default/heal");

    // No IsolationClass yet: PrerequisitesReady False naming the field, Ready False, reconciled True.
    awaitCondition("heal", ConditionTypes.PREREQUISITES_READY, "NotFound");
    Condition prerequisites = condition("heal", ConditionTypes.PREREQUISITES_READY);
    assertThat(prerequisites.status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(prerequisites.message()).contains("spec.isolationClassName", IC, "does not exist");
    assertThat(prerequisites.observedGeneration()).isEqualTo(1);
    assertThat(condition("heal", ConditionTypes.DPU_VPC_RECONCILED).isTrue()).isTrue();
    assertThat(condition("heal", ConditionTypes.READY).status()).isEqualTo(ConditionStatus.FALSE);

    applyIsolationClass(IsolationClassSpec.PROVISIONER);
    awaitCondition("heal", ConditionTypes.PREREQUISITES_READY, "Success");
    // Now the topology is published, and the (fake) bridge observed it; no node is selected here.
    awaitCondition("heal", ConditionTypes.READY, "Success");
    assertThat(condition("heal", ConditionTypes.TOPOLOGY_RECONCILED).isTrue()).isTrue();
  }

  @Test
  void invalidSpecIsRejectedAndChangesNothing() {
    ApplyReply reply = apply("bad", new DpuVpcSpec("", "Not A Name", true, LabelSelector.EVERYTHING));
    assertThat(reply).isInstanceOfSatisfying(ApplyReply.Rejected.class, r -> assertThat(r.errors())
        .extracting(FieldError::fieldPath).contains("spec.tenant", "spec.isolationClassName"));
    assertThat(status("bad").exists()).isFalse();
    assertThat(status("bad").generation()).isZero();
  }

  @Test
  void immutableFieldsRefuseChangesAndMutableOnesBumpTheGeneration() {
    apply("immutable", spec("red", true));
    ApplyReply tenantChange = apply("immutable", spec("blue", true));
    assertThat(tenantChange).isInstanceOfSatisfying(ApplyReply.Rejected.class, r -> assertThat(r.errors())
        .singleElement().satisfies(e -> {
          assertThat(e.fieldPath()).isEqualTo("spec.tenant");
          assertThat(e.reason()).isEqualTo("FieldImmutable");
        }));
    assertThat(status("immutable").spec().tenant()).isEqualTo("red");

    ApplyReply accessChange = apply("immutable", spec("red", false));
    assertThat(accessChange).isInstanceOfSatisfying(ApplyReply.Accepted.class, a -> assertThat(a.generation()).isEqualTo(2));
    assertThat(status("immutable").spec().interNetworkAccess()).isFalse();
  }

  @Test
  void networksOfOneVpcMayNotOverlapButMayReattach() {
    assertThat(attach("nets", "n1", "10.0.0.0/24")).isInstanceOf(DpuVpcEntity.NoSuchVpc.class);
    apply("nets", spec("red", true));
    assertThat(attach("nets", "n1", "10.0.0.0/24")).isInstanceOf(DpuVpcEntity.Attached.class);
    assertThat(attach("nets", "n1", "10.0.0.0/24")).isInstanceOf(DpuVpcEntity.Attached.class);
    assertThat(attach("nets", "n2", "10.0.0.128/25")).isInstanceOfSatisfying(DpuVpcEntity.AttachRefused.class,
        r -> assertThat(r.errors().get(0).message()).contains("overlaps 10.0.0.0/24 of DPUVirtualNetwork n1"));
    assertThat(attach("nets", "n2", "10.0.1.0/24")).isInstanceOf(DpuVpcEntity.Attached.class);
    assertThat(status("nets").virtualNetworks()).containsExactly("n1", "n2");

    directory.vpc(NS, "nets").tell(new DpuVpcEntity.DetachNetwork("n1"));
    assertThat(attach("nets", "n3", "10.0.0.0/25")).isInstanceOf(DpuVpcEntity.Attached.class);
    assertThat(status("nets").virtualNetworks()).containsExactly("n2", "n3");
  }

  @Test
  void stateSurvivesARestart() {
    apply("durable", spec("red", true));
    apply("durable", spec("red", false));
    attach("durable", "n1", "192.168.0.0/16");

    directory.restartVpc(NS, "durable");

    DpuVpcEntity.Status recovered = status("durable");
    assertThat(recovered.spec()).isEqualTo(spec("red", false));
    assertThat(recovered.generation()).isEqualTo(2);
    assertThat(recovered.virtualNetworks()).containsExactly("n1");
    // Conditions are not persisted: they are derived again after recovery.
    assertThat(recovered.conditions().get(ConditionTypes.DPU_VPC_RECONCILED)).isPresent();
  }

  @Test
  void deleteThenDeleteAgain() {
    apply("gone", spec("red", true));
    TestProbe<DeleteReply> probe = testKit.createTestProbe();
    directory.vpc(NS, "gone").tell(new DpuVpcEntity.Delete(probe.getRef()));
    assertThat(probe.receiveMessage()).isInstanceOf(DeleteReply.Deleted.class);
    directory.vpc(NS, "gone").tell(new DpuVpcEntity.Delete(probe.getRef()));
    assertThat(probe.receiveMessage()).isInstanceOf(DeleteReply.NotFound.class);
    assertThat(status("gone").exists()).isFalse();
    assertThat(attach("gone", "n1", "10.0.0.0/24")).isInstanceOf(DpuVpcEntity.NoSuchVpc.class);
    // Recreated, it continues the generation: a client never sees an old generation again.
    assertThat(apply("gone", spec("blue", true))).isInstanceOfSatisfying(ApplyReply.Accepted.class,
        a -> assertThat(a.generation()).isEqualTo(2));
  }

  static void awaitCondition(String vpc, String type, String reason) {
    EntityTestConfig.eventually(() -> assertThat(status(vpc).conditions().get(type)).hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo(reason)));
  }
}
