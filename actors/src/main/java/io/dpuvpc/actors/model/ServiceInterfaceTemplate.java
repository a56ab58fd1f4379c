package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;

/**
 * A ServiceInterface's metadata and spec. As {@code spec.template.spec.template} of a
 * DPUServiceInterface its spec has no node; {@link #forNode} gives the per-DPU ServiceInterface,
 * which has the same shape with the node set. The annotations carry {@link
 * Annotations#UNKNOWN_MAC}.
 */
public record ServiceInterfaceTemplate(TemplateMetadata metadata, ServiceInterfaceSpec spec)
    implements CborSerializable {

  public ServiceInterfaceTemplate {
    metadata = TemplateMetadata.orEmpty(metadata);
  }

  /** The ServiceInterface this template yields on {@code nodeName}. */
  public ServiceInterfaceTemplate forNode(String nodeName) {
    return new ServiceInterfaceTemplate(metadata, spec == null ? null : spec.withNode(nodeName));
  }

  /** Whether the unknown-mac annotation asks for a port that accepts any source MAC. */
  public boolean unknownMac() {
    return Annotations.unknownMac(metadata.annotations());
  }
}
