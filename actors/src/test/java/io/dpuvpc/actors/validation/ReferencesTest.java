package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ErrorAssertions.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.ResourceKind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferencesTest {

  @Test
  void anExistingReferenceIsFine() {
    assertThat(References.require("spec.vpcName", ResourceKind.DPU_VPC, "testvpc", Set.of("testvpc"))).isEmpty();
    assertThat(References.require("spec.vpcName", ResourceKind.DPU_VPC, "", Set.of())).isEmpty();
  }

  @Test
  void aMissingVpcIsNotFoundInTheNamespace() {
    FieldError e = single(References.require("spec.vpcName", ResourceKind.DPU_VPC, "testvpc", Set.of("other")),
        "spec.vpcName", "NotFound");
    assertThat(e.message()).contains("DPUVPC \"testvpc\" does not exist in this namespace");
  }

  @Test
  void aMissingIsolationClassIsNotFound() {
    FieldError e = single(References.require("spec.isolationClassName", ResourceKind.ISOLATION_CLASS,
        "ovn.vpc.dpu.nvidia.com", Set.of()), "spec.isolationClassName", "NotFound");
    assertThat(e.message()).contains("IsolationClass").doesNotContain("namespace");
  }
}
