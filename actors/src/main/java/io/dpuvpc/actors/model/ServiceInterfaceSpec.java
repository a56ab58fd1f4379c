package io.dpuvpc.actors.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dpuvpc.actors.CborSerializable;

/**
 * The spec of a ServiceInterface, the per-DPU interface: the node it lives on (set when a
 * DPUServiceInterface is expanded onto a node; absent in the template), its {@code interfaceType}
 * ({@value #PF}, {@value #VF} or {@value #SERVICE}) with the matching sub-structure, and the
 * DPUVirtualNetwork it joins (by name, same namespace).
 */
public record ServiceInterfaceSpec(
    String node, String interfaceType, Pf pf, Vf vf, Service service, String virtualNetwork)
    implements CborSerializable {

  public static final String PF = "pf";
  public static final String VF = "vf";
  public static final String SERVICE = "service";

  public static ServiceInterfaceSpec vf(int pfId, int vfId, String virtualNetwork) {
    return new ServiceInterfaceSpec(null, VF, null, new Vf(pfId, vfId, ""), null, virtualNetwork);
  }

  public static ServiceInterfaceSpec pf(int pfId, String virtualNetwork) {
    return new ServiceInterfaceSpec(null, PF, new Pf(pfId), null, null, virtualNetwork);
  }

  public static ServiceInterfaceSpec service(
      String serviceId, String interfaceName, String network, String virtualNetwork) {
    return new ServiceInterfaceSpec(
        null, SERVICE, null, null, new Service(serviceId, network, interfaceName), virtualNetwork);
  }

  /** The same interface placed on {@code nodeName}. */
  public ServiceInterfaceSpec withNode(String nodeName) {
    return new ServiceInterfaceSpec(nodeName, interfaceType, pf, vf, service, virtualNetwork);
  }

  /** {@code pf}: a host physical function. */
  public record Pf(@JsonProperty("pfID") Integer pfID) implements CborSerializable {}

  /** {@code vf}: a host virtual function of PF {@code pfID}. */
  public record Vf(
      @JsonProperty("pfID") Integer pfID,
      @JsonProperty("vfID") Integer vfID,
      String parentInterfaceRef)
      implements CborSerializable {

    public Vf {
      parentInterfaceRef = parentInterfaceRef == null ? "" : parentInterfaceRef;
    }
  }

  /**
   * {@code service}: an interface of a DPUService pod: the service's {@code serviceID}, the
   * interface name inside the pod and the NetworkAttachmentDefinition ({@code namespace/name}).
   */
  public record Service(
      @JsonProperty("serviceID") String serviceID, String network, String interfaceName)
      implements CborSerializable {}
}
