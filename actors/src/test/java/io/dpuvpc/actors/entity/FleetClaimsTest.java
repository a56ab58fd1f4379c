package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kept claims ({@link FleetClaims}) and matches ({@link FleetMatches}) equal the ones computed
 * from scratch after every kind of change, in any order.
 */
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

  /**
   * As the entity asks: each state made from the one before by one event (the maps it did not
   * change shared), the state before asked again, and now and then a state long past.
   */
  @Test
  void keptClaimsAndMatchesFollowStatesMadeByEventsAndStatesAskedOutOfOrder() {
    Random random = new Random(7);
    FleetClaims kept = new FleetClaims();
    FleetMatches matches = new FleetMatches();
    List<FleetEntity.State> history = new ArrayList<>();
    FleetEntity.State state = new FleetEntity.State(Map.of(), Map.of(), Map.of());
    int selectedSeen = 0;
    int matchedSeen = 0;
    for (int step = 0; step < 3_000; step++) {
      FleetEntity.State before = state;
      int what = random.nextInt(12);
      if (what < 5) {
        state = new FleetEntity.State(FleetEntity.State.with(state.nodes(), "node-" + random.nextInt(60),
            Map.of("tenant", "t" + random.nextInt(8), "rack", "r" + random.nextInt(4))), state.vpcs(), state.watchers());
      } else if (what == 5) {
        state = new FleetEntity.State(FleetEntity.State.with(state.nodes(), "node-" + random.nextInt(60), null),
            state.vpcs(), state.watchers());
      } else if (what < 9) {
        String vpc = ResourceKey.namespaced(ResourceKind.DPU_VPC, "ns" + random.nextInt(3), "vpc-" + random.nextInt(8)).toString();
        LabelSelector selector = switch (random.nextInt(3)) {
          case 0 -> LabelSelector.ofLabels(Map.of("tenant", "t" + random.nextInt(8)));
          case 1 -> LabelSelector.ofLabels(Map.of("rack", "r" + random.nextInt(4)));
          default -> LabelSelector.EVERYTHING; // selects every node: conflicts with everyone
        };
        state = new FleetEntity.State(state.nodes(), FleetEntity.State.with(state.vpcs(), vpc, selector), state.watchers());
      } else if (what == 9) {
        String vpc = ResourceKey.namespaced(ResourceKind.DPU_VPC, "ns" + random.nextInt(3), "vpc-" + random.nextInt(8)).toString();
        state = new FleetEntity.State(state.nodes(), FleetEntity.State.with(state.vpcs(), vpc, null), state.watchers());
      } else { // a DPUServiceInterface watches (or stops watching) the nodes its selector matches
        String dsi = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "ns0", "dsi-" + random.nextInt(6)).toString();
        LabelSelector selector = random.nextBoolean() ? LabelSelector.ofLabels(Map.of("rack", "r" + random.nextInt(4))) : null;
        state = new FleetEntity.State(state.nodes(), state.vpcs(), FleetEntity.State.with(state.watchers(), dsi, selector));
      }
      history.add(state);
      Map<String, FleetEntity.VpcClaim> old = kept.of(before);
      assertThat(old).as("step %d, the state before", step).isEqualTo(FleetEntity.vpcClaims(before));
      assertThat(kept.of(state)).as("step %d", step).isEqualTo(FleetEntity.vpcClaims(state));
      assertThat(kept.of(before)).as("step %d, the state before asked again", step).isEqualTo(old);
      Map<String, Set<String>> oldMatches = matches.of(before);
      assertThat(oldMatches).as("step %d, the state before", step).isEqualTo(FleetEntity.matches(before));
      assertThat(matches.of(state)).as("step %d", step).isEqualTo(FleetEntity.matches(state));
      assertThat(matches.of(before)).as("step %d, the state before asked again", step).isEqualTo(oldMatches);
      if (random.nextInt(50) == 0) {
        FleetEntity.State past = history.get(random.nextInt(history.size()));
        assertThat(kept.of(past)).as("step %d, a past state", step).isEqualTo(FleetEntity.vpcClaims(past));
        assertThat(matches.of(past)).as("step %d, a past state", step).isEqualTo(FleetEntity.matches(past));
      }
      selectedSeen += kept.of(state).values().stream().mapToInt(c -> c.nodes().size()).sum();
      matchedSeen += matches.of(state).values().stream().mapToInt(Set::size).sum();
    }
    assertThat(selectedSeen).as("the sequence selected nodes").isPositive();
    assertThat(matchedSeen).as("the sequence matched nodes").isPositive();
  }
}
