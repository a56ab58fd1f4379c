package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.changes.ReadOnlyCommand;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.DpuNodeValidator;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.ValidationReasons;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A DPU node (cluster scoped, key {@code DPUNode/name}): the product's record of what its agent
 * reports (chassis id, VTEP address, external address and next hop) and of its labels, which come
 * from the Kubernetes Node or from the agent. Those facts change rarely and OVN is configured from
 * them, so they are persisted, and only when they change. Readiness and the heartbeat change every
 * few seconds and are worthless after a restart (the agent reports again), so they are kept in
 * memory only; so are the agent's other observations (chassis registered in the Southbound,
 * hardware offload, the state of each port), which would otherwise write an event per port that
 * comes up. While its facts stay the same the agent sends a {@link Heartbeat} naming its accepted
 * report instead of the whole report again. Label changes go to the {@link FleetEntity}, which
 * decides what selects the node.
 *
 * <p>It also keeps the ports its agent must plug ({@link WantedPort}), told by each
 * ServiceInterface placed on it ({@link PortWanted}, {@link PortUnwanted}) and watched by the agent
 * ({@link WatchPorts}: told after each change; {@link GetPorts} asks once). They are persisted, and only when they change, although every
 * ServiceInterface tells them again after its recovery and on each refresh: kept in memory only,
 * a restarted controller would answer the agent's first {@link GetPorts} before the
 * ServiceInterfaces (restarted by remember-entities, in no order) had told it, and the agent,
 * which converges to the answer, would unplug live ports. Persisted, the answer after a restart is
 * the one before it. The re-tells are what make the tells fire-and-forget: a lost one heals at the
 * interface's next refresh, and one that changes nothing writes nothing. The ports outlive a
 * {@link Delete} of the node: they are the interfaces' wishes, and a node that comes back needs them.
 */
