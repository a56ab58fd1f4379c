package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.Names;
import io.dpuvpc.actors.validation.ServiceInterfaceValidator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A DPUServiceInterface: a ServiceInterface template and a nodeSelector, expanded to one
 * ServiceInterface per selected DPU node, named {@code <name>-<node>}. It registers its selector
 * with the {@link FleetEntity}, which tells it the matching nodes now and whenever labels change
 * ({@link NodesMatched}); it persists the decision of which ServiceInterfaces exist (node → name)
 * so that after a restart it still knows what it created and deletes a child whose node no longer
 * matches. Applying the template to each child is idempotent and repeated until accepted.
 *
 * <p>Its conditions: ServiceInterfacePreReqsReady (the template's virtual network exists),
 * ServiceInterfaceSetReconciled (every child accepted its spec) and ServiceInterfaceSetReady
 * (every child is Ready). The reference cannot aggregate its children's readiness; we keep their
 * last answers, refreshed every {@link #REFRESH_INTERVAL}, so GetStatus answers at once.
 * Conditions are derived, not persisted.
 */
public final class DpuServiceInterfaceEntity extends EventSourcedBehaviorWithEnforcedReplies<
    DpuServiceInterfaceEntity.Command, DpuServiceInterfaceEntity.Event, DpuServiceInterfaceEntity.State> {

  static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  private static final String VIRTUAL_NETWORK_FIELD = "spec.template.spec.template.spec.virtualNetwork";

  public sealed interface Command extends CborSerializable {}

  /**
   * Create or change the DPUServiceInterface. {@code resourceVersion}: the version the change was
   * based on, null for an unconditional apply; any other version answers {@link ApplyReply.Conflict}.
   */
  public record Apply(DpuServiceInterfaceSpec spec, String resourceVersion, ActorRef<ApplyReply> replyTo)
      implements Command {
    public Apply(DpuServiceInterfaceSpec spec, ActorRef<ApplyReply> replyTo) {
      this(spec, null, replyTo);
    }
  }

  /** Deletes the DPUServiceInterface and every ServiceInterface it created. */
  public record Delete(ActorRef<DeleteReply> replyTo) implements Command {}

  /**
   * {@link Delete} only if the resource is still at {@code resourceVersion} (null: unconditional);
   * otherwise nothing is deleted and the answer is {@link DeleteReply.Conflict}. A command of its
   * own rather than a second constructor of {@link Delete}, which would make {@code Delete::new}
   * ambiguous where callers pass it as a function.
   */
  public record DeleteIfUnchanged(String resourceVersion, ActorRef<DeleteReply> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** From the {@link FleetEntity}: the DPU nodes the nodeSelector matches now. */
  public record NodesMatched(Set<String> nodes) implements Command {
    public NodesMatched {
      nodes = Set.copyOf(nodes);
    }
  }

  private record ChildApplied(String node, ApplyReply reply, String failure) implements Command {}

  private record ChildLooked(String node, ServiceInterfaceEntity.Status status) implements Command {}

  private record ChildDeleted(String child, String failure) implements Command {}

  /** Timer: a child whose deletion was not confirmed is deleted again (idempotent there). */
  private record DeleteChildAgain(String child) implements Command {}

  private record NetworkLooked(DpuVirtualNetworkEntity.Status status, String failure) implements Command {}

  private enum Refresh implements Command { INSTANCE }

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command { INSTANCE }

  /** One created ServiceInterface and its Ready condition as last seen (null: not seen yet). */
  public record Child(String name, String node, Condition ready) implements CborSerializable {}

  public record Status(ResourceKey key, DpuServiceInterfaceSpec spec, long generation, Conditions conditions,
                       List<Child> children, ResourceMetadata metadata) implements CborSerializable {
    public Status(ResourceKey key, DpuServiceInterfaceSpec spec, long generation, Conditions conditions,
                  List<Child> children) {
      this(key, spec, generation, conditions, children, ResourceMetadata.NONE);
    }

    public boolean exists() {
      return spec != null;
    }
  }

  public sealed interface Event extends CborSerializable {}

  /**
   * {@code uid} and {@code creationTimestamp} are set by the apply that creates the
   * DPUServiceInterface, null on updates and in every event written before they existed (see
   * {@link ResourceBookkeeping#uid}).
   */
  public record Applied(DpuServiceInterfaceSpec spec, long generation, String uid, Instant creationTimestamp)
      implements Event {
    public Applied(DpuServiceInterfaceSpec spec, long generation) {
      this(spec, generation, null, null);
    }
  }

  /** The ServiceInterfaces that exist from now on: node → ServiceInterface name. */
  public record ChildrenChosen(Map<String, String> children) implements Event {}

  public record Deleted(long generation) implements Event {}

  /**
   * {@code children}: node → name of the ServiceInterface created on it. {@code spec} null: absent
   * (then no uid or creation time either).
   */
  public record State(DpuServiceInterfaceSpec spec, long generation, Map<String, String> children, String uid,
                      Instant creationTimestamp) implements CborSerializable {
    public State {
      children = Collections.unmodifiableMap(new TreeMap<>(children));
    }

    public State(DpuServiceInterfaceSpec spec, long generation, Map<String, String> children) {
      this(spec, generation, children, null, null);
    }
  }

  private final ResourceKey key;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final EntityDirectory directory;
  private final Clock clock;
  private final Forgetting<Command> forgetting;
  // Observed, not persisted: asked again after recovery.
  private boolean matched;
  // Children whose deletion is not confirmed yet (retried until it is).
  private final Set<String> deleting = new HashSet<>();
  private NetworkLooked network;
  private final Map<String, ChildApplied> applied = new HashMap<>();
  private final Map<String, ServiceInterfaceEntity.Status> childStatus = new HashMap<>();
  private Conditions conditions = Conditions.EMPTY;
  private final ResourceBookkeeping bookkeeping;

  private DpuServiceInterfaceEntity(ResourceKey key, ActorContext<Command> context, TimerScheduler<Command> timers,
                                    EntityDirectory directory, Clock clock, Passivation<Command> passivation) {
    super(PersistenceId.of(ResourceKind.DPU_SERVICE_INTERFACE.kindName(), key.toString()));
    this.key = key;
    this.context = context;
    this.timers = timers;
    this.directory = directory;
    this.clock = clock;
    this.forgetting = new Forgetting<>(context, timers, passivation, Forget.INSTANCE);
    this.bookkeeping = new ResourceBookkeeping(key, context, this, directory, clock);
  }

  public static Behavior<Command> create(String namespace, String name, EntityDirectory directory, Clock clock) {
    return create(namespace, name, directory, clock, Passivation.none());
  }

  public static Behavior<Command> create(String namespace, String name, EntityDirectory directory, Clock clock,
                                         Passivation<Command> passivation) {
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, namespace, name);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new DpuServiceInterfaceEntity(key, ctx, timers, directory, clock, passivation)));
  }

  /**
   * The name of the ServiceInterface on {@code node}: {@code <name>-<node>}, a valid DNS-1123
   * subdomain when both parts are. Beyond {@value Names#SUBDOMAIN_MAX} characters it is cut and
   * ends with a hash of the full name, so two long names stay distinct.
   */
  public static String childName(String name, String node) {
    String full = name + "-" + node;
    if (full.length() <= Names.SUBDOMAIN_MAX) {
      return full;
    }
    String hash;
    try {
      hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(full.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    String prefix = full.substring(0, Names.SUBDOMAIN_MAX - hash.length() - 1).replaceAll("[-.]+$", "");
    return prefix + "-" + hash;
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
          // Not while a child's deletion is unconfirmed: passivating would drop the retries.
          forgetting.forgetIf(state.spec() == null && deleting.isEmpty());
          return Effect().noReply();
        })
        .onCommand(GetStatus.class, (state, get) -> Effect().reply(get.replyTo(), status(state)))
        .onCommand(NodesMatched.class, this::onNodesMatched)
        .onCommand(ChildApplied.class, (state, answer) -> {
          if (state.children().containsKey(answer.node())) {
            applied.put(answer.node(), answer);
            if (answer.reply() instanceof ApplyReply.Accepted) {
              lookUpChild(state, answer.node());
            }
          }
          return Effect().noReply();
        })
        .onCommand(ChildLooked.class, (state, looked) -> {
          if (state.children().containsKey(looked.node()) && looked.status() != null) {
            childStatus.put(looked.node(), looked.status());
          }
          return Effect().noReply();
        })
        .onCommand(ChildDeleted.class, (state, deleted) -> {
          if (deleted.failure() != null) {
            // Not confirmed: try again rather than leave an orphan behind.
            context.getLog().warn("{}: could not delete ServiceInterface {} ({}); retrying in {}", key, deleted.child(),
                deleted.failure(), REFRESH_INTERVAL);
            timers.startSingleTimer(new DeleteChildAgain(deleted.child()), REFRESH_INTERVAL);
          } else {
            deleting.remove(deleted.child());
            if (deleting.isEmpty() && state.spec() == null) {
              forgetting.absent();
            }
          }
          return Effect().noReply();
        })
        .onCommand(DeleteChildAgain.class, (state, again) -> {
          deleteChild(again.child());
          return Effect().noReply();
        })
        .onCommand(NetworkLooked.class, (state, looked) -> {
          network = state.spec() == null ? null : looked;
          return Effect().noReply();
        })
        .onCommand(Refresh.class, (state, refresh) -> {
          refresh(state);
          return Effect().noReply();
        })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // After a restart: watch again (the fleet answers with the matching nodes, and the children
    // are applied again), and refresh the observations.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      start(state);
      bookkeeping.recovered(state.spec() != null, state.generation());
      if (state.spec() == null) {
        forgetting.absent();
      }
    }).build();
  }

  private ReplyEffect<Event, State> onApply(State state, Apply apply) {
    var conflict = bookkeeping.applyConflict(apply.resourceVersion(), state.spec() != null);
    if (conflict.isPresent()) {
      return Effect().reply(apply.replyTo(), conflict.get());
    }
    List<FieldError> errors = ServiceInterfaceValidator.validateDpuServiceInterface(key.name(), apply.spec());
    var withoutWrite = ApplyReply.withoutWrite(key, errors, apply.spec().equals(state.spec()), state.generation());
    if (withoutWrite.isPresent()) {
      return Effect().reply(apply.replyTo(), withoutWrite.get());
    }
    boolean creating = state.spec() == null;
    Applied event = creating
        ? new Applied(apply.spec(), state.generation() + 1, bookkeeping.newUid(), bookkeeping.now())
        : new Applied(apply.spec(), state.generation() + 1);
    return Effect().persist(event)
        .thenRun(s -> forgetting.present())
        .thenRun(s -> {
          if (creating) {
            bookkeeping.listed();
          }
          network = null;
          applied.clear();
          childStatus.clear();
          start(s);
          applyChildren(s);
        })
        .thenReply(apply.replyTo(), s -> new ApplyReply.Accepted(key, s.generation(), true));
  }

  private void start(State state) {
    if (state.spec() == null) {
      return;
    }
    directory.fleet().tell(new FleetEntity.WatchNodes(key, state.spec().nodeSelector()));
    lookUpNetwork(state);
    timers.startTimerWithFixedDelay(Refresh.INSTANCE, REFRESH_INTERVAL);
  }

  private ReplyEffect<Event, State> onNodesMatched(State state, NodesMatched matched) {
    if (state.spec() == null) {
      // A push that crossed our deletion: make sure the fleet forgets us.
      directory.fleet().tell(new FleetEntity.UnwatchNodes(key));
      return Effect().noReply();
    }
    this.matched = true;
    Map<String, String> wanted = new TreeMap<>();
    matched.nodes().forEach(node -> wanted.put(node, childName(key.name(), node)));
    if (wanted.equals(state.children())) {
      return Effect().none().thenRun(this::applyChildren).thenNoReply();
    }
    Map<String, String> gone = new TreeMap<>(state.children());
    gone.keySet().removeAll(wanted.keySet());
    return Effect().persist(new ChildrenChosen(wanted))
        .thenRun(s -> {
          gone.forEach((node, child) -> {
            applied.remove(node);
            childStatus.remove(node);
            deleteChild(child);
          });
          applyChildren(s);
        })
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onDelete(State state, String expected, ActorRef<DeleteReply> replyTo) {
    if (state.spec() == null) {
      return Effect().reply(replyTo, new DeleteReply.NotFound(key));
    }
    var conflict = bookkeeping.deleteConflict(expected);
    if (conflict.isPresent()) {
      return Effect().reply(replyTo, conflict.get());
    }
    Map<String, String> children = state.children();
    return Effect().persist(new Deleted(state.generation()))
        .thenRun(s -> {
          directory.fleet().tell(new FleetEntity.UnwatchNodes(key));
          bookkeeping.unlisted();
          timers.cancelAll();
          // The children, and any earlier child whose deletion is still unconfirmed (its retry
          // timer was just cancelled).
          Set<String> orphans = new TreeSet<>(deleting);
          orphans.addAll(children.values());
          orphans.forEach(this::deleteChild);
          forgetting.absent();
          matched = false;
          network = null;
          applied.clear();
          childStatus.clear();
          conditions = Conditions.EMPTY;
        })
        .thenReply(replyTo, s -> new DeleteReply.Deleted(key));
  }

  /** Applies the template, placed on its node, to every child (idempotent: unchanged is not rewritten). */
  private void applyChildren(State state) {
    state.children().keySet().forEach(node -> applyChild(state, node));
  }

  private void applyChild(State state, String node) {
    var spec = state.spec().interfaceTemplate().forNode(node);
    context.ask(ApplyReply.class, directory.serviceInterface(key.namespace(), state.children().get(node)), ASK_TIMEOUT,
        replyTo -> new ServiceInterfaceEntity.Apply(spec, replyTo),
        (reply, failure) -> new ChildApplied(node, reply, failure == null ? null : failure.getMessage()));
  }

  private void lookUpChild(State state, String node) {
    context.ask(ServiceInterfaceEntity.Status.class, directory.serviceInterface(key.namespace(), state.children().get(node)),
        ASK_TIMEOUT, ServiceInterfaceEntity.GetStatus::new, (status, failure) -> new ChildLooked(node, status));
  }

  private void deleteChild(String child) {
    deleting.add(child);
    context.ask(DeleteReply.class, directory.serviceInterface(key.namespace(), child), ASK_TIMEOUT,
        ServiceInterfaceEntity.Delete::new,
        (reply, failure) -> new ChildDeleted(child, failure == null ? null : failure.getMessage()));
  }

  private void lookUpNetwork(State state) {
    String name = state.spec().interfaceTemplate().spec().virtualNetwork();
    context.ask(DpuVirtualNetworkEntity.Status.class, directory.network(key.namespace(), name), ASK_TIMEOUT,
        DpuVirtualNetworkEntity.GetStatus::new,
        (status, failure) -> new NetworkLooked(status, failure == null ? null : failure.getMessage()));
  }

  /** Every {@link #REFRESH_INTERVAL}: what is missing is asked for again, the children's readiness refreshed. */
  private void refresh(State state) {
    if (state.spec() == null) {
      return;
    }
    if (!networkErrors(state).isEmpty() || network == null) {
      lookUpNetwork(state);
    }
    state.children().keySet().forEach(node -> {
      ChildApplied answer = applied.get(node);
      if (answer == null || !(answer.reply() instanceof ApplyReply.Accepted)) {
        // Unanswered, unreachable or refused (a refusal may be fixed by a new template): again.
        applyChild(state, node);
      } else {
        lookUpChild(state, node);
      }
    });
  }

  private List<FieldError> networkErrors(State state) {
    if (network == null) {
      return List.of();
    }
    return Lookups.errors(VIRTUAL_NETWORK_FIELD, ResourceKind.DPU_VIRTUAL_NETWORK,
        state.spec().interfaceTemplate().spec().virtualNetwork(), network.failure(),
        network.status() != null && network.status().exists());
  }

  private Status status(State state) {
    if (state.spec() == null) {
      return new Status(key, null, state.generation(), Conditions.EMPTY, List.of());
    }
    long generation = state.generation();
    Conditions next = conditions;
    List<FieldError> prerequisites = networkErrors(state);
    next = network == null && prerequisites.isEmpty()
        ? next.setFalse(ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, "Pending", "looking up DPUVirtualNetwork \""
            + state.spec().interfaceTemplate().spec().virtualNetwork() + "\"", generation, clock)
        : next.setFromErrors(ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, prerequisites, generation, clock);
    next = setReconciled(state, next, generation);
    next = setReady(state, next, generation);
    conditions = next.withReady(ResourceKind.DPU_SERVICE_INTERFACE, generation, clock);
    List<Child> children = new ArrayList<>();
    state.children().forEach((node, name) -> children.add(new Child(name, node, Optional.ofNullable(childStatus.get(node))
        .flatMap(s -> s.conditions().get(ConditionTypes.READY)).orElse(null))));
    return new Status(key, state.spec(), generation, conditions, children,
        bookkeeping.metadata(true, state.uid(), state.creationTimestamp()));
  }

  /** ServiceInterfaceSetReconciled: every child accepted its spec (refusals first, then what is pending). */
  private Conditions setReconciled(State state, Conditions next, long generation) {
    String type = ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED;
    if (!matched) {
      return next.setFalse(type, "Pending", "waiting for the DPU nodes that spec.template.spec.nodeSelector \""
          + state.spec().nodeSelector() + "\" selects", generation, clock);
    }
    List<FieldError> errors = new ArrayList<>();
    String pending = null;
    for (Map.Entry<String, String> child : state.children().entrySet()) {
      ChildApplied answer = applied.get(child.getKey());
      if (answer != null && answer.reply() instanceof ApplyReply.Rejected rejected) {
        rejected.errors().forEach(e -> errors.add(new FieldError(e.fieldPath(), e.reason(),
            "ServiceInterface " + child.getValue() + ": " + e.message())));
      } else if (pending == null && (answer == null || answer.failure() != null)) {
        pending = answer == null
            ? "applying ServiceInterface " + child.getValue()
            : "could not reach ServiceInterface " + child.getValue() + " (" + answer.failure() + "); retrying";
      }
    }
    if (errors.isEmpty() && pending != null) {
      return next.setFalse(type, "Pending", pending, generation, clock);
    }
    return next.setFromErrors(type, errors, generation, clock);
  }

  /** ServiceInterfaceSetReady: every child is Ready; otherwise the first that is not, and why. */
  private Conditions setReady(State state, Conditions next, long generation) {
    String type = ConditionTypes.SERVICE_INTERFACE_SET_READY;
    for (Map.Entry<String, String> child : state.children().entrySet()) {
      ServiceInterfaceEntity.Status status = childStatus.get(child.getKey());
      Optional<Condition> ready = status == null ? Optional.empty() : status.conditions().get(ConditionTypes.READY);
      if (ready.isEmpty()) {
        return next.setFalse(type, "Pending", "ServiceInterface " + child.getValue() + " has not reported yet",
            generation, clock);
      }
      if (!ready.get().isTrue()) {
        return next.setFalse(type, ready.get().reason(), "ServiceInterface " + child.getValue() + ": "
            + ready.get().message(), generation, clock);
      }
    }
    return next.setTrue(type, generation, clock);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> state.spec() == null
            ? new State(e.spec(), e.generation(), state.children(), bookkeeping.uid(e.uid(), e.generation()),
                e.creationTimestamp())
            : new State(e.spec(), e.generation(), state.children(), state.uid(), state.creationTimestamp()))
        .onEvent(ChildrenChosen.class, (state, e) ->
            new State(state.spec(), state.generation(), e.children(), state.uid(), state.creationTimestamp()))
        .onEvent(Deleted.class, (state, e) -> new State(null, e.generation(), Map.of()))
        .build();
  }
}
