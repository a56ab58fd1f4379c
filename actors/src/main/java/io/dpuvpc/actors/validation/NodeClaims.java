package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.NODE_IN_SEVERAL_VPCS;

import io.dpuvpc.actors.model.LabelSelector;
import java.util.List;
import java.util.Map;
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
    return new TreeMap<>(vpcSelectors).entrySet().stream()
        .filter(e -> LabelSelector.orEverything(e.getValue()).matches(nodeLabels))
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * An error on {@code spec.nodeSelector} naming the node and every VPC that selects it, when more
   * than one does; otherwise none.
   */
  public static List<FieldError> conflicts(
      String nodeName, Map<String, LabelSelector> vpcSelectors, Map<String, String> nodeLabels) {
    List<String> vpcs = claimants(vpcSelectors, nodeLabels);
    if (vpcs.size() < 2) {
      return List.of();
    }
    return List.of(new FieldError("spec.nodeSelector", NODE_IN_SEVERAL_VPCS,
        "spec.nodeSelector: DPU node " + nodeName + " is selected by the DPUVPCs " + String.join(" and ", vpcs)
            + ", but a node belongs to at most one DPUVPC: narrow the nodeSelectors so that only one selects it"));
  }
}
