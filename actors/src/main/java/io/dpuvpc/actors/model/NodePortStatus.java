package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;

/**
 * One port wanted on a DPU node as its agent observes it: the OVN logical port, the representor
 * plugged for it, the MAC ovs-vswitchd reports for the representor ({@code mac_in_use}; null while
 * unknown), whether the Southbound {@code Port_Binding} of the logical port names the node's
 * chassis ({@code bound}) and whether that binding is {@code up} (false when bound elsewhere).
 * {@code hostMac} is the MAC of the interface the port serves, where the agent can see it (a
 * service pod's interface, through the network namespace ovs-cni recorded; null elsewhere and in
 * reports written before it existed), and {@code macMismatch} says that it differs from the MAC
 * the ServiceInterface was given, so that port security drops the host's traffic.
 */
public record NodePortStatus(String logicalPort, String representor, String mac, boolean bound, boolean up,
                             String hostMac, boolean macMismatch)
    implements CborSerializable {

  public NodePortStatus(String logicalPort, String representor, String mac, boolean bound, boolean up) {
    this(logicalPort, representor, mac, bound, up, null, false);
  }
}
