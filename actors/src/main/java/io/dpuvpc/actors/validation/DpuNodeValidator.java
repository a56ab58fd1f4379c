package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_CIDR;
import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_IP_ADDRESS;
import static io.dpuvpc.actors.validation.ValidationReasons.OUTSIDE_SUBNET;

import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.Ipv4Address;
import io.dpuvpc.actors.model.Ipv4Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates what is known of a DPU node: its name, its labels (as selectors will read them) and
 * the facts its agent reported, each only when present: the VTEP address, the external address
 * with its prefix ({@code a.b.c.d/p}, a host address) and a next hop inside that external
 * network.
 */
public final class DpuNodeValidator {
  private DpuNodeValidator() {}

  public static List<FieldError> validate(DpuNode node) {
    List<FieldError> errors = new ArrayList<>();
    Names.requireSubdomain("metadata.name", node.name(), errors);
    errors.addAll(LabelSelectorValidator.validateLabels("metadata.labels", node.labels()));
    if (node.vtepIp() != null && !Ipv4Address.isValid(node.vtepIp())) {
      errors.add(new FieldError("vtepIp", INVALID_IP_ADDRESS,
          "vtepIp: \"" + node.vtepIp() + "\" is not an IPv4 address: report the tunnel endpoint's address, e.g. 10.0.100.1"));
    }
    Ipv4Cidr external = null;
    if (node.externalIp() != null) {
      try {
        external = Ipv4Cidr.parse(node.externalIp());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("externalIp", INVALID_CIDR, "externalIp: " + e.getMessage()
            + "; report the external address with its prefix, e.g. 172.16.0.10/24"));
      }
    }
    if (node.externalNextHop() != null) {
      if (!Ipv4Address.isValid(node.externalNextHop())) {
        errors.add(new FieldError("externalNextHop", INVALID_IP_ADDRESS,
            "externalNextHop: \"" + node.externalNextHop() + "\" is not an IPv4 address: report the external gateway's address"));
      } else if (external != null && !external.contains(Ipv4Address.parse(node.externalNextHop()))) {
        errors.add(new FieldError("externalNextHop", OUTSIDE_SUBNET,
            "externalNextHop: " + node.externalNextHop() + " is outside the external network " + external.canonical()
                + ": report a next hop on the external network"));
      }
    }
    return List.copyOf(errors);
  }
}
