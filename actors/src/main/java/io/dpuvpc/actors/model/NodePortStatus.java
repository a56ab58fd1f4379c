package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;

/**
 * One port wanted on a DPU node as its agent observes it: the OVN logical port, the representor
 * plugged for it, the MAC ovs-vswitchd reports for the representor ({@code mac_in_use}; null while
 * unknown), whether the Southbound {@code Port_Binding} of the logical port names the node's
 * chassis ({@code bound}) and whether that binding is {@code up} (false when bound elsewhere).
 */
public record NodePortStatus(String logicalPort, String representor, String mac, boolean bound, boolean up)
    implements CborSerializable {}
