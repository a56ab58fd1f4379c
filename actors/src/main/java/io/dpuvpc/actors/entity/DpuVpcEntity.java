package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.changes.ReadOnlyCommand;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.actors.validation.DpuVirtualNetworkValidator;
import io.dpuvpc.actors.validation.DpuVpcValidator;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.ValidationReasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A DPUVPC. It persists its spec (intent) and which virtual networks joined it with which subnet
 * (a decision: it is where overlapping subnets within one VPC are refused, one network at a time,
 * so two networks cannot race into the same block). Conditions are not persisted: they are
 * derived from what it observes (the IsolationClass it looks up, the nodes the {@link FleetEntity}
 * says it selects and whether another VPC selects them too, their gateway facts, and what the
 * Northbound bridge observes of its published topology) and recomputed after recovery. It
 * publishes its {@link TopologyIntent.Vpc} only once its spec is admitted and its IsolationClass
 * is fine, and again only when the intent changes. Which nodes a VPC gets is decided by the fleet,
 * not here, because exclusivity is a question about all VPCs at once.
 */
public final class DpuVpcEntity
    extends EventSourcedBehaviorWithEnforcedReplies<DpuVpcEntity.Command, DpuVpcEntity.Event, DpuVpcEntity.State> {

  /** How often an unready prerequisite is looked up again: it heals by itself once it appears. */
  static final Duration RECHECK_INTERVAL = Duration.ofSeconds(2);
  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  /** The reason of a False DPUNodesReconciled while a selected node lacks the facts of a gateway. */
  public static final String NODE_NOT_READY = "NodeNotReady";

  public sealed interface Command extends CborSerializable {}

  /**
   * Create or change the VPC. {@code resourceVersion}: the version the change was based on, null
   * for an unconditional apply; any other version answers {@link ApplyReply.Conflict}.
   */
  public record Apply(DpuVpcSpec spec, String resourceVersion, ActorRef<ApplyReply> replyTo) implements Command {
    public Apply(DpuVpcSpec spec, ActorRef<ApplyReply> replyTo) {
      this(spec, null, replyTo);
    }
  }

  public record Delete(ActorRef<DeleteReply> replyTo) implements Command {}

  /**
   * {@link Delete} only if the resource is still at {@code resourceVersion} (null: unconditional);
   * otherwise nothing is deleted and the answer is {@link DeleteReply.Conflict}. A command of its
   * own rather than a second constructor of {@link Delete}, which would make {@code Delete::new}
   * ambiguous where callers pass it as a function.
   */
  public record DeleteIfUnchanged(String resourceVersion, ActorRef<DeleteReply> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command, ReadOnlyCommand {}

  /**
   * A virtual network asks to join with its subnet and routing flags; refused when the subnet
   * overlaps another network's. The flags are what the VPC's gateways need to route and NAT it.
   */
  public record AttachNetwork(String network, AttachedNetwork details, ActorRef<AttachReply> replyTo) implements Command {
    /** With the spec's defaults for the flags: not externally routed, masqueraded. */
    public AttachNetwork(String network, String subnet, ActorRef<AttachReply> replyTo) {
      this(network, new AttachedNetwork(subnet, false, true), replyTo);
    }
  }

  /** What the VPC keeps of a network that joined: its subnet and how its traffic leaves the VPC. */
  public record AttachedNetwork(String subnet, boolean externallyRouted, boolean masquerade) implements CborSerializable {}

  /** A virtual network leaves (it was deleted). */
  public record DetachNetwork(String network) implements Command {}

  /**
   * From the {@link FleetEntity}: the DPU nodes this VPC's nodeSelector selects, the errors for
   * those of them another VPC selects too (a node belongs to at most one VPC), and those nodes
   * ({@code conflicting}, which the VPC must not use as gateways).
   */
  public record NodesClaimed(Set<String> nodes, List<FieldError> conflicts, Set<String> conflicting) implements Command {
    public NodesClaimed {
      nodes = Set.copyOf(nodes);
      conflicts = List.copyOf(conflicts);
      conflicting = conflicting == null ? Set.of() : Set.copyOf(conflicting);
    }

    /** Without conflicts. */
    public NodesClaimed(Set<String> nodes) {
      this(nodes, List.of(), Set.of());
    }

    /** The claimed nodes that are this VPC's alone. */
    Set<String> usable() {
      Set<String> usable = new HashSet<>(nodes);
      usable.removeAll(conflicting);
      return usable;
    }
  }

  /** What the VPC tells a network that asks to join. */
  public sealed interface AttachReply extends CborSerializable {}

  /** Admitted; {@code isolationClass}: the VPC's, whose OVN the network publishes to. */
  public record Attached(ResourceKey vpc, long vpcGeneration, String isolationClass) implements AttachReply {}

  public record AttachRefused(ResourceKey vpc, List<FieldError> errors) implements AttachReply {
    public AttachRefused {
      errors = List.copyOf(errors);
    }
  }

  /** The VPC does not exist (yet): the network waits and asks again. */
  public record NoSuchVpc(ResourceKey vpc) implements AttachReply {}

  private record IsolationClassLooked(IsolationClassEntity.Status status, String failure) implements Command {}

  private enum Recheck implements Command { INSTANCE }

  private record NodeLooked(String node, DpuNodeEntity.Status status, String failure) implements Command {}

  /** Timer: look again at the claimed nodes that lack gateway facts. */
  private enum RecheckNodes implements Command { INSTANCE }

  private record NorthboundObserved(Northbound.Observed observed) implements Command {}

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command, ReadOnlyCommand { INSTANCE }

  /**
   * What GetStatus answers: the spec (null when absent), generation, conditions, networks and the
   * DPU nodes the fleet says it selects (sorted).
   */
  public record Status(ResourceKey key, DpuVpcSpec spec, long generation, Conditions conditions,
                       List<String> virtualNetworks, List<String> nodes, ResourceMetadata metadata)
      implements CborSerializable {
    public Status(ResourceKey key, DpuVpcSpec spec, long generation, Conditions conditions,
                  List<String> virtualNetworks, List<String> nodes) {
      this(key, spec, generation, conditions, virtualNetworks, nodes, ResourceMetadata.NONE);
    }

    public boolean exists() {
      return spec != null;
    }
  }

  public sealed interface Event extends CborSerializable {}

  /**
   * {@code uid} and {@code creationTimestamp} are set by the apply that creates the VPC, null on
   * updates and in every event written before they existed (see {@link ResourceBookkeeping#uid}).
   */
  public record Applied(DpuVpcSpec spec, long generation, String uid, Instant creationTimestamp) implements Event {
    public Applied(DpuVpcSpec spec, long generation) {
      this(spec, generation, null, null);
    }
  }

  /**
   * A network joined (or changed its flags). Version 2 carries {@code externallyRouted} and
   * {@code masquerade}; version 1 events, written before, are read through
   * {@link NetworkAttachedMigration}.
   */
  public record NetworkAttached(String network, String subnet, boolean externallyRouted, boolean masquerade)
      implements Event {
    AttachedNetwork details() {
      return new AttachedNetwork(subnet, externallyRouted, masquerade);
    }
  }

  public record NetworkDetached(String network) implements Event {}

  public record Deleted(long generation) implements Event {}

  /**
   * {@code spec} null: absent (never created, or deleted; then no uid or creation time either).
   * {@code networks}: by name.
   */
  public record State(DpuVpcSpec spec, long generation, Map<String, AttachedNetwork> networks, String uid,
                      Instant creationTimestamp) implements CborSerializable {
    public State {
      networks = java.util.Collections.unmodifiableMap(new TreeMap<>(networks));
    }

    public State(DpuVpcSpec spec, long generation, Map<String, AttachedNetwork> networks) {
      this(spec, generation, networks, null, null);
    }

    /** The networks' subnets by name. */
    public Map<String, String> subnets() {
      Map<String, String> subnets = new TreeMap<>();
      networks.forEach((name, network) -> subnets.put(name, network.subnet()));
      return subnets;
    }

    State withNetwork(String name, AttachedNetwork network) {
      Map<String, AttachedNetwork> next = new TreeMap<>(networks);
      next.put(name, network);
      return new State(spec, generation, next, uid, creationTimestamp);
    }

    State withoutNetwork(String name) {
      Map<String, AttachedNetwork> next = new TreeMap<>(networks);
      next.remove(name);
      return new State(spec, generation, next, uid, creationTimestamp);
    }
  }

  private final ResourceKey key;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final EntityDirectory directory;
  private final Clock clock;
  private final Forgetting<Command> forgetting;
  // Observed, not persisted (DESIGN.md): rebuilt after recovery by looking again.
  private Conditions conditions = Conditions.EMPTY;
  private List<FieldError> prerequisiteErrors;
  private NodesClaimed claimed;
  /**
   * Of {@link #claimed}, worked out once per claim: every node answer and every status poll reads
   * them, and over a VPC of 1,000 DPUs copying and sorting the claim each time was most of the
   * VPC's CPU (docs/BENCHMARKS.md, one wide VPC).
   */
  private Set<String> usable = Set.of();
  private List<String> claimedSorted = List.of();
  /** Only usable nodes: complete when its size is {@code usable}'s. */
  private final Map<String, VpcGateways.Looked> nodeLooks = new TreeMap<>();
  private final NorthboundLink northbound;
  private final ResourceBookkeeping bookkeeping;

  private DpuVpcEntity(ResourceKey key, ActorContext<Command> context, TimerScheduler<Command> timers,
                       EntityDirectory directory, Clock clock, Passivation<Command> passivation) {
    super(PersistenceId.of(ResourceKind.DPU_VPC.kindName(), key.toString()));
    this.key = key;
    this.context = context;
    this.timers = timers;
    this.directory = directory;
    this.clock = clock;
    this.forgetting = new Forgetting<>(context, timers, passivation, Forget.INSTANCE);
    this.northbound = new NorthboundLink(key, directory,
        context.messageAdapter(Northbound.Observed.class, NorthboundObserved::new));
    this.bookkeeping = new ResourceBookkeeping(key, context, this, directory, clock);
  }

  public static Behavior<Command> create(String namespace, String name, EntityDirectory directory, Clock clock) {
    return create(namespace, name, directory, clock, Passivation.none());
  }

  public static Behavior<Command> create(String namespace, String name, EntityDirectory directory, Clock clock,
                                         Passivation<Command> passivation) {
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VPC, namespace, name);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new DpuVpcEntity(key, ctx, timers, directory, clock, passivation)));
  }

  @Override
  public State emptyState() {
    return new State(null, 0, Map.of());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Apply.class, this::onApply)
        .onCommand(Delete.class, (state, delete) -> onDelete(state, null, delete.replyTo()))
        .onCommand(DeleteIfUnchanged.class, (state, delete) -> onDelete(state, delete.resourceVersion(), delete.replyTo()))
        .onCommand(Forget.class, (state, tick) -> {
          forgetting.forgetIf(state.spec() == null);
          return Effect().noReply();
        })
        .onCommand(GetStatus.class, (state, get) -> Effect().reply(get.replyTo(), status(state)))
        .onCommand(AttachNetwork.class, this::onAttach)
        .onCommand(DetachNetwork.class, this::onDetach)
        .onCommand(NodesClaimed.class, this::onNodesClaimed)
        .onCommand(NodeLooked.class, this::onNodeLooked)
        .onCommand(RecheckNodes.class, (state, r) -> {
          lookUpNodes(state, false);
          return Effect().noReply();
        })
        .onCommand(NorthboundObserved.class, (state, observed) -> {
          northbound.observe(observed.observed());
          return Effect().noReply();
        })
        .onCommand(IsolationClassLooked.class, this::onIsolationClassLooked)
        .onCommand(Recheck.class, (state, r) -> {
          lookUpIsolationClass(state);
          return Effect().noReply();
        })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // After a restart the VPC verifies its prerequisites again without being asked, and registers
    // with the fleet again (idempotent there), which answers with the nodes it selects.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      lookUpIsolationClass(state);
      register(state);
      bookkeeping.recovered(state.spec() != null, state.generation());
      if (state.spec() == null) {
        forgetting.absent();
      }
    }).onSignal(PostStop.instance(), state -> {
      // Passivated or moved: the rows stay, and the next incarnation publishes again.
      if (state.spec() != null) {
        northbound.release();
      }
    }).build();
  }

  private ReplyEffect<Event, State> onApply(State state, Apply apply) {
    var conflict = bookkeeping.applyConflict(apply.resourceVersion(), state.spec() != null);
    if (conflict.isPresent()) {
      return Effect().reply(apply.replyTo(), conflict.get());
    }
    List<FieldError> errors = state.spec() == null
        ? DpuVpcValidator.validate(key.name(), apply.spec())
        : DpuVpcValidator.validateUpdate(key.name(), state.spec(), apply.spec());
    var withoutWrite = ApplyReply.withoutWrite(key, errors, apply.spec().equals(state.spec()), state.generation());
    if (withoutWrite.isPresent()) {
      return Effect().reply(apply.replyTo(), withoutWrite.get());
    }
    boolean creating = state.spec() == null;
    Applied applied = creating
        ? new Applied(apply.spec(), state.generation() + 1, bookkeeping.newUid(), bookkeeping.now())
        : new Applied(apply.spec(), state.generation() + 1);
    return Effect().persist(applied)
        .thenRun(s -> forgetting.present())
        .thenRun(s -> {
          if (creating) {
            bookkeeping.listed();
          }
          lookUpIsolationClass(s);
          register(s);
          publish(s);
        })
        .thenReply(apply.replyTo(), s -> new ApplyReply.Accepted(key, s.generation(), true));
  }

  private ReplyEffect<Event, State> onDelete(State state, String expected, ActorRef<DeleteReply> replyTo) {
    if (state.spec() == null) {
      return Effect().reply(replyTo, new DeleteReply.NotFound(key));
    }
    var conflict = bookkeeping.deleteConflict(expected);
    if (conflict.isPresent()) {
      return Effect().reply(replyTo, conflict.get());
    }
    Set<String> networks = state.networks().keySet();
    String isolationClass = state.spec().isolationClassName();
    return Effect().persist(new Deleted(state.generation()))
        .thenRun(s -> {
          // Tell the networks that joined: they have no VPC now, and say so.
          networks.forEach(n -> directory.network(key.namespace(), n).tell(new DpuVirtualNetworkEntity.VpcDeleted(key)));
          directory.fleet().tell(new FleetEntity.UnregisterVpc(key));
          bookkeeping.unlisted();
          timers.cancelAll();
          forgetting.absent();
          conditions = Conditions.EMPTY;
          claim(null);
          nodeLooks.clear();
          northbound.withdraw(isolationClass);
        })
        .thenReply(replyTo, s -> new DeleteReply.Deleted(key));
  }

  private ReplyEffect<Event, State> onAttach(State state, AttachNetwork attach) {
    if (state.spec() == null) {
      return Effect().reply(attach.replyTo(), new NoSuchVpc(key));
    }
    AttachedNetwork details = attach.details();
    if (details.equals(state.networks().get(attach.network()))) {
      return Effect().reply(attach.replyTo(), attached(state));
    }
    Map<String, String> others = state.subnets();
    others.remove(attach.network());
    List<FieldError> overlaps = DpuVirtualNetworkValidator.overlaps(details.subnet(), others);
    if (!overlaps.isEmpty()) {
      return Effect().reply(attach.replyTo(), new AttachRefused(key, overlaps));
    }
    return Effect().persist(new NetworkAttached(attach.network(), details.subnet(), details.externallyRouted(),
            details.masquerade()))
        .thenRun(this::publish)
        .thenReply(attach.replyTo(), this::attached);
  }

  private ReplyEffect<Event, State> onDetach(State state, DetachNetwork detach) {
    if (!state.networks().containsKey(detach.network())) {
      return Effect().noReply();
    }
    return Effect().persist(new NetworkDetached(detach.network())).thenRun(this::publish).thenNoReply();
  }

  private Attached attached(State state) {
    return new Attached(key, state.generation(), state.spec().isolationClassName());
  }

  private ReplyEffect<Event, State> onNodesClaimed(State state, NodesClaimed nodes) {
    claim(state.spec() == null ? null : nodes);
    if (claimed != null) {
      nodeLooks.keySet().retainAll(usable);
      // A claim change is also when a node's facts are most likely new: look at all of them.
      lookUpNodes(state, true);
      publish(state);
    }
    return Effect().noReply();
  }

  private void claim(NodesClaimed nodes) {
    claimed = nodes;
    usable = nodes == null ? Set.of() : Set.copyOf(nodes.usable());
    claimedSorted = nodes == null ? List.of() : List.copyOf(new TreeSet<>(nodes.nodes()));
  }

  /** Asks the usable nodes for their facts: all of them, or only those still lacking some. */
  private void lookUpNodes(State state, boolean all) {
    if (state.spec() == null || claimed == null) {
      return;
    }
    for (String node : usable) {
      if (all || VpcGateways.gateway(node, nodeLooks.get(node)) == null) {
        context.ask(DpuNodeEntity.Status.class, directory.node(node), LOOKUP_TIMEOUT, DpuNodeEntity.GetStatus::new,
            (status, failure) -> new NodeLooked(node, status, failure == null ? null : failure.getMessage()));
      }
    }
  }

  private ReplyEffect<Event, State> onNodeLooked(State state, NodeLooked looked) {
    if (state.spec() == null || claimed == null || !usable.contains(looked.node())) {
      return Effect().noReply(); // stale: the node is no longer this VPC's alone
    }
    VpcGateways.Looked now = new VpcGateways.Looked(looked.status(), looked.failure());
    VpcGateways.Looked before = nodeLooks.put(looked.node(), now);
    TopologyIntent.Gateway gateway = VpcGateways.gateway(looked.node(), now);
    if (gateway == null) {
      timers.startSingleTimer(RecheckNodes.INSTANCE, RECHECK_INTERVAL);
    }
    // Every claim makes the VPC look at all its nodes again; a node whose gateway is what it was
    // changes nothing to publish. Building the intent for each answer anyway cost O(nodes) per
    // answer, O(nodes^2) per claim: seconds per change of a VPC over 1,000 DPUs.
    if (before == null || !Objects.equals(gateway, VpcGateways.gateway(looked.node(), before))) {
      publish(state);
    }
    return Effect().noReply();
  }

  /**
   * Publishes the VPC's topology when everything it checks is fine (admitted spec, usable
   * IsolationClass, every usable node looked up once) and the intent changed. Waiting for the
   * first node answers matters: publishing fewer gateways would make the bridge remove right rows.
   */
  private void publish(State state) {
    if (state.spec() == null || prerequisiteErrors == null || !prerequisiteErrors.isEmpty() || claimed == null
        || nodeLooks.size() < usable.size() || !nodeLooks.keySet().containsAll(usable)) {
      return;
    }
    SortedMap<String, TopologyIntent.NetworkRoute> routes = new TreeMap<>();
    state.networks().forEach((name, n) ->
        routes.put(name, new TopologyIntent.NetworkRoute(n.subnet(), n.externallyRouted(), n.masquerade())));
    northbound.publish(state.spec().isolationClassName(), new TopologyIntent.Vpc(key, state.generation(),
        state.spec().interNetworkAccess(), routes, VpcGateways.gateways(usable, nodeLooks)));
  }

  /** Tells the fleet which nodes this VPC selects; it answers with {@link NodesClaimed}. */
  private void register(State state) {
    if (state.spec() != null) {
      directory.fleet().tell(new FleetEntity.RegisterVpc(key, state.spec().nodeSelector()));
    }
  }

  private void lookUpIsolationClass(State state) {
    if (state.spec() == null) {
      return;
    }
    context.ask(IsolationClassEntity.Status.class, directory.isolationClass(state.spec().isolationClassName()), LOOKUP_TIMEOUT,
        IsolationClassEntity.Get::new,
        (status, failure) -> new IsolationClassLooked(status, failure == null ? null : failure.getMessage()));
  }

  private ReplyEffect<Event, State> onIsolationClassLooked(State state, IsolationClassLooked looked) {
    if (state.spec() == null) {
      return Effect().noReply();
    }
    IsolationClassSpec found = looked.status() == null ? null : looked.status().spec();
    prerequisiteErrors = Lookups.errors("spec.isolationClassName", ResourceKind.ISOLATION_CLASS,
        state.spec().isolationClassName(), looked.failure(), found != null);
    if (prerequisiteErrors.isEmpty()) {
      prerequisiteErrors = provisionerErrors(state.spec().isolationClassName(), found);
    }
    if (!prerequisiteErrors.isEmpty()) {
      timers.startSingleTimer(Recheck.INSTANCE, RECHECK_INTERVAL);
    }
    publish(state);
    return Effect().noReply();
  }

  private static List<FieldError> provisionerErrors(String name, IsolationClassSpec found) {
    if (IsolationClassSpec.PROVISIONER.equals(found.provisioner())) {
      return List.of();
    }
    return List.of(new FieldError("spec.isolationClassName", ValidationReasons.INVALID_PROVISIONER,
        "spec.isolationClassName: IsolationClass \"" + name + "\" has provisioner \"" + found.provisioner()
            + "\", not " + IsolationClassSpec.PROVISIONER + ": use an IsolationClass of this product"));
  }

  /** The conditions as they follow from the state and the latest observations. */
  private Status status(State state) {
    if (state.spec() == null) {
      return new Status(key, null, state.generation(), Conditions.EMPTY, List.copyOf(state.networks().keySet()), List.of());
    }
    long generation = state.generation();
    Conditions next = conditions;
    if (prerequisiteErrors == null) {
      next = next.setFalse(ConditionTypes.PREREQUISITES_READY, "Pending",
          "looking up IsolationClass \"" + state.spec().isolationClassName() + "\"", generation, clock);
    } else if (!prerequisiteErrors.isEmpty()) {
      next = next.setFromErrors(ConditionTypes.PREREQUISITES_READY, prerequisiteErrors, generation, clock);
    } else {
      next = northbound.prerequisites(next, ConditionTypes.PREREQUISITES_READY, generation, clock);
    }
    next = next.setTrue(ConditionTypes.DPU_VPC_RECONCILED, generation, clock);
    next = northbound.reconciled(next, ConditionTypes.TOPOLOGY_RECONCILED,
        "publishing the topology of this VPC to OVN", generation, clock);
    next = nodesReconciled(next, generation);
    conditions = next.withReady(ResourceKind.DPU_VPC, generation, clock);
    return new Status(key, state.spec(), generation, conditions, List.copyOf(state.networks().keySet()), claimedSorted,
        bookkeeping.metadata(true, state.uid(), state.creationTimestamp()));
  }

  /** Conflicts first (the user must fix selectors), then nodes that cannot be gateways yet. */
  private Conditions nodesReconciled(Conditions next, long generation) {
    if (claimed == null) {
      return next.setFalse(ConditionTypes.DPU_NODES_RECONCILED, "AwaitingNodes",
          "waiting for the fleet to say which DPU nodes this VPC selects", generation, clock);
    }
    if (!claimed.conflicts().isEmpty()) {
      return next.setFromErrors(ConditionTypes.DPU_NODES_RECONCILED, claimed.conflicts(), generation, clock);
    }
    String notReady = VpcGateways.notReady(usable, nodeLooks);
    return notReady == null
        ? next.setTrue(ConditionTypes.DPU_NODES_RECONCILED, generation, clock)
        : next.setFalse(ConditionTypes.DPU_NODES_RECONCILED, NODE_NOT_READY, notReady, generation, clock);
  }

  @Override
  public Recovery recovery() {
    return EventsOnlyRecovery.RECOVERY; // it never snapshots
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> state.spec() == null
            ? new State(e.spec(), e.generation(), state.networks(), bookkeeping.uid(e.uid(), e.generation()),
                e.creationTimestamp())
            : new State(e.spec(), e.generation(), state.networks(), state.uid(), state.creationTimestamp()))
        .onEvent(NetworkAttached.class, (state, e) -> state.withNetwork(e.network(), e.details()))
        .onEvent(NetworkDetached.class, (state, e) -> state.withoutNetwork(e.network()))
        .onEvent(Deleted.class, (state, e) -> new State(null, e.generation(), Map.of()))
        .build();
  }
}
