package io.dpuvpc.actors.model;

/**
 * The resource kinds the product manages, with their Kubernetes kind name and scope.
 *
 * <p>{@link #DPU_NODE} has no Kubernetes resource in the reference; it is the product's own record
 * of a DPU's facts (labels, chassis, VTEP and external addresses, readiness).
 */
public enum ResourceKind {
  ISOLATION_CLASS("IsolationClass", true),
  DPU_VPC("DPUVPC", false),
  DPU_VIRTUAL_NETWORK("DPUVirtualNetwork", false),
  DPU_SERVICE_INTERFACE("DPUServiceInterface", false),
  SERVICE_INTERFACE("ServiceInterface", false),
  DPU_NODE("DPUNode", true);

  private final String kindName;
  private final boolean clusterScoped;

  ResourceKind(String kindName, boolean clusterScoped) {
    this.kindName = kindName;
    this.clusterScoped = clusterScoped;
  }

  /** The Kubernetes {@code kind}, e.g. {@code DPUVPC}. */
  public String kindName() {
    return kindName;
  }

  public boolean clusterScoped() {
    return clusterScoped;
  }
}
