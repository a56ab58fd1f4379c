package io.dpuvpc.actors.entity;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
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
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The whole fleet of DPU nodes as selectors see it: every node's labels, every DPUVPC's
 * nodeSelector and every DPUServiceInterface's nodeSelector. It is one entity (id {@value #ID})
 * because "which nodes does this selector match" and "a node belongs to at most one DPUVPC" are
 * questions about all nodes and all VPCs at once; answering them in one place means two VPCs
 * cannot both believe they own a node.
 *
 * <p>It persists what it was told (labels, selectors), never the answers: those are recomputed.
 * After every change it pushes the new answer to each party whose answer changed
 * ({@link DpuVpcEntity.NodesClaimed}, {@link DpuServiceInterfaceEntity.NodesMatched}), and always
 * to the party that registered (it may have restarted and lost what it knew). Pushes are
 * idempotent; after its own restart it pushes every answer again, so a lost push heals.
 */
public final class FleetEntity
    extends EventSourcedBehaviorWithEnforcedReplies<FleetEntity.Command, FleetEntity.Event, FleetEntity.State> {

  /** The entity id of the one fleet. */
  public static final String ID = "fleet";

  public sealed interface Command extends CborSerializable {}

  /** From a DPU node entity: the node now has these labels (it exists). */
  public record NodeLabelsChanged(String node, Map<String, String> labels) implements Command {
    public NodeLabelsChanged {
      labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }
  }

  /** From a DPU node entity: the node was deleted. */
  public record NodeRemoved(String node) implements Command {}

  /** From a DPUVPC: it selects nodes with {@code selector}. */
  public record RegisterVpc(ResourceKey vpc, LabelSelector selector) implements Command {
    public RegisterVpc {
      selector = LabelSelector.orEverything(selector); // as in the spec: no selector selects every node
    }
  }

  public record UnregisterVpc(ResourceKey vpc) implements Command {}

  /** From a DPUServiceInterface: tell it which nodes {@code selector} matches, now and on every change. */
  public record WatchNodes(ResourceKey dpuServiceInterface, LabelSelector selector) implements Command {
    public WatchNodes {
      selector = LabelSelector.orEverything(selector);
    }
  }

  public record UnwatchNodes(ResourceKey dpuServiceInterface) implements Command {}

  public record GetClaims(ActorRef<Claims> replyTo) implements Command {}

  /**
   * From {@link FleetFront}: the changes (of the kinds above) that arrived while the previous
   * batch was being written, persisted as one write; {@link ChangesApplied} goes to {@code
   * appliedTo} once they are. One write per change made the fleet's rate that of one journal
   * write at a time: with 100,000 interfaces being applied beside it, about 2 s each, so 1,000
   * VPCs took over half an hour to hear which nodes they select.
   */
  public record Changes(
      // Each change with its class: the list holds several kinds of command.
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<Command> changes, ActorRef<Command> appliedTo)
      implements Command {
    public Changes {
      changes = List.copyOf(changes);
    }
  }

  /** To {@link FleetFront}: a {@link Changes} batch is written and its answers pushed. */
  public record ChangesApplied() implements Command {}

  /**
   * A node's entity has not heard its agent for its silence grace ({@link DpuNodeEntity}): live
   * agents remove the node's Southbound chassis. Kept in memory by {@link FleetFront}: after a
   * restart each node entity tells again once its grace has passed.
   */
  public record NodeSilent(String node) implements Command {}

  /** The node's agent reports again (or the node was deleted): its chassis is its own again. */
  public record NodeHeard(String node) implements Command {}

  /** Asks which nodes are silent. */
  public record GetSilentNodes(ActorRef<SilentNodes> replyTo) implements Command {}

  public record SilentNodes(Set<String> nodes) implements CborSerializable {
    public SilentNodes {
      nodes = Set.copyOf(nodes);
    }
  }

  /** Which nodes each VPC ({@link ResourceKey#toString()}) selects, and the nodes selected by several. */
  public record Claims(Map<String, Set<String>> nodesByVpc, List<FieldError> conflicts) implements CborSerializable {
    public Claims {
      nodesByVpc = Collections.unmodifiableMap(new TreeMap<>(nodesByVpc));
      conflicts = List.copyOf(conflicts);
    }
  }

  public sealed interface Event extends CborSerializable {}

  public record NodeLabelled(String node, Map<String, String> labels) implements Event {}

  public record NodeForgotten(String node) implements Event {}

  public record VpcRegistered(String vpc, LabelSelector selector) implements Event {}

  public record VpcUnregistered(String vpc) implements Event {}

  public record WatchStarted(String dpuServiceInterface, LabelSelector selector) implements Event {}

  public record WatchStopped(String dpuServiceInterface) implements Event {}

  /**
   * {@code nodes}: node name → labels; {@code vpcs} and {@code watchers}: resource key (as {@link
   * ResourceKey#toString()}, so the maps serialize with plain keys) → nodeSelector.
   */
  public record State(Map<String, Map<String, String>> nodes, Map<String, LabelSelector> vpcs,
                      Map<String, LabelSelector> watchers) implements CborSerializable {
    public State {
      nodes = sorted(nodes);
      vpcs = sorted(vpcs);
      watchers = sorted(watchers);
    }

    /**
     * The state is copied at every event, and at 10,000 nodes every node's first report is one:
     * a map {@link #with} made is taken as it is, and copying a sorted map is linear, not n log n.
     */
    private static final Class<?> SORTED_VIEW = Collections.unmodifiableSortedMap(new TreeMap<>()).getClass();

    private static <V> Map<String, V> sorted(Map<String, V> map) {
      return map.getClass() == SORTED_VIEW ? map : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
      TreeMap<String, V> next = new TreeMap<>(map);
      if (value == null) {
        next.remove(key);
      } else {
        next.put(key, value);
      }
      return Collections.unmodifiableSortedMap(next);
    }
  }

  /** What one VPC is told: the nodes it selects, the conflicts among them and the nodes in conflict. */
  record VpcClaim(Set<String> nodes, List<FieldError> conflicts, Set<String> conflicting) {}

  private final EntityDirectory directory;
  /** The claims of the latest states, kept so that a change recomputes only the nodes it touched. */
  private final FleetClaims claims = new FleetClaims();
  /** The watchers' matches of the latest states, kept the same way. */
  private final FleetMatches nodeMatches = new FleetMatches();

  private FleetEntity(EntityDirectory directory) {
    super(PersistenceId.of("Fleet", ID));
    this.directory = directory;
  }

  /** The fleet as sharding runs it: the silent nodes answered in front of the journaled entity ({@link FleetFront}). */
  public static Behavior<Command> create(EntityDirectory directory) {
    return FleetFront.create(journaled(directory));
  }

  /** The journaled part alone (labels, selectors, claims); it does not answer about silent nodes. */
  static FleetEntity journaled(EntityDirectory directory) {
    return new FleetEntity(directory);
  }

  @Override
  public State emptyState() {
    return new State(Map.of(), Map.of(), Map.of());
  }

  /**
   * Every label change of every node lands in this one journal: snapshot it so that recovery
   * replays at most a few hundred events, whatever the fleet's history.
   */
  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(NodeLabelsChanged.class, (state, c) -> change(state, eventFor(state, c), null))
        .onCommand(NodeRemoved.class, (state, c) -> change(state, eventFor(state, c), null))
        .onCommand(RegisterVpc.class, (state, c) -> change(state, eventFor(state, c), c.vpc()))
        .onCommand(UnregisterVpc.class, (state, c) -> change(state, eventFor(state, c), null))
        .onCommand(WatchNodes.class, (state, c) -> change(state, eventFor(state, c), c.dpuServiceInterface()))
        .onCommand(UnwatchNodes.class, (state, c) -> change(state, eventFor(state, c), null))
        .onCommand(Changes.class, this::changeAll)
        .onCommand(ChangesApplied.class, (state, c) -> Effect().unhandled().thenNoReply())
        .onCommand(GetClaims.class, (state, get) -> Effect().reply(get.replyTo(), claimsOf(state)))
        // FleetFront answers these and never hands them on.
        .onCommand(NodeSilent.class, (state, c) -> Effect().unhandled().thenNoReply())
        .onCommand(NodeHeard.class, (state, c) -> Effect().unhandled().thenNoReply())
        .onCommand(GetSilentNodes.class, (state, get) -> Effect().unhandled().thenNoReply())
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // A push may have been lost with the previous incarnation: tell everyone again.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> push(null, state, Set.of())).build();
  }

  /**
   * The event {@code change} makes of {@code state}, or null when it changes nothing (the same
   * labels again, a VPC registered again with the same selector...).
   */
  private static Event eventFor(State state, Command change) {
    if (change instanceof NodeLabelsChanged c) {
      return c.labels().equals(state.nodes().get(c.node())) ? null : new NodeLabelled(c.node(), c.labels());
    } else if (change instanceof NodeRemoved c) {
      return state.nodes().containsKey(c.node()) ? new NodeForgotten(c.node()) : null;
    } else if (change instanceof RegisterVpc c) {
      return c.selector().equals(state.vpcs().get(c.vpc().toString())) ? null
          : new VpcRegistered(c.vpc().toString(), c.selector());
    } else if (change instanceof UnregisterVpc c) {
      return state.vpcs().containsKey(c.vpc().toString()) ? new VpcUnregistered(c.vpc().toString()) : null;
    } else if (change instanceof WatchNodes c) {
      return c.selector().equals(state.watchers().get(c.dpuServiceInterface().toString())) ? null
          : new WatchStarted(c.dpuServiceInterface().toString(), c.selector());
    } else if (change instanceof UnwatchNodes c) {
      return state.watchers().containsKey(c.dpuServiceInterface().toString())
          ? new WatchStopped(c.dpuServiceInterface().toString()) : null;
    }
    throw new IllegalArgumentException("not a change of the fleet: " + change);
  }

  /** Who is owed an answer for {@code change} even if nothing changed (it may have lost the last one). */
  private static ResourceKey requesterOf(Command change) {
    if (change instanceof RegisterVpc c) {
      return c.vpc();
    }
    return change instanceof WatchNodes c ? c.dpuServiceInterface() : null;
  }

  /**
   * Persists {@code event} (null: nothing changed) and pushes to each party whose answer changed,
   * and to {@code requester} in any case.
   */
  private ReplyEffect<Event, State> change(State state, Event event, ResourceKey requester) {
    Set<String> asked = requester == null ? Set.of() : Set.of(requester.toString());
    if (event == null) {
      // Nothing changed, so only the requester's answer is due. Computing everyone's (every
      // selector over every node) would make each DPUServiceInterface's periodic re-watch cost
      // O(watchers * nodes) here.
      return Effect().none().thenRun(after -> pushTo(asked, after)).thenNoReply();
    }
    return Effect().persist(event).thenRun(after -> push(state, after, asked)).thenNoReply();
  }

  /** A {@link Changes} batch: its events in one write, then the answers, then {@link ChangesApplied}. */
  private ReplyEffect<Event, State> changeAll(State state, Changes batch) {
    List<Event> events = new ArrayList<>();
    Set<String> asked = new LinkedHashSet<>();
    State next = state;
    for (Command change : batch.changes()) {
      Event event = eventFor(next, change);
      ResourceKey requester = requesterOf(change);
      if (requester != null) {
        asked.add(requester.toString());
      }
      if (event != null) {
        events.add(event);
        next = applyEvent(next, event);
      }
    }
    if (events.isEmpty()) {
      return Effect().none().thenRun(after -> {
        pushTo(asked, after);
        batch.appliedTo().tell(new ChangesApplied());
      }).thenNoReply();
    }
    return Effect().persist(events).thenRun(after -> {
      push(state, after, asked);
      batch.appliedTo().tell(new ChangesApplied());
    }).thenNoReply();
  }

  /** Pushes answers that differ between {@code before} (null: everyone) and {@code after}, and those {@code asked} for. */
  private void push(State before, State after, Set<String> asked) {
    Map<String, VpcClaim> oldClaims = before == null ? Map.of() : claims.of(before);
    claims.of(after).forEach((vpc, claim) -> {
      if (before == null || asked.contains(vpc) || !claim.equals(oldClaims.get(vpc))) {
        tellClaim(vpc, claim);
      }
    });
    Map<String, Set<String>> oldMatches = before == null ? Map.of() : nodeMatches.of(before);
    nodeMatches.of(after).forEach((dsi, nodes) -> {
      if (before == null || asked.contains(dsi) || !nodes.equals(oldMatches.get(dsi))) {
        tellMatch(dsi, nodes);
      }
    });
  }

  /** Pushes their answers to those {@code asked} alone, computing no other party's. */
  private void pushTo(Set<String> asked, State state) {
    for (String party : asked) {
      if (state.vpcs().containsKey(party)) {
        tellClaim(party, claims.of(state).get(party)); // claims are about all VPCs at once
      }
      LabelSelector selector = state.watchers().get(party);
      if (selector != null) {
        tellMatch(party, matching(selector, state.nodes()));
      }
    }
  }

  private void tellClaim(String vpc, VpcClaim claim) {
    ResourceKey key = ResourceKey.parse(vpc);
    directory.vpc(key.namespace(), key.name()).tell(new DpuVpcEntity.NodesClaimed(claim.nodes(), claim.conflicts(),
        claim.conflicting()));
  }

  private void tellMatch(String dsi, Set<String> nodes) {
    ResourceKey key = ResourceKey.parse(dsi);
    directory.dpuServiceInterface(key.namespace(), key.name()).tell(new DpuServiceInterfaceEntity.NodesMatched(nodes));
  }

  /**
   * Per watching DPUServiceInterface, the nodes its selector matches, computed from scratch: the
   * entity keeps them between changes in {@link FleetMatches}.
   */
  static Map<String, Set<String>> matches(State state) {
    Map<String, Set<String>> result = new TreeMap<>();
    state.watchers().forEach((dsi, selector) -> result.put(dsi, matching(selector, state.nodes())));
    return result;
  }

  private static Set<String> matching(LabelSelector selector, Map<String, Map<String, String>> nodes) {
    Set<String> matched = new TreeSet<>();
    nodes.forEach((node, labels) -> {
      if (LabelSelector.orEverything(selector).matches(labels)) {
        matched.add(node);
      }
    });
    return Collections.unmodifiableSet(matched);
  }

  /**
   * Per VPC, the nodes it selects and the conflicts (errors naming the node and every claimant),
   * computed from scratch: every selector over every node. The entity keeps them between changes
   * in {@link FleetClaims}, which recomputes only what a change touched.
   */
  static Map<String, VpcClaim> vpcClaims(State state) {
    Map<String, LabelSelector> byName = selectorsByName(state);
    Map<String, List<String>> claimants = new HashMap<>();
    state.nodes().forEach((node, labels) -> claimants.put(node, NodeClaims.claimants(byName, labels)));
    return assemble(state, claimants);
  }

  /** The VPCs' selectors by namespace/name: NodeClaims names VPCs so, which is how a user tells two apart. */
  private static Map<String, LabelSelector> selectorsByName(State state) {
    Map<String, LabelSelector> byName = new TreeMap<>();
    state.vpcs().forEach((vpc, selector) -> byName.put(nameOf(vpc), selector));
    return byName;
  }

  static String nameOf(String vpc) {
    ResourceKey key = ResourceKey.parse(vpc);
    return key.namespace() + "/" + key.name();
  }

  /** The claims per VPC from each node's claimants (namespace/name of every VPC selecting it). */
  static Map<String, VpcClaim> assemble(State state, Map<String, List<String>> claimantsByNode) {
    Map<String, String> keyOfName = new HashMap<>();
    state.vpcs().keySet().forEach(vpc -> keyOfName.put(nameOf(vpc), vpc));
    Map<String, Set<String>> nodes = new TreeMap<>();
    Map<String, List<FieldError>> conflicts = new TreeMap<>();
    Map<String, Set<String>> conflicting = new TreeMap<>();
    state.vpcs().keySet().forEach(vpc -> {
      nodes.put(vpc, new TreeSet<>());
      conflicts.put(vpc, new ArrayList<>());
      conflicting.put(vpc, new TreeSet<>());
    });
    state.nodes().keySet().forEach(node -> {
      List<String> claimants = claimantsByNode.get(node);
      List<FieldError> nodeConflicts = NodeClaims.conflicts(node, claimants);
      for (String claimant : claimants) {
        String vpc = keyOfName.get(claimant);
        nodes.get(vpc).add(node);
        conflicts.get(vpc).addAll(nodeConflicts);
        if (!nodeConflicts.isEmpty()) {
          conflicting.get(vpc).add(node);
        }
      }
    });
    Map<String, VpcClaim> result = new TreeMap<>();
    nodes.forEach((vpc, claimed) -> result.put(vpc,
        new VpcClaim(Collections.unmodifiableSet(claimed), List.copyOf(conflicts.get(vpc)),
            Collections.unmodifiableSet(conflicting.get(vpc)))));
    return result;
  }

  private Claims claimsOf(State state) {
    Map<String, Set<String>> nodesByVpc = new TreeMap<>();
    Set<FieldError> conflicts = new LinkedHashSet<>();
    claims.of(state).forEach((vpc, claim) -> {
      nodesByVpc.put(vpc, claim.nodes());
      conflicts.addAll(claim.conflicts());
    });
    return new Claims(nodesByVpc, new ArrayList<>(conflicts));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onEvent(Event.class, FleetEntity::applyEvent).build();
  }

  /** The state after {@code event}: the event handler, and how a batch folds its events before writing them. */
  static State applyEvent(State s, Event event) {
    if (event instanceof NodeLabelled e) {
      return new State(State.with(s.nodes(), e.node(), e.labels()), s.vpcs(), s.watchers());
    } else if (event instanceof NodeForgotten e) {
      return new State(State.with(s.nodes(), e.node(), null), s.vpcs(), s.watchers());
    } else if (event instanceof VpcRegistered e) {
      return new State(s.nodes(), State.with(s.vpcs(), e.vpc(), e.selector()), s.watchers());
    } else if (event instanceof VpcUnregistered e) {
      return new State(s.nodes(), State.with(s.vpcs(), e.vpc(), null), s.watchers());
    } else if (event instanceof WatchStarted e) {
      return new State(s.nodes(), s.vpcs(), State.with(s.watchers(), e.dpuServiceInterface(), e.selector()));
    } else if (event instanceof WatchStopped e) {
      return new State(s.nodes(), s.vpcs(), State.with(s.watchers(), e.dpuServiceInterface(), null));
    }
    throw new IllegalArgumentException("unknown fleet event " + event);
  }
}
