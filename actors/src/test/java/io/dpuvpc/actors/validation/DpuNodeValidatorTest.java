package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ErrorAssertions.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DpuNodeValidatorTest {

  private static final Instant T = Instant.parse("2025-06-17T13:51:16Z");
  private static final DpuNode NODE = DpuNode.labelled("worker2-0000-c8-00", Map.of("vpc.dpu.nvidia.com/tenant", "red"));

  private static DpuNode report(String vtep, String external, String nextHop) {
    return NODE.reported("chassis-1", vtep, external, nextHop, true, T);
  }

  @Test
  void acceptsAnUnreportedNodeAndAFullReport() {
    assertThat(DpuNodeValidator.validate(NODE)).isEmpty();
    assertThat(DpuNodeValidator.validate(report("10.0.100.1", "172.16.0.10/24", "172.16.0.1"))).isEmpty();
  }

  @Test
  void refusesABadVtepAddress() {
    single(DpuNodeValidator.validate(report("10.0.100.256", null, null)), "vtepIp", "InvalidIPAddress");
  }

  @Test
  void refusesAnExternalAddressWithoutPrefix() {
    single(DpuNodeValidator.validate(report(null, "172.16.0.10", null)), "externalIp", "InvalidCIDR");
  }

  @Test
  void theNextHopIsOnTheExternalNetwork() {
    FieldError e = single(DpuNodeValidator.validate(report(null, "172.16.0.10/24", "172.16.1.1")),
        "externalNextHop", "OutsideSubnet");
    assertThat(e.message()).contains("172.16.0.0/24");
    single(DpuNodeValidator.validate(report(null, null, "gateway")), "externalNextHop", "InvalidIPAddress");
  }

  @Test
  void checksNameAndLabels() {
    single(DpuNodeValidator.validate(DpuNode.labelled("Worker 2", Map.of())), "metadata.name", "InvalidName");
    single(DpuNodeValidator.validate(DpuNode.labelled("w", Map.of("bad key", "v"))), "metadata.labels[bad key]",
        "InvalidLabel");
  }
}
