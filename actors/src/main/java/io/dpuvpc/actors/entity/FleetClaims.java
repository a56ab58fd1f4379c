package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.validation.NodeClaims;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link FleetEntity#vpcClaims} of the fleet's latest state, kept between states: each node's
 * claimants (the VPCs whose selector matches its labels) are recomputed only when its labels
 * changed or the VPCs' selectors did. From scratch, every change costs every selector over every
 * node; with 1,000 DPUs and 100 VPCs each DPU's first report matched 100,000 selectors, twice
 * (before and after), and the fleet's bring-up made the controller miss its asks for seconds.
 */
final class FleetClaims {
  private FleetEntity.State last;
  private Map<String, FleetEntity.VpcClaim> lastClaims;
  private Map<String, LabelSelector> vpcsSeen = Map.of();
  private Map<String, Map<String, String>> nodesSeen = Map.of();
  private final Map<String, List<String>> claimantsByNode = new HashMap<>();

  /** The claims of {@code state}; the same map again for the same state. */
  Map<String, FleetEntity.VpcClaim> of(FleetEntity.State state) {
    if (state == last) {
      return lastClaims;
    }
    if (!state.vpcs().equals(vpcsSeen)) {
      claimantsByNode.clear();
    }
    Map<String, LabelSelector> byName = null;
    claimantsByNode.keySet().retainAll(state.nodes().keySet());
    for (Map.Entry<String, Map<String, String>> node : state.nodes().entrySet()) {
      if (!claimantsByNode.containsKey(node.getKey()) || !node.getValue().equals(nodesSeen.get(node.getKey()))) {
        byName = byName != null ? byName : FleetEntity.selectorsByName(state);
        claimantsByNode.put(node.getKey(), NodeClaims.claimants(byName, node.getValue()));
      }
    }
    vpcsSeen = state.vpcs();
    nodesSeen = state.nodes();
    lastClaims = FleetEntity.assemble(state, claimantsByNode);
    last = state;
    return lastClaims;
  }
}
