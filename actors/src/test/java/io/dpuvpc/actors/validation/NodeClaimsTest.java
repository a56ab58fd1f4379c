package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ErrorAssertions.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.LabelSelector;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeClaimsTest {

  private static final LabelSelector RED = LabelSelector.ofLabels(Map.of("vpc.dpu.nvidia.com/tenant", "red"));
  private static final LabelSelector BLUE = LabelSelector.ofLabels(Map.of("vpc.dpu.nvidia.com/tenant", "blue"));
  private static final Map<String, String> RED_NODE = Map.of("vpc.dpu.nvidia.com/tenant", "red");

  @Test
  void separateSelectorsClaimSeparateNodes() {
    Map<String, LabelSelector> vpcs = Map.of("redvpc", RED, "bluevpc", BLUE);
    assertThat(NodeClaims.claimants(vpcs, RED_NODE)).containsExactly("redvpc");
    assertThat(NodeClaims.conflicts("dpu-1", vpcs, RED_NODE)).isEmpty();
    assertThat(NodeClaims.claimants(vpcs, Map.of())).isEmpty();
  }

  @Test
  void aNodeSelectedByTwoVpcsIsAConflictNamingBoth() {
    Map<String, LabelSelector> vpcs = Map.of("redvpc", RED, "testvpc", LabelSelector.EVERYTHING, "bluevpc", BLUE);
    assertThat(NodeClaims.claimants(vpcs, RED_NODE)).containsExactly("redvpc", "testvpc");
    FieldError e = single(NodeClaims.conflicts("dpu-1", vpcs, RED_NODE), "spec.nodeSelector", "NodeInSeveralVPCs");
    assertThat(e.message()).contains("dpu-1").contains("redvpc and testvpc").doesNotContain("bluevpc");
  }

  @Test
  void anAbsentSelectorSelectsEveryNode() {
    Map<String, LabelSelector> vpcs = new HashMap<>();
    vpcs.put("a", null);
    vpcs.put("b", null);
    assertThat(NodeClaims.claimants(vpcs, RED_NODE)).containsExactly("a", "b");
  }
}
