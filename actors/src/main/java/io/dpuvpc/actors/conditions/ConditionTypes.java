package io.dpuvpc.actors.conditions;

import io.dpuvpc.actors.model.ResourceKind;
import java.util.List;

/**
 * The condition types of the reference, per kind. {@link #READY} summarises the others ({@link
 * Conditions#withReady}); {@link #summarised} lists them in the order a failure is reported:
 * prerequisites first, then reconciliation, then readiness of what was reconciled.
 */
public final class ConditionTypes {
  private ConditionTypes() {}

  public static final String READY = "Ready";

  // DPUVPC
  public static final String PREREQUISITES_READY = "PrerequisitesReady";
  public static final String DPU_VPC_RECONCILED = "DPUVPCReconciled";
  public static final String TOPOLOGY_RECONCILED = "TopologyReconciled";
  public static final String DPU_NODES_RECONCILED = "DPUNodesReconciled";

  // DPUVirtualNetwork (and PrerequisitesReady)
  public static final String DPU_VIRTUAL_NETWORK_RECONCILED = "DPUVirtualNetworkReconciled";

  // DPUServiceInterface
  public static final String SERVICE_INTERFACE_PRE_REQS_READY = "ServiceInterfacePreReqsReady";
  public static final String SERVICE_INTERFACE_SET_RECONCILED = "ServiceInterfaceSetReconciled";
  public static final String SERVICE_INTERFACE_SET_READY = "ServiceInterfaceSetReady";

  // ServiceInterface
  public static final String SERVICE_INTERFACE_RECONCILED = "ServiceInterfaceReconciled";

  /** The kind's conditions that Ready summarises, in reporting order; empty for kinds without conditions. */
  public static List<String> summarised(ResourceKind kind) {
    return switch (kind) {
      case DPU_VPC -> List.of(PREREQUISITES_READY, DPU_VPC_RECONCILED, TOPOLOGY_RECONCILED, DPU_NODES_RECONCILED);
      case DPU_VIRTUAL_NETWORK -> List.of(PREREQUISITES_READY, DPU_VIRTUAL_NETWORK_RECONCILED);
      case DPU_SERVICE_INTERFACE ->
          List.of(SERVICE_INTERFACE_PRE_REQS_READY, SERVICE_INTERFACE_SET_RECONCILED, SERVICE_INTERFACE_SET_READY);
      case SERVICE_INTERFACE -> List.of(SERVICE_INTERFACE_RECONCILED);
      case ISOLATION_CLASS, DPU_NODE -> List.of();
    };
  }

  /** Every condition type of the kind, Ready included (first). */
  public static List<String> all(ResourceKind kind) {
    List<String> summarised = summarised(kind);
    if (summarised.isEmpty()) {
      return List.of();
    }
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(READY), summarised.stream()).toList();
  }
}