public final class DpuNodeEntity
    extends EventSourcedBehaviorWithEnforcedReplies<DpuNodeEntity.Command, DpuNodeEntity.Event, DpuNodeEntity.State> {

  public sealed interface Command extends CborSerializable {}

  /**
   * The agent's report. Its labels replace the known ones only when it reports some: an agent that
   * does not know the node's labels must not erase those Kubernetes set. Likewise a null chassis id
   * (an agent that has not observed the Southbound yet) keeps the known one: a restarted agent
   * does not write an event to forget it and another to learn it again; whether the chassis is
   * there now is {@link DpuNode#chassisRegistered()}. Unconditional (no
   * resourceVersion): the agent states facts it observes, and the latest observation wins.
   */
  public record Report(DpuNode facts, ActorRef<ApplyReply> replyTo, long serial) implements Command {
    /** A report no {@link Heartbeat} can name (serial 0). */
    public Report(DpuNode facts, ActorRef<ApplyReply> replyTo) {
      this(facts, replyTo, 0);
    }
  }

  /**
   * The agent's heartbeat while its facts are those of its accepted report {@code serial}
   * ({@link Report#serial()}, numbered by {@link ReportSerials}): the node is heard, as by that
   * report again, without the facts. A fleet's agents report every few seconds, and the whole
   * report (labels, addresses, a status per port) went over the wire and was validated each time
   * although it rarely changes: with the renewed port watch, 216 bytes per settled heartbeat
   * instead of 3,367 for a DPU with ten ports ({@code HeartbeatWireTest}). Answered {@link HeartbeatAnswer#known()} false when
   * this entity holds no accepted report of that serial (it restarted, moved to another
   * controller, or refused the report): the agent then reports in full. {@code at}: the agent's
   * time of it, shown as the last heartbeat as a report's is (null: when the entity heard it).
   */
  public record Heartbeat(long serial, Instant at, ActorRef<HeartbeatAnswer> replyTo) implements Command {}

  /** Whether a {@link Heartbeat} named the report this entity holds; false: report in full. */
  public record HeartbeatAnswer(String node, boolean known) implements CborSerializable {}

  /**
   * The labels of the Kubernetes Node (creates the record when the agent has not reported yet).
   * {@code resourceVersion}: the version the change was based on, null for an unconditional one;
   * any other version answers {@link ApplyReply.Conflict}.
   */
  public record SetLabels(Map<String, String> labels, String resourceVersion, ActorRef<ApplyReply> replyTo)
      implements Command {
    public SetLabels(Map<String, String> labels, ActorRef<ApplyReply> replyTo) {
      this(labels, null, replyTo);
    }
  }

  public record GetStatus(ActorRef<Status> replyTo) implements Command, ReadOnlyCommand {}

  /**
   * From the ServiceInterface {@code serviceInterface} placed on this node: it wants its port
   * plugged (replaces what it wanted before). {@code mac} null: unknown-mac. Idempotent, no reply.
   */
  public record PortWanted(ResourceKey serviceInterface, String representor, String logicalPort, String mac)
      implements Command {
    public WantedPort port() {
      return new WantedPort(serviceInterface, representor, logicalPort, mac);
    }
  }

  /** From a ServiceInterface deleted or moved to another node: it wants no port here. Idempotent, no reply. */
  public record PortUnwanted(ResourceKey serviceInterface) implements Command {}

  /** From the node's agent: which ports to plug, answered with {@link Ports}. */
  public record GetPorts(ActorRef<Ports> replyTo) implements Command, ReadOnlyCommand {}

  /**
   * From the node's agent: answered with {@link Ports} now, and told the new {@link Ports} after
   * every change of them, so a port is plugged as soon as its interface wants it rather than at
   * the agent's next heartbeat. One subscriber, the latest (a restarted agent replaces its former
   * self); kept in memory, so the agent sends this again at every heartbeat and a restarted
   * controller hears from it within one.
   */
  public record WatchPorts(ActorRef<Ports> subscriber, long known) implements Command, ReadOnlyCommand {
    /**
     * {@code known}: the {@link Ports#digest()} of the ports the subscriber holds. The same
     * subscriber asking again with the current digest is answered with nothing: at every
     * heartbeat of every agent the whole list went back over the wire only to say what the agent
     * already had. 0: answer in any case.
     */
    public WatchPorts(ActorRef<Ports> subscriber) {
      this(subscriber, 0);
    }
  }

  /** The ports wanted on {@code node}, ordered by ServiceInterface key. */
  public record Ports(String node, List<WantedPort> ports) implements CborSerializable {
    public Ports {
      ports = List.copyOf(ports);
    }

    /**
     * A 64-bit digest of the ports, never 0, the same in every JVM (from the strings only), for
     * {@link WatchPorts#known()}: equal lists have equal digests; different ones almost surely not,
     * and a change is told to the watcher as it happens anyway, so the digest only decides whether
     * a renewed watch repeats the list.
     */
    public long digest() {
      long h = 0xcbf29ce484222325L;
      for (WantedPort p : ports) {
        h = mix(h, p.serviceInterface() == null ? null : p.serviceInterface().toString());
        h = mix(h, p.representor());
        h = mix(h, p.logicalPort());
        h = mix(h, p.mac());
      }
      return h == 0 ? 1 : h;
    }

    private static long mix(long h, String s) {
      long v = s == null ? 0x9e3779b97f4a7c15L : ((long) s.hashCode() << 32) ^ s.length();
      return (h ^ v) * 0x100000001b3L + 0x2545f4914f6cdd1dL;
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

  /**
   * The node as last known, readiness and heartbeat included; {@code node} null (no metadata) when
   * unknown. {@code notReady}: why a known node is not ready, null when it is (or is unknown).
   */
  public record Status(ResourceKey key, DpuNode node, long generation, ResourceMetadata metadata, NotReady notReady)
      implements CborSerializable {
    public Status(ResourceKey key, DpuNode node, long generation) {
      this(key, node, generation, ResourceMetadata.NONE);
    }

    public Status(ResourceKey key, DpuNode node, long generation, ResourceMetadata metadata) {
      this(key, node, generation, metadata, null);
    }

    public boolean exists() {
      return node != null;
    }
  }

  /**
   * Why a node is not ready, for the operator: {@code reason} one of {@link #AGENT_SILENT} and
   * {@link #AGENT_NOT_READY} (CamelCase, for programs), {@code message} for people.
   */
  public record NotReady(String reason, String message) {}

  /** {@link NotReady#reason}: no report from the agent within the heartbeat grace (dead, or cut off), or none yet. */
  public static final String AGENT_SILENT = "AgentSilent";

  /** {@link NotReady#reason}: the agent reports, and says the node is not ready. */
  public static final String AGENT_NOT_READY = "AgentNotReady";

  public sealed interface Event extends CborSerializable {}

  /**
   * The durable facts changed; {@code node} has ready false and no heartbeat (those are not
   * persisted). {@code uid} and {@code creationTimestamp} are set by the event that creates the
   * node, null otherwise and in every event written before they existed (see
   * {@link ResourceBookkeeping#uid}).
   */
  public record Recorded(DpuNode node, long generation, String uid, Instant creationTimestamp) implements Event {
    public Recorded(DpuNode node, long generation) {
      this(node, generation, null, null);
    }
  }

  public record Deleted(long generation) implements Event {}

  /** A ServiceInterface wants {@code port} here (new, or different from what it wanted before). */
  public record PortRecorded(WantedPort port) implements Event {}

  /** The ServiceInterface no longer wants a port here. */
  public record PortForgotten(ResourceKey serviceInterface) implements Event {}

  /**
   * {@code node} null: unknown or deleted (then no uid or creation time either); {@code ports} the
   * wanted ports in {@link WantedPort#ORDER}, kept across a delete.
   */
  public record State(DpuNode node, long generation, String uid, Instant creationTimestamp, List<WantedPort> ports)
      implements CborSerializable {
    public State {
      ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public State(DpuNode node, long generation, String uid, Instant creationTimestamp) {
      this(node, generation, uid, creationTimestamp, List.of());
    }

    public State(DpuNode node, long generation) {
      this(node, generation, null, null);
    }

    Optional<WantedPort> port(ResourceKey serviceInterface) {
      return ports.stream().filter(p -> p.serviceInterface().equals(serviceInterface)).findFirst();
    }

    State withPorts(List<WantedPort> ports) {
      return new State(node, generation, uid, creationTimestamp, ports);
    }

    State withPort(WantedPort port) {
      List<WantedPort> next = new ArrayList<>(without(port.serviceInterface()));
      next.add(port);
      next.sort(WantedPort.ORDER);
      return withPorts(next);
    }

    List<WantedPort> without(ResourceKey serviceInterface) {
      return ports.stream().filter(p -> !p.serviceInterface().equals(serviceInterface)).toList();
    }
  }

  /**
   * How long after the last report a node still counts as ready: three of the agent's default
   * 10 s heartbeats; {@code dpuvpc.node.heartbeat-grace} in the actor system's config overrides it
   * (for agents with another heartbeat). Measured from when this entity heard the report (its own
   * clock), not from the agent's timestamp, so a DPU with a skewed clock is judged like any other.
   */
  public static final java.time.Duration HEARTBEAT_GRACE = java.time.Duration.ofSeconds(30);
  public static final String HEARTBEAT_GRACE_SETTING = "dpuvpc.node.heartbeat-grace";

  /**
   * How long a node may go unheard before its Southbound chassis is removed (by the live agents,
   * told through the {@link FleetEntity}); {@code dpuvpc.node.silence-grace} in the actor system's
   * config overrides it. Long, because a removed chassis takes the node's ports down with it; a
   * node that comes back registers again.
   */
  public static final java.time.Duration SILENCE_GRACE = java.time.Duration.ofMinutes(10);
  public static final String SILENCE_GRACE_SETTING = "dpuvpc.node.silence-grace";

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command, ReadOnlyCommand { INSTANCE }

  /** Timer: the agent has not reported for the silence grace. */
  private enum Silence implements Command { INSTANCE }


  private final ResourceKey key;
  private final ActorContext<Command> context;
  private final EntityDirectory directory;
  private final Clock clock;
  private final Forgetting<Command> forgetting;
  private final ResourceBookkeeping bookkeeping;
  private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;
  private final java.time.Duration silenceGrace;
  private final java.time.Duration heartbeatGrace;
  private boolean toldSilent;
  // Observed, not persisted: the agent reports them again within seconds of a restart.
  private boolean ready;
  private Instant lastHeartbeat;
  private Instant heardAt;
  private boolean chassisRegistered;
  private boolean hwOffload;
  private List<NodePortStatus> ports = List.of();
  // The serial of the report these observations came from, which a Heartbeat may name; 0: none.
  private long reportSerial;
  // The agent told of every change of the wanted ports (WatchPorts); null: none has asked.
  private ActorRef<Ports> portsSubscriber;

  private DpuNodeEntity(ResourceKey key, ActorContext<Command> context, EntityDirectory directory, Clock clock,
                        Forgetting<Command> forgetting,
                        org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers) {
    super(PersistenceId.of(ResourceKind.DPU_NODE.kindName(), key.toString()));
    this.timers = timers;
    var config = context.getSystem().settings().config();
    this.silenceGrace = config.hasPath(SILENCE_GRACE_SETTING) ? config.getDuration(SILENCE_GRACE_SETTING) : SILENCE_GRACE;
    this.heartbeatGrace =
        config.hasPath(HEARTBEAT_GRACE_SETTING) ? config.getDuration(HEARTBEAT_GRACE_SETTING) : HEARTBEAT_GRACE;
    this.key = key;
    this.context = context;
    this.directory = directory;
    this.clock = clock;
    this.forgetting = forgetting;
    this.bookkeeping = new ResourceBookkeeping(key, context, this, directory, clock);
  }

  public static Behavior<Command> create(String name, EntityDirectory directory, Clock clock) {
    return create(name, directory, clock, Passivation.none());
  }

  public static Behavior<Command> create(String name, EntityDirectory directory, Clock clock,
                                         Passivation<Command> passivation) {
    ResourceKey key = ResourceKey.clusterScoped(ResourceKind.DPU_NODE, name);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new DpuNodeEntity(key, ctx, directory, clock, new Forgetting<>(ctx, timers, passivation, Forget.INSTANCE),
            timers)));
  }

  @Override
  public State emptyState() {
    return new State(null, 0);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Report.class, this::onReport)
        .onCommand(Heartbeat.class, this::onHeartbeat)
        .onCommand(SetLabels.class, this::onSetLabels)
        .onCommand(GetStatus.class, (state, get) -> Effect().reply(get.replyTo(), status(state)))
        .onCommand(PortWanted.class, this::onPortWanted)
        .onCommand(PortUnwanted.class, this::onPortUnwanted)
        .onCommand(GetPorts.class, (state, get) -> Effect().reply(get.replyTo(), new Ports(key.name(), state.ports())))
        .onCommand(WatchPorts.class, (state, watch) -> {
          Ports ports = new Ports(key.name(), state.ports());
          boolean heldAlready = watch.subscriber().equals(portsSubscriber) && watch.known() == ports.digest();
          portsSubscriber = watch.subscriber();
          return heldAlready ? Effect().noReply() : Effect().reply(watch.subscriber(), ports);
        })
        .onCommand(Delete.class, (state, delete) -> onDelete(state, null, delete.replyTo()))
        .onCommand(DeleteIfUnchanged.class, (state, delete) -> onDelete(state, delete.resourceVersion(), delete.replyTo()))
        .onCommand(Silence.class, (state, tick) -> {
          if (state.node() != null && !toldSilent) {
            context.getLog().warn("node {}: no report from its agent for {}: its Southbound chassis goes", key.name(),
                silenceGrace);
            toldSilent = true;
            directory.fleet().tell(new FleetEntity.NodeSilent(key.name()));
          }
          return Effect().noReply();
        })
        .onCommand(Forget.class, (state, tick) -> {
          forgetting.forgetIf(state.node() == null);
          return Effect().noReply();
        })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // The fleet persists the labels too, but telling it again costs nothing and repairs a lost tell.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      tellFleet(state);
      bookkeeping.recovered(state.node() != null, state.generation());
      if (state.node() != null) {
        // Unheard since this incarnation began: the grace runs from now, not from a report it never had.
        timers.startSingleTimer(Silence.INSTANCE, silenceGrace);
      }
      if (state.node() == null) {
        forgetting.absent();
      }
    }).build();
  }

  private ReplyEffect<Event, State> onReport(State state, Report report) {
    DpuNode facts = report.facts();
    if (facts == null) {
      return Effect().reply(report.replyTo(), new ApplyReply.Rejected(key,
          List.of(new FieldError("node", ValidationReasons.REQUIRED, "node is required: report the node's facts"))));
    }
    var labels = facts.labels().isEmpty() && state.node() != null ? state.node().labels() : facts.labels();
    var chassisId = facts.chassisId() == null && state.node() != null ? state.node().chassisId() : facts.chassisId();
    DpuNode durable = new DpuNode(key.name(), labels, chassisId, facts.vtepIp(), facts.externalIp(),
        facts.externalNextHop(), false, null);
    List<FieldError> errors = new ArrayList<>();
    if (facts.name() != null && !facts.name().equals(key.name())) {
      errors.add(new FieldError("metadata.name", ValidationReasons.INVALID_NAME, "metadata.name: the report of node \""
          + facts.name() + "\" was sent to node \"" + key.name() + "\": send each node's report to its own entity"));
    }
    errors.addAll(DpuNodeValidator.validate(durable));
    if (!errors.isEmpty()) {
      return Effect().reply(report.replyTo(), new ApplyReply.Rejected(key, errors));
    }
    ready = facts.ready();
    heard(facts.lastHeartbeat());
    reportSerial = report.serial();
    chassisRegistered = facts.chassisRegistered();
    hwOffload = facts.hwOffload();
    ports = facts.ports();
    return record(state, durable, report.replyTo());
  }

  private ReplyEffect<Event, State> onHeartbeat(State state, Heartbeat heartbeat) {
    boolean known = state.node() != null && heartbeat.serial() != 0 && heartbeat.serial() == reportSerial;
    if (known) {
      heard(heartbeat.at());
    }
    return Effect().reply(heartbeat.replyTo(), new HeartbeatAnswer(key.name(), known));
  }

  /** The agent spoke now; {@code agentTime}, its own time of it, is shown as the last heartbeat when given. */
  private void heard(Instant agentTime) {
    heardAt = clock.instant();
    timers.startSingleTimer(Silence.INSTANCE, silenceGrace);
    if (toldSilent) {
      toldSilent = false;
      directory.fleet().tell(new FleetEntity.NodeHeard(key.name()));
    }
    lastHeartbeat = agentTime == null ? heardAt : agentTime;
  }

  private ReplyEffect<Event, State> onSetLabels(State state, SetLabels set) {
    var conflict = bookkeeping.applyConflict(set.resourceVersion(), state.node() != null);
    if (conflict.isPresent()) {
      return Effect().reply(set.replyTo(), conflict.get());
    }
    DpuNode current = state.node() == null ? DpuNode.labelled(key.name(), Map.of()) : state.node();
    DpuNode labelled = current.withLabels(set.labels());
    List<FieldError> errors = DpuNodeValidator.validate(labelled);
    if (!errors.isEmpty()) {
      return Effect().reply(set.replyTo(), new ApplyReply.Rejected(key, errors));
    }
    return record(state, labelled, set.replyTo());
  }

  /** Persists {@code durable} when it differs, and tells the fleet when the labels did. */
  private ReplyEffect<Event, State> record(State state, DpuNode durable, ActorRef<ApplyReply> replyTo) {
    if (durable.equals(state.node())) {
      return Effect().reply(replyTo, new ApplyReply.Accepted(key, state.generation(), false));
    }
    boolean labelsChanged = state.node() == null || !state.node().labels().equals(durable.labels());
    boolean creating = state.node() == null;
    Recorded recorded = creating
        ? new Recorded(durable, state.generation() + 1, bookkeeping.newUid(), bookkeeping.now())
        : new Recorded(durable, state.generation() + 1);
    return Effect().persist(recorded)
        .thenRun(s -> {
          forgetting.present();
          if (creating) {
            bookkeeping.listed();
          }
          if (labelsChanged) {
            tellFleet(s);
          }
        })
        .thenReply(replyTo, s -> new ApplyReply.Accepted(key, s.generation(), true));
  }

  private ReplyEffect<Event, State> onPortWanted(State state, PortWanted wanted) {
    WantedPort port = wanted.port();
    if (port.serviceInterface() == null || port.representor() == null || port.logicalPort() == null) {
      context.getLog().warn("node {}: ignoring an incomplete {}", key.name(), wanted);
      return Effect().noReply();
    }
    if (state.port(port.serviceInterface()).filter(port::equals).isPresent()) {
      return Effect().noReply();
    }
    return Effect().persist(new PortRecorded(port)).thenRun(this::tellPorts).thenNoReply();
  }

  /** Tells the watching agent the wanted ports as they are now. */
  private void tellPorts(State state) {
    if (portsSubscriber != null) {
      portsSubscriber.tell(new Ports(key.name(), state.ports()));
    }
  }

  private ReplyEffect<Event, State> onPortUnwanted(State state, PortUnwanted unwanted) {
    if (state.port(unwanted.serviceInterface()).isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(new PortForgotten(unwanted.serviceInterface())).thenRun(this::tellPorts).thenNoReply();
  }

  private ReplyEffect<Event, State> onDelete(State state, String expected, ActorRef<DeleteReply> replyTo) {
    if (state.node() == null) {
      return Effect().reply(replyTo, new DeleteReply.NotFound(key));
    }
    var conflict = bookkeeping.deleteConflict(expected);
    if (conflict.isPresent()) {
      return Effect().reply(replyTo, conflict.get());
    }
    return Effect().persist(new Deleted(state.generation()))
        .thenRun(s -> {
          directory.fleet().tell(new FleetEntity.NodeRemoved(key.name()));
          timers.cancel(Silence.INSTANCE);
          if (toldSilent) {
            toldSilent = false;
            directory.fleet().tell(new FleetEntity.NodeHeard(key.name()));
          }
          bookkeeping.unlisted();
          ready = false;
          lastHeartbeat = null;
          heardAt = null;
          chassisRegistered = false;
          hwOffload = false;
          ports = List.of();
          forgetting.absent();
        })
        .thenReply(replyTo, s -> new DeleteReply.Deleted(key));
  }

  /**
   * Why the node is not ready, null when it is. An agent that stopped reporting (dead, cut off)
   * leaves its node not ready after the heartbeat grace, whatever it said last.
   */
  private NotReady notReady() {
    if (heardAt == null) {
      return new NotReady(AGENT_SILENT,
          "no report from its agent since this controller took charge of the node (after a restart, or ever)");
    }
    Instant now = clock.instant();
    if (now.isAfter(heardAt.plus(heartbeatGrace))) {
      long unheard = java.time.Duration.between(heardAt, now).toSeconds();
      return new NotReady(AGENT_SILENT, "no report from its agent for " + unheard + " s (grace "
          + heartbeatGrace.toSeconds() + " s), last heard at " + heardAt + ": the agent is down or cut off");
    }
    return ready ? null : new NotReady(AGENT_NOT_READY,
        "its agent reports the node not ready: not connected, or its OVS not converged yet");
  }

  private void tellFleet(State state) {
    if (state.node() != null) {
      directory.fleet().tell(new FleetEntity.NodeLabelsChanged(key.name(), state.node().labels()));
    }
  }

  private Status status(State state) {
    NotReady notReady = state.node() == null ? null : notReady();
    DpuNode node = state.node() == null ? null
        : state.node().observed(notReady == null, lastHeartbeat, chassisRegistered, hwOffload, ports);
    return new Status(key, node, state.generation(),
        bookkeeping.metadata(state.node() != null, state.uid(), state.creationTimestamp()), notReady);
  }

  @Override
  public Recovery recovery() {
    return EventsOnlyRecovery.RECOVERY; // it never snapshots
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Recorded.class, (state, e) -> state.node() == null
            ? new State(e.node(), e.generation(), bookkeeping.uid(e.uid(), e.generation()), e.creationTimestamp(),
                state.ports())
            : new State(e.node(), e.generation(), state.uid(), state.creationTimestamp(), state.ports()))
        .onEvent(Deleted.class, (state, e) -> new State(null, e.generation()).withPorts(state.ports()))
        .onEvent(PortRecorded.class, (state, e) -> state.withPort(e.port()))
        .onEvent(PortForgotten.class, (state, e) -> state.withPorts(state.without(e.serviceInterface())))
        .build();
  }
}
