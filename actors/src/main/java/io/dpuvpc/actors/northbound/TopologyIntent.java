package io.dpuvpc.actors.northbound;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one resource wants to exist in OVN, in the domain's words: the Northbound bridge turns it
 * into rows it owns (translation lives there, beside OVN). An intent is the whole desired state of
 * its owner: publishing a new one replaces the previous, so it is idempotent and the latest wins.
 *
 * <p>{@link Northbound.Publish} carries it as this interface, so Jackson needs the concrete type on
 * the wire (between cluster nodes): a stable name, not the class name, so that renaming a record
 * does not break a rolling upgrade.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TopologyIntent.Vpc.class, name = "vpc"),
    @JsonSubTypes.Type(value = TopologyIntent.Network.class, name = "network"),
    @JsonSubTypes.Type(value = TopologyIntent.Interface.class, name = "interface")})
public sealed interface TopologyIntent extends CborSerializable {

  ResourceKey owner();

  /** The owner's generation this intent was derived from; observations echo it. */
  long generation();

  /**
   * A DPUVPC: its router and join switch, its networks' subnets (for the routing and isolation
   * rules, one rule per VPC whatever the number of networks), and one gateway per DPU node it
   * holds, through which its externally routed networks leave, masqueraded or routed.
   */
  record Vpc(ResourceKey owner, long generation, boolean interNetworkAccess, SortedMap<String, NetworkRoute> networks,
             List<Gateway> gateways) implements TopologyIntent {
    public Vpc {
      networks = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(networks));
      gateways = List.copyOf(gateways);
    }
  }

  /** A network as its VPC routes it. */
  record NetworkRoute(String subnet, boolean externallyRouted, boolean masquerade) implements CborSerializable {}

  /**
   * A DPU node as a VPC's gateway: its OVN chassis (system-id), its external address with prefix
   * ({@code 172.16.0.11/24}) and the next hop beyond it.
   */
  record Gateway(String node, String chassis, String externalIp, String nextHop) implements CborSerializable {}

  /**
   * A DPUVirtualNetwork: its logical switch with the subnet and exclusions (in OVN's syntax, a
   * single address or {@code a..b}), DHCP when on, and its port on the VPC's router at the
   * subnet's first address.
   */
  record Network(ResourceKey owner, long generation, String vpc, String subnet, List<String> excludeIps, boolean dhcp,
                 Map<String, String> dhcpOptions) implements TopologyIntent {
    public Network {
      excludeIps = List.copyOf(excludeIps);
      dhcpOptions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dhcpOptions));
    }
  }

  /**
   * A ServiceInterface: a logical switch port on its network's switch, named so the node agent can
   * plug the representor with {@code iface-id} = {@link #portName}; {@code mac} is the address the
   * product assigned (null with {@code unknownMac}); the address comes from DHCP ({@code dynamic})
   * unless {@code staticIp} is given.
   */
  record Interface(ResourceKey owner, long generation, String vpc, String network, String node, String mac,
                   String staticIp, boolean unknownMac, boolean dhcp) implements TopologyIntent {
    /** The logical switch port's name, which is also the {@code iface-id} the agent sets. */
    public String portName() {
      return owner.namespace() + "_" + owner.name();
    }
  }
}
