package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * What is known of one DPU node, as its agent and the cluster report it: labels (for selectors),
 * the OVN chassis id, the VTEP (tunnel) address, the external gateway address with its prefix
 * ({@code a.b.c.d/p}) and next hop, readiness and the last heartbeat. Facts not yet reported are
 * null.
 */
public record DpuNode(
    String name,
    Map<String, String> labels,
    String chassisId,
    String vtepIp,
    String externalIp,
    String externalNextHop,
    boolean ready,
    Instant lastHeartbeat)
    implements CborSerializable {

  public DpuNode {
    labels = Collections2.sortedCopy(labels);
  }

  /** A node known only by name and labels, not yet reported by its agent. */
  public static DpuNode labelled(String name, Map<String, String> labels) {
    return new DpuNode(name, labels, null, null, null, null, false, null);
  }

  public DpuNode withLabels(Map<String, String> newLabels) {
    return new DpuNode(name, newLabels, chassisId, vtepIp, externalIp, externalNextHop, ready, lastHeartbeat);
  }

  /** The agent's report of its facts at {@code at}. */
  public DpuNode reported(
      String newChassisId, String newVtepIp, String newExternalIp, String newNextHop, boolean newReady, Instant at) {
    return new DpuNode(name, labels, newChassisId, newVtepIp, newExternalIp, newNextHop, newReady, at);
  }
}
