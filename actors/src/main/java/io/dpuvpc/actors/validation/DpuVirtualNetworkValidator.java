package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.FIELD_NOT_ALLOWED;
import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_CIDR;
import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_IP_ADDRESS;
import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_RANGE;
import static io.dpuvpc.actors.validation.ValidationReasons.NOT_NETWORK_ADDRESS;
import static io.dpuvpc.actors.validation.ValidationReasons.OUTSIDE_SUBNET;
import static io.dpuvpc.actors.validation.ValidationReasons.RESERVED_SUBNET;
import static io.dpuvpc.actors.validation.ValidationReasons.SUBNET_OVERLAP;
import static io.dpuvpc.actors.validation.ValidationReasons.SUBNET_TOO_SMALL;
import static io.dpuvpc.actors.validation.ValidationReasons.UNSUPPORTED_VALUE;

import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.ExcludeIp;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.IpRange;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.Ipv4Address;
import io.dpuvpc.actors.model.Ipv4Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Validates a DPUVirtualNetwork: a DNS-1123 name and vpcName, type {@value
 * DpuVirtualNetworkSpec#BRIDGED}, a well-formed nodeSelector, and the IPv4 IPAM: the subnet is a
 * CIDR written with its network address, with room for a gateway and a host (prefix at most
 * {@value #MAX_PREFIX}) and outside the reserved blocks; each exclusion is an {@code ip} or a
 * {@code range} (start not after end) inside the subnet. The whole spec is immutable. Networks of
 * one VPC must not overlap ({@link #overlaps}); networks of different VPCs may.
 */
public final class DpuVirtualNetworkValidator {
  private DpuVirtualNetworkValidator() {}

  /** /30 leaves exactly the gateway and one host; /31 and /32 leave no host besides the gateway. */
  public static final int MAX_PREFIX = 30;

  public static final String SUBNET_PATH = "spec.bridgedNetwork.ipam.ipv4.subnet";
  private static final String IPV4_PATH = "spec.bridgedNetwork.ipam.ipv4";

  /** Blocks that cannot carry a tenant network: "this" network, loopback, link-local, multicast, reserved. */
  static final List<Ipv4Cidr> RESERVED = List.of(
      Ipv4Cidr.parse("0.0.0.0/8"), Ipv4Cidr.parse("127.0.0.0/8"), Ipv4Cidr.parse("169.254.0.0/16"),
      Ipv4Cidr.parse("224.0.0.0/4"), Ipv4Cidr.parse("240.0.0.0/4"));

  public static List<FieldError> validate(String name, DpuVirtualNetworkSpec spec) {
    List<FieldError> errors = new ArrayList<>();
    Names.requireSubdomain("metadata.name", name, errors);
    if (spec == null) {
      errors.add(Names.required("spec", "a vpcName and a bridgedNetwork"));
      return List.copyOf(errors);
    }
    Names.requireSubdomain("spec.vpcName", spec.vpcName(), errors);
    if (!DpuVirtualNetworkSpec.BRIDGED.equals(spec.type())) {
      errors.add(new FieldError("spec.type", UNSUPPORTED_VALUE,
          "spec.type: \"" + spec.type() + "\" is not supported: set it to \"Bridged\" (the only network type)"));
    }
    errors.addAll(LabelSelectorValidator.validate("spec.nodeSelector", spec.nodeSelector()));
    Ipv4Ipam ipv4 = spec.ipv4();
    if (ipv4 == null) {
      errors.add(Names.required(IPV4_PATH, "the network's IPv4 settings: dhcp and subnet"));
      return List.copyOf(errors);
    }
    Ipv4Cidr subnet = subnet(ipv4.subnet(), errors);
    for (int i = 0; i < ipv4.excludeIPs().size(); i++) {
      exclusion(IPV4_PATH + ".excludeIPs[" + i + "]", ipv4.excludeIPs().get(i), subnet, errors);
    }
    return List.copyOf(errors);
  }

  /** Checks the subnet; returns it when valid, else null. */
  private static Ipv4Cidr subnet(String text, List<FieldError> errors) {
    Ipv4Cidr cidr = parsed(SUBNET_PATH, text, "an IPv4 block such as \"192.168.0.0/24\"", Ipv4Cidr::parse,
        INVALID_CIDR, errors);
    if (cidr == null) {
      return null;
    }
    if (!cidr.isNetworkAddress()) {
      errors.add(new FieldError(SUBNET_PATH, NOT_NETWORK_ADDRESS,
          SUBNET_PATH + ": " + text + " is not written with its network address: write " + cidr.canonical()));
      return null;
    }
    if (cidr.prefix() > MAX_PREFIX) {
      errors.add(new FieldError(SUBNET_PATH, SUBNET_TOO_SMALL,
          SUBNET_PATH + ": " + text + " has no room for a gateway and a host: use a prefix of /" + MAX_PREFIX
              + " or shorter"));
      return null;
    }
    for (Ipv4Cidr reserved : RESERVED) {
      if (reserved.overlaps(cidr)) {
        errors.add(new FieldError(SUBNET_PATH, RESERVED_SUBNET,
            SUBNET_PATH + ": " + text + " overlaps the reserved block " + reserved
                + ": choose a unicast block such as a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"));
        return null;
      }
    }
    return cidr;
  }

  private static void exclusion(String path, ExcludeIp exclude, Ipv4Cidr subnet, List<FieldError> errors) {
    if (exclude == null || (exclude.ip() == null && exclude.range() == null)) {
      errors.add(Names.required(path, "either ip: A.B.C.D or range: {start, end}"));
      return;
    }
    if (exclude.ip() != null && exclude.range() != null) {
      errors.add(new FieldError(path, FIELD_NOT_ALLOWED,
          path + " sets both ip and range: set only one of them, in two entries if you need both"));
      return;
    }
    if (exclude.ip() != null) {
      address(path + ".ip", exclude.ip(), subnet, errors);
      return;
    }
    IpRange range = exclude.range();
    Ipv4Address start = address(path + ".range.start", range.start(), subnet, errors);
    Ipv4Address end = address(path + ".range.end", range.end(), subnet, errors);
    if (start != null && end != null && start.compareTo(end) > 0) {
      errors.add(new FieldError(path + ".range", INVALID_RANGE,
          path + ".range: start " + start + " is after end " + end + ": swap them"));
    }
  }

  /** Checks an address that must lie in {@code subnet} (unchecked when the subnet is invalid). */
  private static Ipv4Address address(String path, String text, Ipv4Cidr subnet, List<FieldError> errors) {
    Ipv4Address address = parsed(path, text, "an IPv4 address inside the subnet", Ipv4Address::parse,
        INVALID_IP_ADDRESS, errors);
    if (address != null && subnet != null && !subnet.contains(address)) {
      errors.add(new FieldError(path, OUTSIDE_SUBNET,
          path + ": " + address + " is outside the subnet " + subnet + ": exclude only addresses of the subnet"));
      return null;
    }
    return address;
  }

  /** Parses a required value; on absence or a parse error adds the error (named {@code reason}) and returns null. */
  private static <T> T parsed(
      String path, String text, String what, Function<String, T> parser, String reason, List<FieldError> errors) {
    if (text == null || text.isEmpty()) {
      errors.add(Names.required(path, what));
      return null;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(path, reason, path + ": " + e.getMessage()));
      return null;
    }
  }

  /**
   * The overlap errors of {@code subnet} against the other networks of the same VPC ({@code
   * otherNetworkSubnets}: network name to subnet; unparsable entries are ignored, they have their
   * own errors). Different VPCs are separate address spaces and may overlap: do not pass them.
   */
  public static List<FieldError> overlaps(String subnet, Map<String, String> otherNetworkSubnets) {
    Ipv4Cidr own;
    try {
      own = Ipv4Cidr.parse(subnet);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, String> other : new TreeMap<>(otherNetworkSubnets).entrySet()) {
      Ipv4Cidr theirs;
      try {
        theirs = Ipv4Cidr.parse(other.getValue());
      } catch (IllegalArgumentException | NullPointerException e) {
        continue;
      }
      if (own.overlaps(theirs)) {
        errors.add(new FieldError(SUBNET_PATH, SUBNET_OVERLAP,
            SUBNET_PATH + ": " + subnet + " overlaps " + other.getValue() + " of DPUVirtualNetwork "
                + other.getKey() + " in the same VPC: choose a block that no other network of the VPC uses"));
      }
    }
    return List.copyOf(errors);
  }

  /** The errors of changing {@code before} into {@code after}: the whole spec is immutable. */
  public static List<FieldError> validateUpdate(
      String name, DpuVirtualNetworkSpec before, DpuVirtualNetworkSpec after) {
    List<FieldError> errors = new ArrayList<>(validate(name, after));
    if (before == null || after == null) {
      return List.copyOf(errors);
    }
    Immutable.check("spec.vpcName", before.vpcName(), after.vpcName(), errors);
    Immutable.check("spec.nodeSelector", before.nodeSelector(), after.nodeSelector(), errors);
    Immutable.check("spec.type", before.type(), after.type(), errors);
    Immutable.check("spec.externallyRouted", before.externallyRouted(), after.externallyRouted(), errors);
    Immutable.check("spec.masquerade", before.masquerade(), after.masquerade(), errors);
    Ipv4Ipam was = before.ipv4();
    Ipv4Ipam now = after.ipv4();
    if (was == null || now == null) {
      Immutable.check("spec.bridgedNetwork", before.bridgedNetwork(), after.bridgedNetwork(), errors);
    } else {
      Immutable.check(IPV4_PATH + ".dhcp", was.dhcp(), now.dhcp(), errors);
      Immutable.check(SUBNET_PATH, was.subnet(), now.subnet(), errors);
      Immutable.check(IPV4_PATH + ".excludeIPs", was.excludeIPs(), now.excludeIPs(), errors);
    }
    return List.copyOf(errors);
  }
}
