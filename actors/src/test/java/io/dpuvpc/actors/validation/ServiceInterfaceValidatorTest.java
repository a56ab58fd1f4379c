package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ErrorAssertions.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceSpec.Pf;
import io.dpuvpc.actors.model.ServiceInterfaceSpec.Service;
import io.dpuvpc.actors.model.ServiceInterfaceSpec.Vf;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceInterfaceValidatorTest {

  private static final String T = "spec.template.spec.template.spec";

  private static List<FieldError> dsi(ServiceInterfaceSpec spec) {
    return dsi(Map.of(), spec);
  }

  private static List<FieldError> dsi(Map<String, String> annotations, ServiceInterfaceSpec spec) {
    return ServiceInterfaceValidator.validateDpuServiceInterface("if1",
        DpuServiceInterfaceSpec.of(LabelSelector.EVERYTHING, annotations, spec));
  }

  private static ServiceInterfaceSpec spec(String type, Pf pf, Vf vf, Service service) {
    return new ServiceInterfaceSpec(null, type, pf, vf, service, "testnet1");
  }

  @Test
  void acceptsEachInterfaceType() {
    assertThat(dsi(ServiceInterfaceSpec.vf(0, 2, "testnet1"))).isEmpty();
    assertThat(dsi(ServiceInterfaceSpec.pf(1, "testnet1"))).isEmpty();
    assertThat(dsi(ServiceInterfaceSpec.service("my-service", "my-sf", "dpf-operator-system/mybrint-vpc", "testnet1")))
        .isEmpty();
    assertThat(dsi(ServiceInterfaceSpec.service("my-service", "my_sf", "mybrint-vpc", "testnet1"))).isEmpty();
  }

  @Test
  void requiresAKnownInterfaceType() {
    single(dsi(spec(null, null, null, null)), T + ".interfaceType", "Required");
    FieldError e = single(dsi(spec("VF", null, new Vf(0, 2, ""), null)), T + ".interfaceType", "UnsupportedValue");
    assertThat(e.message()).contains("pf, vf or service");
    single(dsi(spec("physical", null, null, null)), T + ".interfaceType", "UnsupportedValue");
  }

  @Test
  void vfNeedsItsIds() {
    single(dsi(spec("vf", null, null, null)), T + ".vf", "Required");
    single(dsi(spec("vf", null, new Vf(null, 2, ""), null)), T + ".vf.pfID", "Required");
    single(dsi(spec("vf", null, new Vf(0, null, ""), null)), T + ".vf.vfID", "Required");
  }

  @Test
  void idsAreZeroOrMore() {
    single(dsi(spec("vf", null, new Vf(-1, 2, ""), null)), T + ".vf.pfID", "OutOfRange");
    single(dsi(spec("vf", null, new Vf(0, -2, ""), null)), T + ".vf.vfID", "OutOfRange");
    single(dsi(spec("pf", new Pf(-1), null, null)), T + ".pf.pfID", "OutOfRange");
    assertThat(dsi(spec("vf", null, new Vf(0, 0, null), null))).isEmpty();
  }

  @Test
  void pfNeedsItsId() {
    single(dsi(spec("pf", null, null, null)), T + ".pf", "Required");
    single(dsi(spec("pf", new Pf(null), null, null)), T + ".pf.pfID", "Required");
  }

  @Test
  void serviceNeedsServiceIdInterfaceNameAndNetwork() {
    single(dsi(spec("service", null, null, null)), T + ".service", "Required");
    single(dsi(spec("service", null, null, new Service(null, "ns/net", "my-sf"))), T + ".service.serviceID", "Required");
    single(dsi(spec("service", null, null, new Service("s", "ns/net", null))), T + ".service.interfaceName", "Required");
    single(dsi(spec("service", null, null, new Service("s", null, "my-sf"))), T + ".service.network", "Required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a-name-longer-than-15", "a/b", "has space", "..", "eth:0"})
  void refusesInvalidInterfaceNames(String name) {
    single(dsi(spec("service", null, null, new Service("s", "ns/net", name))), T + ".service.interfaceName", "InvalidName");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b/c", "NS/net", "ns/", "/net", "ns/Net_1"})
  void refusesInvalidNetworkReferences(String network) {
    single(dsi(spec("service", null, null, new Service("s", network, "my-sf"))), T + ".service.network", "InvalidName");
  }

  @Test
  void refusesTheOtherTypesSubStructures() {
    single(dsi(spec("vf", new Pf(0), new Vf(0, 2, ""), null)), T + ".pf", "FieldNotAllowed");
    single(dsi(spec("pf", new Pf(0), new Vf(0, 2, ""), null)), T + ".vf", "FieldNotAllowed");
    single(dsi(spec("pf", new Pf(0), null, new Service("s", "n", "i"))), T + ".service", "FieldNotAllowed");
    List<FieldError> errors = dsi(spec("service", new Pf(0), new Vf(0, 1, ""), new Service("s", "n", "i")));
    assertThat(errors).extracting(FieldError::fieldPath).containsExactly(T + ".pf", T + ".vf");
  }

  @Test
  void requiresAVirtualNetwork() {
    single(dsi(new ServiceInterfaceSpec(null, "vf", null, new Vf(0, 2, ""), null, null)), T + ".virtualNetwork", "Required");
    single(dsi(new ServiceInterfaceSpec(null, "vf", null, new Vf(0, 2, ""), null, "Net")), T + ".virtualNetwork",
        "InvalidName");
  }

  @Test
  void unknownMacIsTrueOrFalse() {
    assertThat(dsi(Map.of(Annotations.UNKNOWN_MAC, "true"), ServiceInterfaceSpec.vf(0, 2, "n"))).isEmpty();
    assertThat(dsi(Map.of(Annotations.UNKNOWN_MAC, "false"), ServiceInterfaceSpec.vf(0, 2, "n"))).isEmpty();
    for (String bad : List.of("yes", "True", "1", "")) {
      FieldError e = single(dsi(Map.of(Annotations.UNKNOWN_MAC, bad), ServiceInterfaceSpec.vf(0, 2, "n")),
          "spec.template.spec.template.metadata.annotations[ovn.vpc.dpu.nvidia.com/unknown-mac]", "InvalidAnnotation");
      assertThat(e.message()).contains("\"true\" or \"false\"");
    }
  }

  @Test
  void aTemplateMustNotNameANode() {
    single(dsi(ServiceInterfaceSpec.vf(0, 2, "n").withNode("dpu-1")), T + ".node", "FieldNotAllowed");
  }

  @Test
  void checksTheDpuServiceInterfaceShape() {
    single(ServiceInterfaceValidator.validateDpuServiceInterface("if1", null), "spec.template.spec", "Required");
    single(ServiceInterfaceValidator.validateDpuServiceInterface("if1",
            new DpuServiceInterfaceSpec(new DpuServiceInterfaceSpec.SetTemplate(null,
                new DpuServiceInterfaceSpec.SetSpec(null, null)))),
        "spec.template.spec.template", "Required");
    single(ServiceInterfaceValidator.validateDpuServiceInterface("if1", DpuServiceInterfaceSpec.of(null, null, null)),
        T, "Required");
    single(ServiceInterfaceValidator.validateDpuServiceInterface("If1",
        DpuServiceInterfaceSpec.of(null, null, ServiceInterfaceSpec.vf(0, 2, "n"))), "metadata.name", "InvalidName");
    single(ServiceInterfaceValidator.validateDpuServiceInterface("if1", DpuServiceInterfaceSpec.of(
            LabelSelector.of(Map.of(), LabelSelector.Requirement.exists("-bad")), null, ServiceInterfaceSpec.vf(0, 2, "n"))),
        "spec.template.spec.nodeSelector.matchExpressions[0].key", "InvalidLabel");
  }

  @Test
  void aServiceInterfaceNamesItsNode() {
    var template = new ServiceInterfaceTemplate(TemplateMetadata.EMPTY, ServiceInterfaceSpec.vf(0, 2, "bluenet"));
    assertThat(ServiceInterfaceValidator.validateServiceInterface("si-1", template.forNode("worker2-0000-c8-00")))
        .isEmpty();
    single(ServiceInterfaceValidator.validateServiceInterface("si-1", template), "spec.node", "Required");
    single(ServiceInterfaceValidator.validateServiceInterface("si-1", template.forNode("Worker 2")), "spec.node",
        "InvalidName");
    single(ServiceInterfaceValidator.validateServiceInterface("si-1",
            new ServiceInterfaceTemplate(TemplateMetadata.annotated(Map.of(Annotations.UNKNOWN_MAC, "maybe")),
                ServiceInterfaceSpec.pf(0, "n").withNode("dpu")) ),
        "metadata.annotations[ovn.vpc.dpu.nvidia.com/unknown-mac]", "InvalidAnnotation");
    single(ServiceInterfaceValidator.validateServiceInterface("si-1", null), "spec", "Required");
    single(ServiceInterfaceValidator.validateServiceInterface("si-1", new ServiceInterfaceTemplate(null, null)),
        "spec", "Required");
  }
}
