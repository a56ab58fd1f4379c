package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What is known of one DPU node, as its agent and the cluster report it: labels (for selectors),
 * the OVN chassis id, the VTEP (tunnel) address, the external gateway address with its prefix
 * ({@code a.b.c.d/p}) and next hop, readiness and the last heartbeat. Facts not yet reported are
 * null.
 *
 * <p>The agent also reports what it observes of OVN and of its ports: whether the Southbound holds
 * the node's chassis ({@code chassisRegistered}: a {@code Chassis} row named {@code chassisId} with
 * an {@code Encap} at {@code vtepIp}), whether hardware offload is on ({@code hwOffload}) and, per
 * wanted port, its {@link NodePortStatus}. Like readiness they are observations, not durable facts:
 * events written before they existed read back as false and empty.
 */
public record DpuNode(
    String name,
    Map<String, String> labels,
    String chassisId,
    String vtepIp,
    String externalIp,
    String externalNextHop,
    boolean ready,
    Instant lastHeartbeat,
    boolean chassisRegistered,
    boolean hwOffload,
    List<NodePortStatus> ports)
    implements CborSerializable {

  public DpuNode {
    labels = Collections2.sortedCopy(labels);
    ports = Collections2.copy(ports);
  }

  /** The facts without observations of OVN and of the ports (none registered, no offload, no ports). */
  public DpuNode(String name, Map<String, String> labels, String chassisId, String vtepIp, String externalIp,
      String externalNextHop, boolean ready, Instant lastHeartbeat) {
    this(name, labels, chassisId, vtepIp, externalIp, externalNextHop, ready, lastHeartbeat, false, false, List.of());
  }

  /** A node known only by name and labels, not yet reported by its agent. */
  public static DpuNode labelled(String name, Map<String, String> labels) {
    return new DpuNode(name, labels, null, null, null, null, false, null);
  }

  public DpuNode withLabels(Map<String, String> newLabels) {
    return new DpuNode(name, newLabels, chassisId, vtepIp, externalIp, externalNextHop, ready, lastHeartbeat,
        chassisRegistered, hwOffload, ports);
  }

  /** These durable facts with the agent's observations: readiness, heartbeat, chassis, offload, ports. */
  public DpuNode observed(boolean newReady, Instant at, boolean registered, boolean offload,
      List<NodePortStatus> newPorts) {
    return new DpuNode(name, labels, chassisId, vtepIp, externalIp, externalNextHop, newReady, at, registered, offload,
        newPorts);
  }

  /** The agent's report of its facts at {@code at}. */
  public DpuNode reported(
      String newChassisId, String newVtepIp, String newExternalIp, String newNextHop, boolean newReady, Instant at) {
    return new DpuNode(name, labels, newChassisId, newVtepIp, newExternalIp, newNextHop, newReady, at);
  }
}
