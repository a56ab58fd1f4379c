package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;
import java.util.Comparator;

/**
 * A port a ServiceInterface wants on its DPU node: the agent plugs {@code representor} into the
 * integration bridge with {@code iface-id} = {@code logicalPort}; {@code mac} is the address the
 * product assigned, null with unknown-mac (the host keeps its own). For a {@code service}
 * interface {@code representor} is the match key {@code ovs-cni:<interfaceName>} of the port
 * ovs-cni made, whose {@code iface-id} the agent sets without owning the port. See
 * {@link Representors}.
 */
public record WantedPort(ResourceKey serviceInterface, String representor, String logicalPort, String mac)
    implements CborSerializable {

  /** The order of {@link DpuNodeEntity.Ports}: by ServiceInterface key. */
  static final Comparator<WantedPort> ORDER = Comparator.comparing(p -> p.serviceInterface().toString());
}
