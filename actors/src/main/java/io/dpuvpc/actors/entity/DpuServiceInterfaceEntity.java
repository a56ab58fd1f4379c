package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.changes.ReadOnlyCommand;
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
import java.util.concurrent.ThreadLocalRandom;
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
import org.apache.pekko.persistence.typed.javadsl.Recovery;
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
 * <p>What it costs is bounded by the set, not by how the answers arrive: only the decision of which
 * children exist is persisted, never a child's answer; pushes from the fleet that arrive within
 * {@link #CHOOSE_DELAY} of a written decision are folded into one decision after it;
 * and a child is asked again only once its previous ask was answered. Every {@link #REMATCH_SETTING}
 * (jittered) it asks the fleet again and applies every child again, which repairs a push or an
 * answer that was lost (an entity's stash drops what overflows it) and costs no write when nothing
 * changed.
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
  /**
   * At most one {@link ChildrenChosen} per this long: nodes join one by one, each a push, and a
   * decision per push would cost a write each (and stash everything else meanwhile).
   */
  static final Duration CHOOSE_DELAY = Duration.ofMillis(100);
  static final String REMATCH_SETTING = "dpuvpc.entities.dpu-service-interface-rematch";
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

  public record GetStatus(ActorRef<Status> replyTo) implements Command, ReadOnlyCommand {}

  /** From the {@link FleetEntity}: the DPU nodes the nodeSelector matches now. */
  public record NodesMatched(Set<String> nodes) implements Command {
    public NodesMatched {
      nodes = Set.copyOf(nodes);
    }
  }

  /** {@code ask}: which ask this answers (see {@code applying}); an answer to an older one is stale. */
  private record ChildApplied(String node, long ask, ApplyReply reply, String failure) implements Command {}

  private record ChildLooked(String node, ServiceInterfaceEntity.Status status) implements Command {}

  private record ChildDeleted(String child, String failure) implements Command {}

  /** Timer: a child whose deletion was not confirmed is deleted again (idempotent there). */
  private record DeleteChildAgain(String child) implements Command {}

  private record NetworkLooked(DpuVirtualNetworkEntity.Status status, String failure) implements Command {}

  private enum Refresh implements Command { INSTANCE }

  /** Timer: ask the fleet again and apply every child again (see {@link #REMATCH_SETTING}). */
  private enum Rematch implements Command { INSTANCE }

  /**
   * Timer, {@link #CHOOSE_DELAY} after a {@link ChildrenChosen} was written: the pushes that came
   * meanwhile were only noted ({@code pendingMatch}); the last of them is now handled as a push.
   */
  private enum ChooseAgain implements Command { INSTANCE }

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command, ReadOnlyCommand { INSTANCE }

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
  // Node -> the ask its child was sent and has not answered: not asked again meanwhile, or a slow
  // child would get one more ask every refresh. Emptied by the rematch, in case an answer was lost,
  // and by a new template; an answer to an ask no longer here (a late failure after a newer
  // success, or about an older template) is then ignored.
  private final Map<String, Long> applying = new HashMap<>();
  private long asks;
  // Between writing a ChildrenChosen and its ChooseAgain: the fleet's latest push, not yet decided.
  private boolean choosing;
  private Set<String> pendingMatch;
  private final Duration rematchInterval;
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
    this.rematchInterval = context.getSystem().settings().config().getDuration(REMATCH_SETTING);
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
          if (state.children().containsKey(answer.node()) && applying.remove(answer.node(), answer.ask())) {
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
        .onCommand(Rematch.class, (state, rematch) -> {
          // An ask outlives ASK_TIMEOUT only if its answer was lost: ask again. The fleet answers
          // with NodesMatched, which writes nothing if the set is unchanged and applies every child.
          applying.clear();
          watch(state);
          return Effect().noReply();
        })
        .onCommand(ChooseAgain.class, this::onChooseAgain)
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
          applying.clear();
          childStatus.clear();
          start(s);
          applyChildren(s, true);
        })
        .thenReply(apply.replyTo(), s -> new ApplyReply.Accepted(key, s.generation(), true));
  }

  private void start(State state) {
    if (state.spec() == null) {
      return;
    }
    watch(state);
    lookUpNetwork(state);
    timers.startTimerWithFixedDelay(Refresh.INSTANCE, REFRESH_INTERVAL);
    // Thousands of these may start together (a restart, a rebalance): a random first delay
    // spreads their rematches, and with them the fleet's answers, over the whole interval.
    Duration first = Duration.ofMillis((long) (rematchInterval.toMillis() * (0.5 + ThreadLocalRandom.current().nextDouble())));
    timers.startTimerWithFixedDelay(Rematch.INSTANCE, first, rematchInterval);
  }

  private void watch(State state) {
    if (state.spec() != null) {
      directory.fleet().tell(new FleetEntity.WatchNodes(key, state.spec().nodeSelector()));
    }
  }

  private ReplyEffect<Event, State> onNodesMatched(State state, NodesMatched matched) {
    if (state.spec() == null) {
      // A push that crossed our deletion: make sure the fleet forgets us.
      directory.fleet().tell(new FleetEntity.UnwatchNodes(key));
      return Effect().noReply();
    }
    this.matched = true;
    if (choosing) {
      // A decision was just written: a burst of pushes becomes one more write, not one each.
      pendingMatch = matched.nodes();
      return Effect().noReply();
    }
    Map<String, String> wanted = wanted(matched.nodes());
    if (wanted.equals(state.children())) {
      // Nothing to decide, but a push we did not cause (a rematch, the fleet's restart) is the
      // moment to make sure every child still has its spec.
      return Effect().none().thenRun(s -> applyChildren(s, true)).thenNoReply();
    }
    return choose(state, wanted);
  }

  private ReplyEffect<Event, State> onChooseAgain(State state, ChooseAgain again) {
    choosing = false;
    Set<String> nodes = pendingMatch;
    pendingMatch = null;
    return nodes == null ? Effect().noReply() : onNodesMatched(state, new NodesMatched(nodes));
  }

  private Map<String, String> wanted(Set<String> nodes) {
    Map<String, String> wanted = new TreeMap<>();
    nodes.forEach(node -> wanted.put(node, childName(key.name(), node)));
    return wanted;
  }

  private ReplyEffect<Event, State> choose(State state, Map<String, String> wanted) {
    Map<String, String> gone = new TreeMap<>(state.children());
    gone.keySet().removeAll(wanted.keySet());
    choosing = true;
    return Effect().persist(new ChildrenChosen(wanted))
        .thenRun(s -> {
          gone.forEach((node, child) -> {
            applied.remove(node);
            applying.remove(node);
            childStatus.remove(node);
            deleteChild(child);
          });
          // Only the new children and those not accepted yet: applying all of them on every
          // decision made a fleet of N nodes, joining one by one, cost N * N asks.
          applyChildren(s, false);
          timers.startSingleTimer(ChooseAgain.INSTANCE, CHOOSE_DELAY);
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
          choosing = false;
          pendingMatch = null;
          network = null;
          applied.clear();
          applying.clear();
          childStatus.clear();
          conditions = Conditions.EMPTY;
        })
        .thenReply(replyTo, s -> new DeleteReply.Deleted(key));
  }

  /**
   * Applies the template, placed on its node, to each child (idempotent: unchanged is not
   * rewritten) that is not being asked already: {@code all}, or only those that have not accepted.
   */
  private void applyChildren(State state, boolean all) {
    state.children().keySet().forEach(node -> {
      ChildApplied answer = applied.get(node);
      if (all || answer == null || !(answer.reply() instanceof ApplyReply.Accepted)) {
        applyChild(state, node);
      }
    });
  }

  private void applyChild(State state, String node) {
    if (applying.containsKey(node)) {
      return;
    }
    long ask = ++asks;
    applying.put(node, ask);
    var spec = state.spec().interfaceTemplate().forNode(node);
    context.ask(ApplyReply.class, directory.serviceInterface(key.namespace(), state.children().get(node)), ASK_TIMEOUT,
        replyTo -> new ServiceInterfaceEntity.Apply(spec, replyTo),
        (reply, failure) -> new ChildApplied(node, ask, reply, failure == null ? null : failure.getMessage()));
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
        // Unreachable or refused (a refusal may be fixed by a new template): again, unless the
        // last ask is still unanswered.
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
  public Recovery recovery() {
    return EventsOnlyRecovery.RECOVERY; // it never snapshots
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
