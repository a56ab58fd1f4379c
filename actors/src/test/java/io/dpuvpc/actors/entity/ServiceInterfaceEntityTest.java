package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.validation.FieldError;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ServiceInterface entity with real network and node entities: a missing network or node is
 * NotFound naming the field and heals by itself; a node outside the network's nodeSelector is
 * NodeNotInNetwork; Ready waits for the port to be seen connected; the unknown-mac annotation is
 * kept; restart and delete.
 */
class ServiceInterfaceEntityTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  static ServiceInterfaceTemplate vf(String node, String network) {
    return new ServiceInterfaceTemplate(TemplateMetadata.EMPTY, ServiceInterfaceSpec.vf(0, 1, network).withNode(node));
  }

  Condition reconciled(String name, String reason) {
    return EntityHarness.awaitReason(() -> h.serviceInterface(name).conditions(),
        ConditionTypes.SERVICE_INTERFACE_RECONCILED, reason);
  }

  @Test
  void aMissingNetworkHealsByItselfThenReadyWaitsForThePort() {
    h.directory.bridge.portsUp(false);
    h.setLabels("dpu-1", Map.of());
    assertThat(h.applyServiceInterface("si", vf("dpu-1", "late-net"))).isInstanceOf(ApplyReply.Accepted.class);
    Condition missing = reconciled("si", "NotFound");
    assertThat(missing.message()).contains("spec.virtualNetwork", "late-net", "does not exist");

    h.applyNetwork("late-net", LabelSelector.EVERYTHING);
    reconciled("si", "Success");
    Condition ready = h.serviceInterface("si").conditions().get(ConditionTypes.READY).orElseThrow();
    assertThat(ready.reason()).isEqualTo(ServiceInterfaceEntity.AWAITING_PORT);
    assertThat(ready.message()).contains("dpu-1");

    h.directory.serviceInterface(EntityHarness.NS, "si").tell(new ServiceInterfaceEntity.PortObserved(true, "02:00:00:00:00:01"));
    EntityHarness.awaitReason(() -> h.serviceInterface("si").conditions(), ConditionTypes.READY, "Success");
    assertThat(h.serviceInterface("si").mac()).isEqualTo("02:00:00:00:00:01");
  }

  @Test
  void aMissingNodeIsNotFoundNamingTheField() {
    h.applyNetwork("net", LabelSelector.EVERYTHING);
    h.applyServiceInterface("si", vf("ghost", "net"));
    assertThat(reconciled("si", "NotFound").message()).contains("spec.node", "DPUNode \"ghost\"");
    h.setLabels("ghost", Map.of());
    reconciled("si", "Success");
  }

  @Test
  void aNodeOutsideTheNetworksNodeSelectorIsRefusedUntilRelabelled() {
    h.applyNetwork("rack1-net", LabelSelector.ofLabels(Map.of("rack", "r1")));
    h.setLabels("dpu-2", Map.of("rack", "r2"));
    h.applyServiceInterface("si", vf("dpu-2", "rack1-net"));
    Condition outside = reconciled("si", ServiceInterfaceEntity.NODE_NOT_IN_NETWORK);
    assertThat(outside.message()).contains("spec.node", "dpu-2", "rack1-net", "rack=r1");
    assertThat(h.serviceInterface("si").conditions().get(ConditionTypes.READY).orElseThrow().reason())
        .isEqualTo(ServiceInterfaceEntity.NODE_NOT_IN_NETWORK);

    h.setLabels("dpu-2", Map.of("rack", "r1"));
    reconciled("si", "Success");
  }

  @Test
  void theNetworkKnowsItsInterfacesThroughMovesRestartsAndDeletes() {
    h.setLabels("dpu-1", Map.of());
    h.applyNetwork("net-a", LabelSelector.EVERYTHING);
    h.applyNetwork("net-b", LabelSelector.EVERYTHING);
    h.applyServiceInterface("si-1", vf("dpu-1", "net-a"));
    h.applyServiceInterface("si-2", vf("dpu-1", "net-a"));
    EntityTestConfig.eventually(() -> assertThat(h.network("net-a").serviceInterfaces()).containsExactly("si-1", "si-2"));

    // Moved to another network: it leaves the first and joins the second.
    h.applyServiceInterface("si-2", vf("dpu-1", "net-b"));
    EntityTestConfig.eventually(() -> {
      assertThat(h.network("net-a").serviceInterfaces()).containsExactly("si-1");
      assertThat(h.network("net-b").serviceInterfaces()).containsExactly("si-2");
    });

    // Membership is persisted: a restarted network still knows its interfaces.
    h.directory.restartNetwork(EntityHarness.NS, "net-b");
    assertThat(h.network("net-b").serviceInterfaces()).containsExactly("si-2");

    h.ask(h.directory.serviceInterface(EntityHarness.NS, "si-1"), ServiceInterfaceEntity.Delete::new);
    EntityTestConfig.eventually(() -> assertThat(h.network("net-a").serviceInterfaces()).isEmpty());

    // A deleted network tells its interfaces at once, which then say it is missing.
    reconciled("si-2", "Success");
    h.ask(h.directory.network(EntityHarness.NS, "net-b"), DpuVirtualNetworkEntity.Delete::new);
    assertThat(reconciled("si-2", "NotFound").message()).contains("spec.virtualNetwork", "net-b");
    assertThat(h.network("net-b").serviceInterfaces()).isEmpty();
  }

  @Test
  void invalidIsRejectedUnknownMacKeptAndRestartAndDeleteWork() {
    ServiceInterfaceTemplate noNode = vf(null, "net");
    assertThat(h.applyServiceInterface("bad", noNode)).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        r -> assertThat(r.errors()).extracting(FieldError::fieldPath).contains("spec.node"));

    h.applyNetwork("net", LabelSelector.EVERYTHING);
    h.setLabels("dpu-1", Map.of());
    ServiceInterfaceTemplate anyMac = new ServiceInterfaceTemplate(
        TemplateMetadata.annotated(Map.of(Annotations.UNKNOWN_MAC, "true")), vf("dpu-1", "net").spec());
    assertThat(h.applyServiceInterface("si", anyMac)).isEqualTo(new ApplyReply.Accepted(
        h.serviceInterface("si").key(), 1, true));
    assertThat(h.applyServiceInterface("si", anyMac)).isInstanceOfSatisfying(ApplyReply.Accepted.class,
        a -> assertThat(a.changed()).isFalse());
    reconciled("si", "Success");

    h.directory.restartServiceInterface(EntityHarness.NS, "si");
    assertThat(h.serviceInterface("si").serviceInterface().unknownMac()).isTrue();
    reconciled("si", "Success");

    assertThat(h.ask(h.directory.serviceInterface(EntityHarness.NS, "si"), ServiceInterfaceEntity.Delete::new))
        .isInstanceOf(DeleteReply.Deleted.class);
    assertThat(h.serviceInterface("si").exists()).isFalse();
    assertThat(h.serviceInterface("si").conditions().items()).isEmpty();
  }
}
