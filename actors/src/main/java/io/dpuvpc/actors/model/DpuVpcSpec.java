package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;

/**
 * The spec of a DPUVPC: the tenant that owns it, the IsolationClass it uses (by name), whether its
 * virtual networks may route to each other, and which DPU nodes take part (empty selector = all).
 * A DPU node belongs to at most one DPUVPC. {@code tenant}, {@code isolationClassName} and {@code
 * nodeSelector} are immutable; {@code interNetworkAccess} may change.
 */
public record DpuVpcSpec(
    String tenant, String isolationClassName, boolean interNetworkAccess, LabelSelector nodeSelector)
    implements CborSerializable {

  public DpuVpcSpec {
    nodeSelector = LabelSelector.orEverything(nodeSelector);
  }
}
