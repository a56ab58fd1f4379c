package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import org.junit.jupiter.api.Test;

/** The BlueField representor naming rule, and the logical port it carries. */
class RepresentorsTest {

  @Test
  void aVfIsPfVfAPfIsPfAServiceIsTheMatchKeyOfItsOvsCniPort() {
    assertThat(Representors.of(ServiceInterfaceSpec.vf(0, 2, "net"))).isEqualTo("pf0vf2");
    assertThat(Representors.of(ServiceInterfaceSpec.vf(1, 15, "net"))).isEqualTo("pf1vf15");
    assertThat(Representors.of(ServiceInterfaceSpec.pf(1, "net"))).isEqualTo("pf1");
    assertThat(Representors.of(ServiceInterfaceSpec.service("svc", "eth1", "ns/nad", "net"))).isEqualTo("ovs-cni:eth1");
  }

  @Test
  void theMatchKeyGivesBackThePodInterfaceAndANetdevGivesNothing() {
    assertThat(Representors.ovsCniInterface("ovs-cni:my-sf")).isEqualTo("my-sf");
    assertThat(Representors.ovsCniInterface("pf0vf2")).isNull();
    assertThat(Representors.ovsCniInterface("ovs-cni:")).isNull();
    assertThat(Representors.ovsCniInterface(null)).isNull();
  }

  @Test
  void anIncompleteSpecNamesNoRepresentor() {
    assertThat(Representors.of(null)).isNull();
    assertThat(Representors.of(new ServiceInterfaceSpec("n", ServiceInterfaceSpec.VF, null, null, null, "net"))).isNull();
    assertThat(Representors.of(new ServiceInterfaceSpec("n", ServiceInterfaceSpec.VF, null,
        new ServiceInterfaceSpec.Vf(0, null, ""), null, "net"))).isNull();
    assertThat(Representors.of(new ServiceInterfaceSpec("n", ServiceInterfaceSpec.PF, null, null, null, "net"))).isNull();
    assertThat(Representors.of(ServiceInterfaceSpec.service("svc", " ", "ns/nad", "net"))).isNull();
    assertThat(Representors.of(new ServiceInterfaceSpec("n", "sf", null, null, null, "net"))).isNull();
  }

  @Test
  void theLogicalPortIsTheNorthboundPortName() {
    assertThat(Representors.logicalPort(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si-a")))
        .isEqualTo("default_si-a");
    assertThatThrownBy(() -> Representors.logicalPort(ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
