package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.NodeClaims;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link FleetEntity#vpcClaims} of the fleet's latest state, kept between states so that a change
 * costs what it touched:
 * <ul>
 *   <li>a node whose labels changed is matched against every VPC's selector (O(VPCs));
 *   <li>a VPC registered, changed or removed is matched against every node (O(nodes)), and only
 *       that VPC's name is added to or removed from each node's claimants;
 *   <li>only the VPCs whose nodes or conflicts changed get a new {@link FleetEntity.VpcClaim}.
 * </ul>
 * From scratch, every change costs every selector over every node: with 1,000 DPUs and 100 VPCs
 * each DPU's first report matched 100,000 selectors, and with 10,000 DPUs registering 1,000 VPCs
 * took about 5·10^9 matches, so no VPC was Ready 30 minutes into a 100,000-interface run.
 *
 * <p>Any state may be asked, in any order (the difference to the last one asked is applied), but
 * the entity asks its consecutive states, which share the maps an event did not change: those
 * are recognised by identity and not compared.
 */
final class FleetClaims {
  private FleetEntity.State last;
  private TreeMap<String, FleetEntity.VpcClaim> lastClaims = new TreeMap<>();
  private Map<String, FleetEntity.VpcClaim> lastView = Collections.unmodifiableSortedMap(lastClaims);
  private Map<String, LabelSelector> vpcsSeen = Map.of();
  private Map<String, Map<String, String>> nodesSeen = Map.of();

  /** The selectors of {@link #vpcsSeen} by namespace/name, the way {@link NodeClaims} names VPCs. */
  private final TreeMap<String, LabelSelector> selectorsByName = new TreeMap<>();
  private final Map<String, String> keyOfName = new HashMap<>();
  /** Node → the names of the VPCs selecting it, sorted. */
  private final Map<String, List<String>> claimantsByNode = new HashMap<>();
  /** VPC name → the nodes it selects. */
  private final Map<String, TreeSet<String>> nodesByVpc = new HashMap<>();
  /** VPC names whose claim must be built again; VPC keys whose claim is gone. */
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Set<String> removedKeys = new LinkedHashSet<>();

  /** The claims of {@code state}; the same map again for the same state. */
  Map<String, FleetEntity.VpcClaim> of(FleetEntity.State state) {
    if (state == last) {
      return lastView;
    }
    // Nodes first, matched against the VPCs seen; then the VPCs' changes over the new nodes.
    if (state.nodes() != nodesSeen) {
      applyNodes(state.nodes());
    }
    if (state.vpcs() != vpcsSeen) {
      applyVpcs(state.vpcs(), state.nodes());
    }
    nodesSeen = state.nodes();
    vpcsSeen = state.vpcs();
    last = state;
    if (!dirty.isEmpty() || !removedKeys.isEmpty()) {
      TreeMap<String, FleetEntity.VpcClaim> next = new TreeMap<>(lastClaims); // linear: it is sorted
      removedKeys.forEach(next::remove);
      for (String name : dirty) {
        String key = keyOfName.get(name);
        if (key != null) {
          next.put(key, claimOf(name));
        }
      }
      dirty.clear();
      removedKeys.clear();
      lastClaims = next;
      lastView = Collections.unmodifiableSortedMap(next);
    }
    return lastView;
  }

  private void applyNodes(Map<String, Map<String, String>> nodes) {
    SortedMapWalk.walk(nodesSeen, nodes, node -> {
      setClaimants(node, List.of());
      claimantsByNode.remove(node);
    }, (node, labels) -> setClaimants(node, NodeClaims.claimants(selectorsByName, labels)));
  }

  private void applyVpcs(Map<String, LabelSelector> vpcs, Map<String, Map<String, String>> nodes) {
    SortedMapWalk.walk(vpcsSeen, vpcs, this::removeVpc, (vpc, selector) -> {
      if (vpcsSeen.containsKey(vpc)) {
        removeVpc(vpc);
      }
      addVpc(vpc, selector, nodes);
    });
  }

  private void removeVpc(String vpc) {
    String name = FleetEntity.nameOf(vpc);
    selectorsByName.remove(name);
    keyOfName.remove(name);
    removedKeys.add(vpc);
    for (String node : nodesByVpc.remove(name)) {
      List<String> claimants = new ArrayList<>(claimantsByNode.get(node));
      claimants.remove(name);
      claimantsByNode.put(node, List.copyOf(claimants));
      dirty.addAll(claimants); // their conflicts over this node changed
    }
  }

  private void addVpc(String vpc, LabelSelector selector, Map<String, Map<String, String>> nodes) {
    String name = FleetEntity.nameOf(vpc);
    selectorsByName.put(name, selector);
    keyOfName.put(name, vpc);
    removedKeys.remove(vpc);
    TreeSet<String> selected = new TreeSet<>();
    nodesByVpc.put(name, selected);
    dirty.add(name);
    LabelSelector matcher = LabelSelector.orEverything(selector);
    nodes.forEach((node, labels) -> {
      if (matcher.matches(labels)) {
        selected.add(node);
        List<String> claimants = new ArrayList<>(claimantsByNode.getOrDefault(node, List.of()));
        int at = Collections.binarySearch(claimants, name);
        claimants.add(at < 0 ? -at - 1 : at, name);
        claimantsByNode.put(node, List.copyOf(claimants));
        dirty.addAll(claimants);
      }
    });
  }

  /** Makes {@code claimants} the node's claimants, marking every VPC that gained, lost or shares it. */
  private void setClaimants(String node, List<String> claimants) {
    List<String> before = claimantsByNode.getOrDefault(node, List.of());
    if (before.equals(claimants) && claimantsByNode.containsKey(node)) {
      return;
    }
    for (String name : before) {
      nodesByVpc.get(name).remove(node);
      dirty.add(name);
    }
    for (String name : claimants) {
      nodesByVpc.get(name).add(node);
      dirty.add(name);
    }
    claimantsByNode.put(node, claimants);
  }

  /** As {@link FleetEntity#assemble} builds it: the VPC's nodes, and the conflicts over them in node order. */
  private FleetEntity.VpcClaim claimOf(String name) {
    TreeSet<String> nodes = nodesByVpc.get(name);
    List<FieldError> conflicts = new ArrayList<>();
    Set<String> conflicting = new TreeSet<>();
    for (String node : nodes) {
      List<String> claimants = claimantsByNode.get(node);
      if (claimants.size() > 1) {
        conflicts.addAll(NodeClaims.conflicts(node, claimants));
        conflicting.add(node);
      }
    }
    return new FleetEntity.VpcClaim(Collections.unmodifiableSet(new TreeSet<>(nodes)), List.copyOf(conflicts),
        Collections.unmodifiableSet(conflicting));
  }
}
