package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.Names;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DPUServiceInterface entity with the real fleet, nodes, networks and ServiceInterfaces: one
 * ServiceInterface per matching node, following relabels and new nodes; its three conditions,
 * the set's readiness aggregated from the children; a missing network; restarts and delete.
 */
class DpuServiceInterfaceEntityTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  static DpuServiceInterfaceSpec workers(String network) {
    return DpuServiceInterfaceSpec.of(LabelSelector.ofLabels(Map.of("role", "worker")), Map.of(),
        ServiceInterfaceSpec.pf(0, network));
  }

  void awaitChildren(String dsi, String... names) {
    EntityTestConfig.eventually(() -> assertThat(h.dpuServiceInterface(dsi).children())
        .extracting(DpuServiceInterfaceEntity.Child::name).containsExactly(names));
  }

  Condition condition(String dsi, String type, String reason) {
    return EntityHarness.awaitReason(() -> h.dpuServiceInterface(dsi).conditions(), type, reason);
  }

  @Test
  void expandsToOneServiceInterfacePerMatchingNodeAndFollowsLabels() {
    h.directory.bridge.portsUp(false); // the ports come up when the test says so
    h.applyNetwork("net", LabelSelector.EVERYTHING);
    h.setLabels("dpu-1", Map.of("role", "worker"));
    h.setLabels("dpu-2", Map.of("role", "worker"));
    h.setLabels("dpu-3", Map.of("role", "storage"));
    assertThat(h.applyDpuServiceInterface("pf0", workers("net"))).isInstanceOf(ApplyReply.Accepted.class);

    awaitChildren("pf0", "pf0-dpu-1", "pf0-dpu-2");
    EntityTestConfig.eventually(() -> assertThat(h.serviceInterface("pf0-dpu-1").exists()).isTrue());
    assertThat(h.serviceInterface("pf0-dpu-1").serviceInterface().spec()).isEqualTo(ServiceInterfaceSpec.pf(0, "net")
        .withNode("dpu-1"));
    condition("pf0", ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, "Success");
    condition("pf0", ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, "Success");
    // The children wait for their ports, and the set says so.
    Condition notReady = condition("pf0", ConditionTypes.SERVICE_INTERFACE_SET_READY, ServiceInterfaceEntity.AWAITING_PORT);
    assertThat(notReady.message()).contains("ServiceInterface pf0-dpu-1");
    for (String child : new String[] {"pf0-dpu-1", "pf0-dpu-2"}) {
      h.directory.serviceInterface(EntityHarness.NS, child).tell(new ServiceInterfaceEntity.PortObserved(true, "02:00:00:00:00:0a"));
    }
    condition("pf0", ConditionTypes.READY, "Success");

    h.setLabels("dpu-2", Map.of("role", "storage"));
    awaitChildren("pf0", "pf0-dpu-1");
    EntityTestConfig.eventually(() -> assertThat(h.serviceInterface("pf0-dpu-2").exists()).isFalse());

    h.setLabels("dpu-4", Map.of("role", "worker"));
    awaitChildren("pf0", "pf0-dpu-1", "pf0-dpu-4");
    EntityTestConfig.eventually(() -> assertThat(h.serviceInterface("pf0-dpu-4").serviceInterface().spec().node())
        .isEqualTo("dpu-4"));
    condition("pf0", ConditionTypes.SERVICE_INTERFACE_SET_READY, ServiceInterfaceEntity.AWAITING_PORT);
  }

  @Test
  void aMissingNetworkIsAPrerequisiteThatHeals() {
    h.directory.bridge.portsUp(false);
    h.setLabels("dpu-1", Map.of("role", "worker"));
    h.applyDpuServiceInterface("early", workers("later"));
    Condition missing = condition("early", ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, "NotFound");
    assertThat(missing.message()).contains("spec.template.spec.template.spec.virtualNetwork", "\"later\"");
    assertThat(h.dpuServiceInterface("early").conditions().get(ConditionTypes.READY).orElseThrow().reason())
        .isEqualTo("NotFound");

    h.applyNetwork("later", LabelSelector.EVERYTHING);
    condition("early", ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, "Success");
    condition("early", ConditionTypes.SERVICE_INTERFACE_SET_READY, ServiceInterfaceEntity.AWAITING_PORT);
  }

  @Test
  void invalidSpecsAreRejected() {
    DpuServiceInterfaceSpec withNode = DpuServiceInterfaceSpec.of(LabelSelector.EVERYTHING, Map.of(),
        ServiceInterfaceSpec.pf(0, "net").withNode("dpu-1"));
    assertThat(h.applyDpuServiceInterface("bad", withNode)).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        r -> assertThat(r.errors()).extracting(FieldError::fieldPath).containsExactly("spec.template.spec.template.spec.node"));
    assertThat(h.dpuServiceInterface("bad").exists()).isFalse();
  }

  @Test
  void restartsLoseNothingAndDeleteRemovesTheChildren() throws InterruptedException {
    h.applyNetwork("net", LabelSelector.EVERYTHING);
    h.setLabels("dpu-1", Map.of("role", "worker"));
    h.applyDpuServiceInterface("pf0", workers("net"));
    awaitChildren("pf0", "pf0-dpu-1");
    condition("pf0", ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, "Success");

    h.directory.restartDpuServiceInterface(EntityHarness.NS, "pf0");
    assertThat(h.dpuServiceInterface("pf0").children()).extracting(DpuServiceInterfaceEntity.Child::name)
        .containsExactly("pf0-dpu-1");
    condition("pf0", ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, "Success");

    // A relabel while the fleet is down is not lost: the fleet recovers and pushes again.
    h.directory.restartFleet();
    h.setLabels("dpu-2", Map.of("role", "worker"));
    awaitChildren("pf0", "pf0-dpu-1", "pf0-dpu-2");

    assertThat(h.ask(h.directory.dpuServiceInterface(EntityHarness.NS, "pf0"), DpuServiceInterfaceEntity.Delete::new))
        .isInstanceOf(DeleteReply.Deleted.class);
    EntityTestConfig.eventually(() -> {
      assertThat(h.serviceInterface("pf0-dpu-1").exists()).isFalse();
      assertThat(h.serviceInterface("pf0-dpu-2").exists()).isFalse();
    });
    assertThat(h.dpuServiceInterface("pf0").children()).isEmpty();
    // Deleted means unwatched: a new matching node creates nothing.
    h.setLabels("dpu-3", Map.of("role", "worker"));
    Thread.sleep(500); // a push, were there one, would have created the child by now
    assertThat(h.serviceInterface("pf0-dpu-3").exists()).isFalse();
  }

  @Test
  void childNamesAreValidAndDistinctEvenWhenLong() {
    assertThat(DpuServiceInterfaceEntity.childName("pf0", "dpu-1")).isEqualTo("pf0-dpu-1");
    String longName = "a".repeat(200);
    String one = DpuServiceInterfaceEntity.childName(longName, "node." + "b".repeat(80));
    String two = DpuServiceInterfaceEntity.childName(longName, "node." + "b".repeat(79) + "c");
    assertThat(one).hasSize(Names.SUBDOMAIN_MAX).isNotEqualTo(two);
    assertThat(Names.isDns1123Subdomain(one)).isTrue();
    assertThat(Names.isDns1123Subdomain(DpuServiceInterfaceEntity.childName(longName, "x".repeat(41) + "." + "y".repeat(60))))
        .isTrue();
  }
}
