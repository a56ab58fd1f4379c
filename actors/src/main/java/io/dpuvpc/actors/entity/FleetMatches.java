package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.LabelSelector;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link FleetEntity#matches} of the fleet's latest state, kept between states as {@link
 * FleetClaims} keeps the claims: a node whose labels changed is matched against every watching
 * DPUServiceInterface's selector, a watch started or changed against every node, and only the
 * watchers whose nodes changed get a new set. From scratch, each node's report cost every
 * selector over every node, twice: with 10 DPUServiceInterfaces and 10,000 DPUs, 2·10^9 matches
 * while the fleet comes up.
 */
final class FleetMatches {
  private FleetEntity.State last;
  private TreeMap<String, Set<String>> lastMatches = new TreeMap<>();
  private Map<String, Set<String>> lastView = Collections.unmodifiableSortedMap(lastMatches);
  private Map<String, Map<String, String>> nodesSeen = Map.of();
  private Map<String, LabelSelector> watchersSeen = Map.of();

  /** Watcher → the nodes its selector matches. */
  private final Map<String, TreeSet<String>> nodesByWatcher = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Set<String> removed = new LinkedHashSet<>();

  /** The matches of {@code state}; the same map again for the same state. */
  Map<String, Set<String>> of(FleetEntity.State state) {
    if (state == last) {
      return lastView;
    }
    // Nodes first, against the watchers seen; then the watchers' changes over the new nodes.
    if (state.nodes() != nodesSeen) {
      SortedMapWalk.walk(nodesSeen, state.nodes(), this::forgetNode, this::matchNode);
    }
    if (state.watchers() != watchersSeen) {
      SortedMapWalk.walk(watchersSeen, state.watchers(), this::forgetWatcher,
          (watcher, selector) -> matchWatcher(watcher, selector, state.nodes()));
    }
    nodesSeen = state.nodes();
    watchersSeen = state.watchers();
    last = state;
    if (!dirty.isEmpty() || !removed.isEmpty()) {
      TreeMap<String, Set<String>> next = new TreeMap<>(lastMatches); // linear: it is sorted
      removed.forEach(next::remove);
      dirty.forEach(watcher -> next.put(watcher, Collections.unmodifiableSet(new TreeSet<>(nodesByWatcher.get(watcher)))));
      dirty.clear();
      removed.clear();
      lastMatches = next;
      lastView = Collections.unmodifiableSortedMap(next);
    }
    return lastView;
  }

  private void forgetNode(String node) {
    nodesByWatcher.forEach((watcher, nodes) -> {
      if (nodes.remove(node)) {
        dirty.add(watcher);
      }
    });
  }

  private void matchNode(String node, Map<String, String> labels) {
    watchersSeen.forEach((watcher, selector) -> {
      TreeSet<String> nodes = nodesByWatcher.get(watcher);
      if (LabelSelector.orEverything(selector).matches(labels) ? nodes.add(node) : nodes.remove(node)) {
        dirty.add(watcher);
      }
    });
  }

  private void forgetWatcher(String watcher) {
    nodesByWatcher.remove(watcher);
    dirty.remove(watcher);
    removed.add(watcher);
  }

  private void matchWatcher(String watcher, LabelSelector selector, Map<String, Map<String, String>> nodes) {
    TreeSet<String> matched = new TreeSet<>();
    LabelSelector matcher = LabelSelector.orEverything(selector);
    nodes.forEach((node, labels) -> {
      if (matcher.matches(labels)) {
        matched.add(node);
      }
    });
    nodesByWatcher.put(watcher, matched);
    removed.remove(watcher);
    dirty.add(watcher);
  }
}
