package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.northbound.TopologyIntent;

/**
 * Which netdev on the DPU carries a ServiceInterface, and which OVN logical port it carries: the
 * one place the naming rule of the BlueField representors is written. A PF interface is
 * {@code pf<pfID>}, a VF interface {@code pf<pfID>vf<vfID>}, a {@code service} interface its
 * {@code interfaceName} (the pod's interface, an SF or veth the DPU names after it).
 */
public final class Representors {
  private Representors() {}

  /** The representor of {@code spec}; null when the spec lacks what names it (validation rejects such specs). */
  public static String of(ServiceInterfaceSpec spec) {
    if (spec == null || spec.interfaceType() == null) {
      return null;
    }
    return switch (spec.interfaceType()) {
      case ServiceInterfaceSpec.PF -> spec.pf() == null || spec.pf().pfID() == null ? null : "pf" + spec.pf().pfID();
      case ServiceInterfaceSpec.VF -> spec.vf() == null || spec.vf().pfID() == null || spec.vf().vfID() == null
          ? null : "pf" + spec.vf().pfID() + "vf" + spec.vf().vfID();
      case ServiceInterfaceSpec.SERVICE -> spec.service() == null || blank(spec.service().interfaceName())
          ? null : spec.service().interfaceName();
      default -> null;
    };
  }

  /**
   * The logical switch port (and {@code iface-id}) of the ServiceInterface {@code key}: asked of
   * {@link TopologyIntent.Interface#portName()}, which names it for the Northbound bridge, so the
   * two never disagree.
   */
  public static String logicalPort(ResourceKey key) {
    if (key.kind() != ResourceKind.SERVICE_INTERFACE) {
      throw new IllegalArgumentException(key + " is not a ServiceInterface");
    }
    return new TopologyIntent.Interface(key, 0, null, null, null, null, null, false, false).portName();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
