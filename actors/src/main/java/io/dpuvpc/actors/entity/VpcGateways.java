package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.northbound.TopologyIntent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which of a VPC's DPU nodes can be its gateways: those whose agent reported an external address
 * and next hop (a gateway router without them would route nowhere). Pure functions over the
 * node look-ups the VPC keeps.
 */
final class VpcGateways {
  private VpcGateways() {}

  /** A node as last looked up: its status, or why the look-up failed. */
  record Looked(DpuNodeEntity.Status status, String failure) {}

  /** The node's gateway, or null while it lacks a fact. The chassis defaults to the node's name (OVN's system-id). */
  static TopologyIntent.Gateway gateway(String name, Looked looked) {
    if (!missing(looked).isEmpty()) {
      return null;
    }
    DpuNode node = looked.status().node();
    String chassis = node.chassisId() == null || node.chassisId().isBlank() ? name : node.chassisId();
    return new TopologyIntent.Gateway(name, chassis, node.externalIp(), node.externalNextHop());
  }

  /** The gateways of {@code usable} that have every fact, sorted by node. */
  static List<TopologyIntent.Gateway> gateways(Set<String> usable, Map<String, Looked> looked) {
    List<TopologyIntent.Gateway> gateways = new ArrayList<>();
    // A VPC keeps its look-ups sorted already: copying them into a sorted map again was a
    // measurable share of a wide VPC's CPU.
    (looked instanceof SortedMap<String, Looked> sorted ? sorted : new TreeMap<>(looked)).forEach((name, l) -> {
      TopologyIntent.Gateway gateway = usable.contains(name) ? gateway(name, l) : null;
      if (gateway != null) {
        gateways.add(gateway);
      }
    });
    return gateways;
  }

  /** What a node lacks to be a gateway, in words; empty when nothing. */
  static List<String> missing(Looked looked) {
    if (looked == null) {
      return List.of("not looked up yet");
    }
    if (looked.failure() != null) {
      return List.of("could not be reached: " + looked.failure());
    }
    DpuNode node = looked.status() == null ? null : looked.status().node();
    if (node == null) {
      return List.of("no such DPU node");
    }
    List<String> missing = new ArrayList<>();
    if (node.externalIp() == null || node.externalIp().isBlank()) {
      missing.add("externalIp");
    }
    if (node.externalNextHop() == null || node.externalNextHop().isBlank()) {
      missing.add("externalNextHop");
    }
    return missing;
  }

  /** Why {@code usable} nodes cannot all be gateways; null when they can. */
  static String notReady(Set<String> usable, Map<String, Looked> looked) {
    Map<String, List<String>> missing = new TreeMap<>();
    for (String name : usable) {
      List<String> m = missing(looked.get(name));
      if (!m.isEmpty()) {
        missing.put(name, m);
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    return missing.entrySet().stream()
        .map(e -> "DPU node " + e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
        .collect(Collectors.joining(", "))
        + " cannot be a gateway of this VPC yet: its agent must report the node's externalIp and externalNextHop";
  }
}
