package io.dpuvpc.actors.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dpuvpc.actors.CborSerializable;
import java.util.List;

/**
 * The spec of a DPUVirtualNetwork, immutable once created: the DPUVPC it belongs to (by name, same
 * namespace), the network type (only {@value #BRIDGED}), external routing, masquerading (default
 * true) and the bridged network's IPv4 IPAM (DHCP, subnet whose first usable address is the
 * gateway, DHCP exclusions).
 *
 * <p>{@code type} and addresses stay strings so that bad input reaches the validators (and becomes a
 * condition naming the field) rather than failing deserialization.
 */
public record DpuVirtualNetworkSpec(
    String vpcName,
    LabelSelector nodeSelector,
    String type,
    boolean externallyRouted,
    Boolean masquerade,
    BridgedNetwork bridgedNetwork)
    implements CborSerializable {

  public static final String BRIDGED = "Bridged";

  public DpuVirtualNetworkSpec {
    nodeSelector = LabelSelector.orEverything(nodeSelector);
    type = type == null || type.isEmpty() ? BRIDGED : type;
    masquerade = masquerade == null ? Boolean.TRUE : masquerade;
  }

  /** A bridged network in the given VPC with the defaults: all nodes, masquerade on. */
  public static DpuVirtualNetworkSpec bridged(String vpcName, boolean externallyRouted, Ipv4Ipam ipv4) {
    return new DpuVirtualNetworkSpec(
        vpcName, LabelSelector.EVERYTHING, BRIDGED, externallyRouted, true,
        new BridgedNetwork(new Ipam(ipv4)));
  }

  /** The IPv4 IPAM, or null when the spec has none. */
  public Ipv4Ipam ipv4() {
    return bridgedNetwork == null || bridgedNetwork.ipam() == null ? null : bridgedNetwork.ipam().ipv4();
  }

  public record BridgedNetwork(Ipam ipam) implements CborSerializable {}

  public record Ipam(Ipv4Ipam ipv4) implements CborSerializable {}

  /** {@code bridgedNetwork.ipam.ipv4}: DHCP on/off, the subnet and the DHCP exclusions. */
  public record Ipv4Ipam(
      boolean dhcp, String subnet, @JsonProperty("excludeIPs") List<ExcludeIp> excludeIPs)
      implements CborSerializable {

    public Ipv4Ipam {
      excludeIPs = Collections2.copy(excludeIPs);
    }
  }

  /** One exclusion: either a single {@code ip} or an inclusive {@code range}, not both. */
  public record ExcludeIp(String ip, IpRange range) implements CborSerializable {

    public static ExcludeIp ip(String ip) {
      return new ExcludeIp(ip, null);
    }

    public static ExcludeIp range(String start, String end) {
      return new ExcludeIp(null, new IpRange(start, end));
    }
  }

  /** An inclusive address range. */
  public record IpRange(String start, String end) implements CborSerializable {}
}
