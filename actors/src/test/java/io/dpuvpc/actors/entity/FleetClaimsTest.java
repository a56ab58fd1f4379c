package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kept claims equal the claims computed from scratch after every kind of change, in any order. */
class FleetClaimsTest {

  @Test
  void keptClaimsEqualClaimsFromScratchThroughRandomChanges() {
    Random random = new Random(42);
    FleetClaims kept = new FleetClaims();
    Map<String, Map<String, String>> nodes = new HashMap<>();
    Map<String, LabelSelector> vpcs = new HashMap<>();
    int conflictsSeen = 0;
    for (int step = 0; step < 2_000; step++) {
      int what = random.nextInt(10);
      if (what < 6) { // a node reports (new labels, or the same ones again)
        nodes.put("node-" + random.nextInt(40), Map.of("tenant", "t" + random.nextInt(6), "rack", "r" + random.nextInt(3)));
      } else if (what == 6) {
        nodes.remove("node-" + random.nextInt(40));
      } else if (what < 9) { // a VPC (re)registers, sometimes overlapping another's nodes
        String vpc = ResourceKey.namespaced(ResourceKind.DPU_VPC, "ns" + random.nextInt(2), "vpc-" + random.nextInt(5)).toString();
        vpcs.put(vpc, random.nextBoolean() ? LabelSelector.ofLabels(Map.of("tenant", "t" + random.nextInt(6)))
            : LabelSelector.ofLabels(Map.of("rack", "r" + random.nextInt(3))));
      } else {
        vpcs.remove(ResourceKey.namespaced(ResourceKind.DPU_VPC, "ns" + random.nextInt(2), "vpc-" + random.nextInt(5)).toString());
      }
      FleetEntity.State state = new FleetEntity.State(nodes, vpcs, Map.of());
      Map<String, FleetEntity.VpcClaim> expected = FleetEntity.vpcClaims(state);
      assertThat(kept.of(state)).as("step %d", step).isEqualTo(expected);
      assertThat(kept.of(state)).as("the same state again").isSameAs(kept.of(state));
      conflictsSeen += expected.values().stream().mapToInt(c -> c.conflicts().size()).sum();
    }
    assertThat(conflictsSeen).as("the sequence exercised conflicts too").isPositive();
  }
}
