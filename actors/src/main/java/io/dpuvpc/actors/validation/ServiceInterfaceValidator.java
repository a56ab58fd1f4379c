package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.FIELD_NOT_ALLOWED;
import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_ANNOTATION;
import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_NAME;
import static io.dpuvpc.actors.validation.ValidationReasons.OUT_OF_RANGE;
import static io.dpuvpc.actors.validation.ValidationReasons.UNSUPPORTED_VALUE;

import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates DPUServiceInterfaces and the per-DPU ServiceInterfaces they expand to: the
 * interfaceType is pf, vf or service and exactly its sub-structure is set (pf: pfID; vf: pfID and
 * vfID; service: serviceID, interfaceName and network), ids are at least 0, virtualNetwork names
 * a DPUVirtualNetwork, and the unknown-mac annotation, when present, is "true" or "false". A
 * ServiceInterface names its node; a DPUServiceInterface's template must not (the node comes from
 * the nodeSelector).
 */
public final class ServiceInterfaceValidator {
  private ServiceInterfaceValidator() {}

  /** Linux IFNAMSIZ minus the terminating NUL. */
  public static final int MAX_INTERFACE_NAME = 15;

  private static final String TEMPLATE = "spec.template.spec.template";

  public static List<FieldError> validateDpuServiceInterface(String name, DpuServiceInterfaceSpec spec) {
    List<FieldError> errors = new ArrayList<>();
    Names.requireSubdomain("metadata.name", name, errors);
    if (spec == null || spec.template() == null || spec.template().spec() == null) {
      errors.add(Names.required("spec.template.spec", "a nodeSelector and a ServiceInterface template"));
      return List.copyOf(errors);
    }
    errors.addAll(LabelSelectorValidator.validate("spec.template.spec.nodeSelector", spec.nodeSelector()));
    ServiceInterfaceTemplate template = spec.interfaceTemplate();
    if (template == null) {
      errors.add(Names.required(TEMPLATE, "the ServiceInterface template (interfaceType and its fields)"));
      return List.copyOf(errors);
    }
    template(TEMPLATE + ".", template, false, errors);
    return List.copyOf(errors);
  }

  /** A per-DPU ServiceInterface: its metadata and spec, node included. */
  public static List<FieldError> validateServiceInterface(String name, ServiceInterfaceTemplate serviceInterface) {
    List<FieldError> errors = new ArrayList<>();
    Names.requireSubdomain("metadata.name", name, errors);
    if (serviceInterface == null) {
      errors.add(Names.required("spec", "an interfaceType and its fields"));
      return List.copyOf(errors);
    }
    template("", serviceInterface, true, errors);
    return List.copyOf(errors);
  }

  private static void template(String prefix, ServiceInterfaceTemplate t, boolean nodeRequired, List<FieldError> errors) {
    annotations(prefix + "metadata.annotations", t.metadata().annotations(), errors);
    String path = prefix + "spec";
    ServiceInterfaceSpec spec = t.spec();
    if (spec == null) {
      errors.add(Names.required(path, "an interfaceType and its fields"));
      return;
    }
    if (nodeRequired) {
      Names.requireSubdomain(path + ".node", spec.node(), errors);
    } else if (spec.node() != null && !spec.node().isEmpty()) {
      errors.add(new FieldError(path + ".node", FIELD_NOT_ALLOWED,
          path + ".node must not be set in a template: the nodes come from spec.template.spec.nodeSelector; remove it"));
    }
    Names.requireSubdomain(path + ".virtualNetwork", spec.virtualNetwork(), errors);
    String type = spec.interfaceType();
    if (type == null || type.isEmpty()) {
      errors.add(Names.required(path + ".interfaceType", "pf, vf or service"));
      return;
    }
    switch (type) {
      case ServiceInterfaceSpec.PF -> pf(path, spec, errors);
      case ServiceInterfaceSpec.VF -> vf(path, spec, errors);
      case ServiceInterfaceSpec.SERVICE -> service(path, spec, errors);
      default -> errors.add(new FieldError(path + ".interfaceType", UNSUPPORTED_VALUE,
          path + ".interfaceType: \"" + type + "\" is not supported: use pf, vf or service"));
    }
  }

