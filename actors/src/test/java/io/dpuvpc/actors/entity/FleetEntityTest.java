package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.validation.FieldError;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fleet with real DPU node and DPUVPC entities: which nodes each VPC selects, a node selected
 * by two VPCs reported on both (naming the node and both VPCs) until a relabel or a delete
 * resolves it, and a restart of the fleet or of a VPC losing nothing.
 */
class FleetEntityTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  static LabelSelector select(String key, String value) {
    return LabelSelector.ofLabels(Map.of(key, value));
  }

  Condition nodesReconciled(String vpc, String reason) {
    return EntityHarness.awaitReason(() -> h.vpc(vpc).conditions(), ConditionTypes.DPU_NODES_RECONCILED, reason);
  }

  @Test
  void aNodeSelectedByTwoVpcsIsAConflictOnBothUntilRelabelled() {
    h.applyVpc("red", select("tenant", "red"));
    h.applyVpc("blue", select("zone", "a"));
    h.setLabels("n1", Map.of("tenant", "red", "zone", "a"));
    h.setLabels("n2", Map.of("zone", "a"));

    for (String vpc : new String[] {"red", "blue"}) {
      Condition conflict = nodesReconciled(vpc, "NodeInSeveralVPCs");
      assertThat(conflict.message()).contains("DPU node n1", "default/blue", "default/red", "spec.nodeSelector");
      assertThat(h.vpc(vpc).conditions().get(ConditionTypes.READY).orElseThrow().status().toString()).isEqualTo("False");
    }
    assertThat(h.vpc("red").nodes()).containsExactly("n1");
    // The conflict on n1 may be told before n2 is labelled: wait for both.
    EntityTestConfig.eventually(() -> assertThat(h.vpc("blue").nodes()).containsExactly("n1", "n2"));
    FleetEntity.Claims claims = h.claims();
    assertThat(claims.nodesByVpc()).containsEntry("DPUVPC/default/red", Set.of("n1"))
        .containsEntry("DPUVPC/default/blue", Set.of("n1", "n2"));
    assertThat(claims.conflicts()).extracting(FieldError::reason).containsExactly("NodeInSeveralVPCs");

    h.setLabels("n1", Map.of("tenant", "red"));
    // No conflict left, but the nodes' agents have not reported the facts a gateway needs.
    nodesReconciled("red", DpuVpcEntity.NODE_NOT_READY);
    assertThat(nodesReconciled("blue", DpuVpcEntity.NODE_NOT_READY).message()).contains("n2", "externalIp");
    EntityTestConfig.eventually(() -> assertThat(h.vpc("blue").nodes()).containsExactly("n2"));
    assertThat(h.claims().conflicts()).isEmpty();
  }

  @Test
  void deletingTheSecondVpcOrTheNodeEndsTheConflict() {
    h.applyVpc("one", LabelSelector.EVERYTHING);
    h.applyVpc("two", select("rack", "r1"));
    h.setLabels("shared", Map.of("rack", "r1"));
    nodesReconciled("one", "NodeInSeveralVPCs");

    h.ask(h.directory.vpc(EntityHarness.NS, "two"), DpuVpcEntity.Delete::new);
    nodesReconciled("one", DpuVpcEntity.NODE_NOT_READY);
    assertThat(h.claims().nodesByVpc()).containsOnlyKeys("DPUVPC/default/one");

    assertThat(h.ask(h.directory.node("shared"), DpuNodeEntity.Delete::new)).isInstanceOf(DeleteReply.Deleted.class);
    EntityTestConfig.eventually(() -> assertThat(h.vpc("one").nodes()).isEmpty());
  }

  @Test
  void restartsOfTheFleetAndOfAVpcLoseNothing() {
    h.applyVpc("red", select("tenant", "red"));
    h.applyVpc("blue", select("tenant", "red"));
    h.setLabels("n1", Map.of("tenant", "red"));
    nodesReconciled("red", "NodeInSeveralVPCs");
    FleetEntity.Claims before = h.claims();

    h.directory.restartFleet();
    assertThat(h.claims()).isEqualTo(before);

    // The VPC forgets what it was told; it registers again on recovery and is told again.
    h.directory.restartVpc(EntityHarness.NS, "blue");
    Condition conflict = nodesReconciled("blue", "NodeInSeveralVPCs");
    assertThat(conflict.message()).contains("n1", "default/red", "default/blue");
    assertThat(h.vpc("blue").nodes()).containsExactly("n1");
  }
}
