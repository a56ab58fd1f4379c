package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ErrorAssertions.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.LabelSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DpuVpcValidatorTest {

  private static final String CLASS = "ovn.vpc.dpu.nvidia.com";
  private static final LabelSelector RED = LabelSelector.ofLabels(Map.of("vpc.dpu.nvidia.com/tenant", "red"));

  @Test
  void acceptsTheReferenceVpc() {
    assertThat(DpuVpcValidator.validate("example-vpc", new DpuVpcSpec("my-tenant", CLASS, true, null))).isEmpty();
    assertThat(DpuVpcValidator.validate("redvpc", new DpuVpcSpec("red", CLASS, true, RED))).isEmpty();
  }

  @Test
  void requiresATenant() {
    single(DpuVpcValidator.validate("v", new DpuVpcSpec(null, CLASS, true, null)), "spec.tenant", "Required");
    single(DpuVpcValidator.validate("v", new DpuVpcSpec("  ", CLASS, true, null)), "spec.tenant", "Required");
  }

  @Test
  void requiresAValidIsolationClassName() {
    single(DpuVpcValidator.validate("v", new DpuVpcSpec("t", null, true, null)), "spec.isolationClassName", "Required");
    single(DpuVpcValidator.validate("v", new DpuVpcSpec("t", "OVN", true, null)), "spec.isolationClassName",
        "InvalidName");
  }

  @Test
  void requiresAValidNameAndSpec() {
    single(DpuVpcValidator.validate("Red_VPC", new DpuVpcSpec("t", CLASS, true, null)), "metadata.name", "InvalidName");
    single(DpuVpcValidator.validate("v", null), "spec", "Required");
  }

  @Test
  void checksTheNodeSelector() {
    var bad = LabelSelector.of(Map.of(), new LabelSelector.Requirement("zone", "Equals", List.of("a")));
    single(DpuVpcValidator.validate("v", new DpuVpcSpec("t", CLASS, true, bad)),
        "spec.nodeSelector.matchExpressions[0].operator", "InvalidSelector");
  }

  @Test
  void tenantClassAndSelectorAreImmutable() {
    DpuVpcSpec before = new DpuVpcSpec("red", CLASS, true, RED);
    single(DpuVpcValidator.validateUpdate("v", before, new DpuVpcSpec("blue", CLASS, true, RED)),
        "spec.tenant", "FieldImmutable");
    single(DpuVpcValidator.validateUpdate("v", before, new DpuVpcSpec("red", "other-class", true, RED)),
        "spec.isolationClassName", "FieldImmutable");
    FieldError e = single(DpuVpcValidator.validateUpdate("v", before, new DpuVpcSpec("red", CLASS, true, null)),
        "spec.nodeSelector", "FieldImmutable");
    assertThat(e.message()).contains("cannot change").contains("was vpc.dpu.nvidia.com/tenant=red, now {}");
  }

  @Test
  void interNetworkAccessMayChange() {
    DpuVpcSpec before = new DpuVpcSpec("red", CLASS, true, RED);
    assertThat(DpuVpcValidator.validateUpdate("v", before, new DpuVpcSpec("red", CLASS, false, RED))).isEmpty();
  }

  @Test
  void anEquivalentSelectorIsNoChange() {
    DpuVpcSpec before = new DpuVpcSpec("red", CLASS, true, null);
    assertThat(DpuVpcValidator.validateUpdate("v", before,
        new DpuVpcSpec("red", CLASS, true, new LabelSelector(Map.of(), List.of())))).isEmpty();
  }
}