  private static void pf(String path, ServiceInterfaceSpec spec, List<FieldError> errors) {
    notAllowed(path, "vf", spec.vf(), ServiceInterfaceSpec.PF, errors);
    notAllowed(path, "service", spec.service(), ServiceInterfaceSpec.PF, errors);
    if (spec.pf() == null) {
      errors.add(Names.required(path + ".pf", "{pfID: N} for interfaceType pf"));
      return;
    }
    id(path + ".pf.pfID", spec.pf().pfID(), errors);
  }

  private static void vf(String path, ServiceInterfaceSpec spec, List<FieldError> errors) {
    notAllowed(path, "pf", spec.pf(), ServiceInterfaceSpec.VF, errors);
    notAllowed(path, "service", spec.service(), ServiceInterfaceSpec.VF, errors);
    if (spec.vf() == null) {
      errors.add(Names.required(path + ".vf", "{pfID: N, vfID: M} for interfaceType vf"));
      return;
    }
    id(path + ".vf.pfID", spec.vf().pfID(), errors);
    id(path + ".vf.vfID", spec.vf().vfID(), errors);
  }

  private static void service(String path, ServiceInterfaceSpec spec, List<FieldError> errors) {
    notAllowed(path, "pf", spec.pf(), ServiceInterfaceSpec.SERVICE, errors);
    notAllowed(path, "vf", spec.vf(), ServiceInterfaceSpec.SERVICE, errors);
    ServiceInterfaceSpec.Service service = spec.service();
    if (service == null) {
      errors.add(Names.required(path + ".service", "{serviceID, interfaceName, network} for interfaceType service"));
      return;
    }
    String servicePath = path + ".service";
    if (service.serviceID() == null || service.serviceID().isBlank()) {
      errors.add(Names.required(servicePath + ".serviceID", "the serviceID of the DPUService, e.g. \"my-service\""));
    }
    interfaceName(servicePath + ".interfaceName", service.interfaceName(), errors);
    network(servicePath + ".network", service.network(), errors);
  }

  private static void notAllowed(String path, String field, Object value, String type, List<FieldError> errors) {
    if (value != null) {
      errors.add(new FieldError(path + "." + field, FIELD_NOT_ALLOWED,
          path + "." + field + " must not be set when interfaceType is " + type + ": remove it or change interfaceType"));
    }
  }

  private static void id(String path, Integer value, List<FieldError> errors) {
    if (value == null) {
      errors.add(Names.required(path, "a number, 0 or more"));
    } else if (value < 0) {
      errors.add(new FieldError(path, OUT_OF_RANGE, path + ": " + value + " is negative: use 0 or more"));
    }
  }

  private static void interfaceName(String path, String value, List<FieldError> errors) {
    if (value == null || value.isEmpty()) {
      errors.add(Names.required(path, "the interface's name inside the service's pod, e.g. \"my-sf\""));
    } else if (value.length() > MAX_INTERFACE_NAME || value.equals(".") || value.equals("..")
        || value.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c > 126)) {
      errors.add(new FieldError(path, INVALID_NAME,
          path + ": \"" + Names.abbreviate(value) + "\" is not a Linux interface name: use at most "
              + MAX_INTERFACE_NAME + " printable ASCII characters without '/', ':' or spaces"));
    }
  }

  private static void network(String path, String value, List<FieldError> errors) {
    if (value == null || value.isEmpty()) {
      errors.add(Names.required(path, "the NetworkAttachmentDefinition as namespace/name, e.g. \"dpf-operator-system/mybrint-vpc\""));
      return;
    }
    String[] parts = value.split("/", -1);
    boolean ok = parts.length <= 2;
    for (String part : parts) {
      ok &= Names.isDns1123Subdomain(part);
    }
    if (!ok) {
      errors.add(new FieldError(path, INVALID_NAME,
          path + ": \"" + Names.abbreviate(value) + "\" is not a NetworkAttachmentDefinition reference: write"
              + " namespace/name or name, each a DNS-1123 name"));
    }
  }

  private static void annotations(String path, Map<String, String> annotations, List<FieldError> errors) {
    String value = annotations.get(Annotations.UNKNOWN_MAC);
    if (value != null && !value.equals("true") && !value.equals("false")) {
      String p = path + "[" + Annotations.UNKNOWN_MAC + "]";
      errors.add(new FieldError(p, INVALID_ANNOTATION,
          p + ": \"" + Names.abbreviate(value) + "\" is not a boolean: write \"true\" or \"false\" (quoted in YAML)"));
    }
  }
}
