package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;
import java.util.Map;

/**
 * The spec of a DPUServiceInterface, shaped as the reference's {@code
 * spec.template.spec.{nodeSelector, template.{metadata, spec}}}: which DPU nodes get a
 * ServiceInterface (empty selector = all), and the ServiceInterface template each gets.
 */
public record DpuServiceInterfaceSpec(SetTemplate template) implements CborSerializable {

  public static DpuServiceInterfaceSpec of(
      LabelSelector nodeSelector, Map<String, String> annotations, ServiceInterfaceSpec interfaceSpec) {
    return new DpuServiceInterfaceSpec(
        new SetTemplate(
            TemplateMetadata.EMPTY,
            new SetSpec(
                nodeSelector,
                new ServiceInterfaceTemplate(TemplateMetadata.annotated(annotations), interfaceSpec))));
  }

  /** {@code spec.template.spec.nodeSelector}; the empty selector when absent. */
  public LabelSelector nodeSelector() {
    return template == null || template.spec() == null
        ? LabelSelector.EVERYTHING
        : template.spec().nodeSelector();
  }

  /** {@code spec.template.spec.template}, or null when absent. */
  public ServiceInterfaceTemplate interfaceTemplate() {
    return template == null || template.spec() == null ? null : template.spec().template();
  }

  /** {@code spec.template}: the ServiceInterfaceSet template. */
  public record SetTemplate(TemplateMetadata metadata, SetSpec spec) implements CborSerializable {
    public SetTemplate {
      metadata = TemplateMetadata.orEmpty(metadata);
    }
  }

  /** {@code spec.template.spec}: the node selector and the ServiceInterface template. */
  public record SetSpec(LabelSelector nodeSelector, ServiceInterfaceTemplate template)
      implements CborSerializable {
    public SetSpec {
      nodeSelector = LabelSelector.orEverything(nodeSelector);
    }
  }
}
