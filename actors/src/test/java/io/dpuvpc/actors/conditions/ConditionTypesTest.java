package io.dpuvpc.actors.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.ResourceKind;
import org.junit.jupiter.api.Test;

/** The condition types are exactly the reference's, spelled as it spells them. */
class ConditionTypesTest {

  @Test
  void dpuVpc() {
    assertThat(ConditionTypes.all(ResourceKind.DPU_VPC)).containsExactlyInAnyOrder(
        "Ready", "DPUVPCReconciled", "TopologyReconciled", "DPUNodesReconciled", "PrerequisitesReady");
  }

  @Test
  void dpuVirtualNetwork() {
    assertThat(ConditionTypes.all(ResourceKind.DPU_VIRTUAL_NETWORK)).containsExactlyInAnyOrder(
        "Ready", "DPUVirtualNetworkReconciled", "PrerequisitesReady");
  }

  @Test
  void dpuServiceInterface() {
    assertThat(ConditionTypes.all(ResourceKind.DPU_SERVICE_INTERFACE)).containsExactlyInAnyOrder(
        "Ready", "ServiceInterfacePreReqsReady", "ServiceInterfaceSetReady", "ServiceInterfaceSetReconciled");
  }

  @Test
  void serviceInterface() {
    assertThat(ConditionTypes.all(ResourceKind.SERVICE_INTERFACE)).containsExactly("Ready", "ServiceInterfaceReconciled");
  }

  @Test
  void kindsWithoutConditions() {
    assertThat(ConditionTypes.all(ResourceKind.ISOLATION_CLASS)).isEmpty();
    assertThat(ConditionTypes.summarised(ResourceKind.DPU_NODE)).isEmpty();
  }

  @Test
  void prerequisitesAreReportedFirst() {
    assertThat(ConditionTypes.summarised(ResourceKind.DPU_VPC)).startsWith("PrerequisitesReady");
    assertThat(ConditionTypes.summarised(ResourceKind.DPU_SERVICE_INTERFACE)).startsWith("ServiceInterfacePreReqsReady");
  }
}
