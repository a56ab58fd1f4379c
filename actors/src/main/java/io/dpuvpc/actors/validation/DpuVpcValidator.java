package io.dpuvpc.actors.validation;

import io.dpuvpc.actors.model.DpuVpcSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a DPUVPC: a DNS-1123 name, a tenant, an isolationClassName that is a valid name and a
 * well-formed nodeSelector; on update, {@code tenant}, {@code isolationClassName} and {@code
 * nodeSelector} must not change ({@code interNetworkAccess} may). Whether the IsolationClass
 * exists is {@link References}' question; whether a node is claimed twice, {@link NodeClaims}'.
 */
public final class DpuVpcValidator {
  private DpuVpcValidator() {}

  public static List<FieldError> validate(String name, DpuVpcSpec spec) {
    List<FieldError> errors = new ArrayList<>();
    Names.requireSubdomain("metadata.name", name, errors);
    if (spec == null) {
      errors.add(Names.required("spec", "a tenant and an isolationClassName"));
      return List.copyOf(errors);
    }
    if (spec.tenant() == null || spec.tenant().isBlank()) {
      errors.add(Names.required("spec.tenant", "the tenant that owns this VPC, e.g. \"my-tenant\""));
    }
    Names.requireSubdomain("spec.isolationClassName", spec.isolationClassName(), errors);
    errors.addAll(LabelSelectorValidator.validate("spec.nodeSelector", spec.nodeSelector()));
    return List.copyOf(errors);
  }

  /** The errors of changing {@code before} into {@code after}, the new spec's own errors included. */
  public static List<FieldError> validateUpdate(String name, DpuVpcSpec before, DpuVpcSpec after) {
    List<FieldError> errors = new ArrayList<>(validate(name, after));
    if (before != null && after != null) {
      Immutable.check("spec.tenant", before.tenant(), after.tenant(), errors);
      Immutable.check("spec.isolationClassName", before.isolationClassName(), after.isolationClassName(), errors);
      Immutable.check("spec.nodeSelector", before.nodeSelector(), after.nodeSelector(), errors);
    }
    return List.copyOf(errors);
  }
}
