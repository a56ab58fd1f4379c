package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.NODE_IN_SEVERAL_VPCS;

import io.dpuvpc.actors.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A DPU node belongs to at most one DPUVPC, as selected by the VPCs' {@code spec.nodeSelector}.
 * These pure functions say which VPCs select a node and report a node selected by several; the
 * entities decide what to do about it.
 */
public final class NodeClaims {
  private NodeClaims() {}

  /** The names of the VPCs ({@code vpc name → nodeSelector}) whose selector matches the labels, sorted. */
  public static List<String> claimants(Map<String, LabelSelector> vpcSelectors, Map<String, String> nodeLabels) {
    // The fleet asks for every node on every change: copy only when the map is not sorted yet.
    Map<String, LabelSelector> sorted = vpcSelectors instanceof SortedMap ? vpcSelectors : new TreeMap<>(vpcSelectors);
    List<String> claimants = new ArrayList<>();
    sorted.forEach((vpc, selector) -> {
      if (LabelSelector.orEverything(selector).matches(nodeLabels)) {
        claimants.add(vpc);
      }
    });
    return List.copyOf(claimants);
  }

  /**
   * An error on {@code spec.nodeSelector} naming the node and every VPC that selects it, when more
   * than one does; otherwise none.
   */
  public static List<FieldError> conflicts(
      String nodeName, Map<String, LabelSelector> vpcSelectors, Map<String, String> nodeLabels) {
    return conflicts(nodeName, claimants(vpcSelectors, nodeLabels));
  }

  /** As above, for the {@link #claimants} already found. */
  public static List<FieldError> conflicts(String nodeName, List<String> vpcs) {
    if (vpcs.size() < 2) {
      return List.of();
    }
    return List.of(new FieldError("spec.nodeSelector", NODE_IN_SEVERAL_VPCS,
        "spec.nodeSelector: DPU node " + nodeName + " is selected by the DPUVPCs " + String.join(" and ", vpcs)
            + ", but a node belongs to at most one DPUVPC: narrow the nodeSelectors so that only one selects it"));
  }
}
