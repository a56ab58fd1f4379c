package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.northbound.TopologyIntent;

/**
 * Which netdev on the DPU carries a ServiceInterface, and which OVN logical port it carries: the
 * one place the naming rule of the BlueField representors is written. A PF interface is
 * {@code pf<pfID>}, a VF interface {@code pf<pfID>vf<vfID>}.
 *
 * <p>A {@code service} interface has no representor the agent plugs: ovs-cni plugs the pod's
 * interface into the integration bridge itself, as a port named after the host side of the link,
 * marked in the Port's {@code external_ids} with {@code owner=ovs-cni.network.kubevirt.io},
 * {@code contNetns} and {@code contIface} (the interface's name inside the pod). What stands in the
 * representor's place is therefore a match key, {@code ovs-cni:<interfaceName>}: the agent looks
 * for the ovs-cni port whose {@code contIface} is the interface name and only sets its
 * {@code iface-id}. The prefix cannot clash with a netdev: Linux refuses {@code :} in interface
 * names. Before the key existed a service interface's representor was its bare
 * {@code interfaceName}; such persisted ports are replaced at the interface's next tell.
 */
public final class Representors {
  private Representors() {}

  /** The prefix of a service interface's match key (see the class comment). */
  public static final String OVS_CNI = "ovs-cni:";

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
          ? null : OVS_CNI + spec.service().interfaceName();
      default -> null;
    };
  }

  /** The pod interface name a service interface's match key names, or null when {@code representor} is a netdev. */
  public static String ovsCniInterface(String representor) {
    return representor != null && representor.startsWith(OVS_CNI) && representor.length() > OVS_CNI.length()
        ? representor.substring(OVS_CNI.length()) : null;
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
