package io.dpuvpc.actors.validation;

import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import java.util.List;

/**
 * The validator of each kind's spec, by kind: what every ingress (the admin API's documents, the
 * Kubernetes informers) calls on a spec it decoded, so each applies the same rules.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /**
   * The errors of {@code spec}, the spec record of {@code kind} (a {@link ServiceInterfaceTemplate}
   * for a ServiceInterface), for a resource named {@code name}; empty when valid.
   *
   * @throws IllegalArgumentException for {@link ResourceKind#DPU_NODE}, which agents report rather than users apply
   */
  public static List<FieldError> validate(ResourceKind kind, String name, Object spec) {
    return switch (kind) {
      case ISOLATION_CLASS -> IsolationClassValidator.validate(name, (IsolationClassSpec) spec);
      case DPU_VPC -> DpuVpcValidator.validate(name, (DpuVpcSpec) spec);
      case DPU_VIRTUAL_NETWORK -> DpuVirtualNetworkValidator.validate(name, (DpuVirtualNetworkSpec) spec);
      case DPU_SERVICE_INTERFACE ->
          ServiceInterfaceValidator.validateDpuServiceInterface(name, (DpuServiceInterfaceSpec) spec);
      case SERVICE_INTERFACE -> ServiceInterfaceValidator.validateServiceInterface(name, (ServiceInterfaceTemplate) spec);
      case DPU_NODE -> throw new IllegalArgumentException("a DPUNode's facts are reported by its agent, not applied");
    };
  }
}
