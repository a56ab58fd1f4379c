package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.changes.ReadOnlyCommand;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.actors.validation.DpuVirtualNetworkValidator;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.References;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
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
 * A DPUVirtualNetwork. It persists its spec (immutable once created) and joins its DPUVPC, which
 * admits it only if its subnet overlaps no other network of the VPC. Until the VPC exists the
 * network says so (PrerequisitesReady False) and asks again by itself; a refused subnet is a
 * False DPUVirtualNetworkReconciled naming the other network. It also records which
 * ServiceInterfaces joined it ({@code status.serviceInterfaces}), as the VPC records its networks,
 * and tells them when it is deleted. Once admitted it publishes its {@link TopologyIntent.Network}
 * to its VPC's IsolationClass; its reconciliation is what the Northbound bridge observes of it.
 * Conditions are derived, not persisted.
 */
public final class DpuVirtualNetworkEntity extends EventSourcedBehaviorWithEnforcedReplies<
    DpuVirtualNetworkEntity.Command, DpuVirtualNetworkEntity.Event, DpuVirtualNetworkEntity.State> {

  static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);
  static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(5);

  public sealed interface Command extends CborSerializable {}

  /**
   * Create or change the network. {@code resourceVersion}: the version the change was based on,
   * null for an unconditional apply; any other version answers {@link ApplyReply.Conflict}.
   */
  public record Apply(DpuVirtualNetworkSpec spec, String resourceVersion, ActorRef<ApplyReply> replyTo)
      implements Command {
    public Apply(DpuVirtualNetworkSpec spec, ActorRef<ApplyReply> replyTo) {
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

  /** From the VPC: it was deleted, so this network has no VPC any more. */
  public record VpcDeleted(ResourceKey vpc) implements Command {}

  /**
   * A ServiceInterface of this namespace names this network: recorded while the network exists
   * (idempotent), answered with the network's status, which the interface checks its node against.
   */
  public record AttachInterface(String serviceInterface, ActorRef<Status> replyTo) implements Command {}

  /** A ServiceInterface left (deleted, or now naming another network). */
  public record DetachInterface(String serviceInterface) implements Command {}

  private record AttachAnswered(DpuVpcEntity.AttachReply reply, String failure) implements Command {}

  private enum Retry implements Command { INSTANCE }

  private record NorthboundObserved(Northbound.Observed observed) implements Command {}

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command, ReadOnlyCommand { INSTANCE }

  /**
   * {@code serviceInterfaces}: the names of the ServiceInterfaces that joined, sorted;
   * {@code isolationClass}: its VPC's, whose OVN its interfaces publish to (null until admitted).
   */
  public record Status(ResourceKey key, DpuVirtualNetworkSpec spec, long generation, Conditions conditions,
                       List<String> serviceInterfaces, String isolationClass, ResourceMetadata metadata)
      implements CborSerializable {
    public Status {
      serviceInterfaces = List.copyOf(serviceInterfaces);
    }

    public Status(ResourceKey key, DpuVirtualNetworkSpec spec, long generation, Conditions conditions,
                  List<String> serviceInterfaces, String isolationClass) {
      this(key, spec, generation, conditions, serviceInterfaces, isolationClass, ResourceMetadata.NONE);
    }

    public boolean exists() {
      return spec != null;
    }
  }

  public sealed interface Event extends CborSerializable {}

  /**
   * {@code uid} and {@code creationTimestamp} are set by the apply that creates the network, null
   * on updates and in every event written before they existed (see {@link ResourceBookkeeping#uid}).
   */
  public record Applied(DpuVirtualNetworkSpec spec, long generation, String uid, Instant creationTimestamp)
      implements Event {
    public Applied(DpuVirtualNetworkSpec spec, long generation) {
      this(spec, generation, null, null);
    }
  }

  public record Deleted(long generation) implements Event {}

  public record InterfaceAttached(String serviceInterface) implements Event {}

  public record InterfaceDetached(String serviceInterface) implements Event {}

  /**
   * {@code spec} null: absent (then no uid or creation time either). {@code serviceInterfaces}:
   * the names that joined, sorted.
   */
  public record State(DpuVirtualNetworkSpec spec, long generation, SortedSet<String> serviceInterfaces, String uid,
                      Instant creationTimestamp) implements CborSerializable {
    public State {
      serviceInterfaces = Collections.unmodifiableSortedSet(new TreeSet<>(serviceInterfaces));
    }

    public State(DpuVirtualNetworkSpec spec, long generation, SortedSet<String> serviceInterfaces) {
      this(spec, generation, serviceInterfaces, null, null);
    }

    public State(DpuVirtualNetworkSpec spec, long generation) {
      this(spec, generation, new TreeSet<>());
    }

    State withInterface(String name, boolean joined) {
      SortedSet<String> next = new TreeSet<>(serviceInterfaces);
      if (joined) {
        next.add(name);
      } else {
        next.remove(name);
      }
      return new State(spec, generation, next, uid, creationTimestamp);
    }
  }

  private final ResourceKey key;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final EntityDirectory directory;
  private final Clock clock;
  private final Forgetting<Command> forgetting;
  // Observed, not persisted: the VPC's last answer, null while asking.
  private DpuVpcEntity.AttachReply attachment;
  private String attachFailure;
  private Conditions conditions = Conditions.EMPTY;
  private final NorthboundLink northbound;
  private final ResourceBookkeeping bookkeeping;

  private DpuVirtualNetworkEntity(ResourceKey key, ActorContext<Command> context, TimerScheduler<Command> timers,
                                  EntityDirectory directory, Clock clock, Passivation<Command> passivation) {
    super(PersistenceId.of(ResourceKind.DPU_VIRTUAL_NETWORK.kindName(), key.toString()));
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
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, namespace, name);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new DpuVirtualNetworkEntity(key, ctx, timers, directory, clock, passivation)));
  }

  @Override
  public State emptyState() {
    return new State(null, 0);
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
        .onCommand(AttachAnswered.class, this::onAttachAnswered)
        .onCommand(AttachInterface.class, this::onAttachInterface)
        .onCommand(DetachInterface.class, (state, detach) -> state.serviceInterfaces().contains(detach.serviceInterface())
            ? Effect().persist(new InterfaceDetached(detach.serviceInterface())).thenNoReply()
            : Effect().noReply())
        .onCommand(NorthboundObserved.class, (state, observed) -> {
          northbound.observe(observed.observed());
          return Effect().noReply();
        })
        .onCommand(VpcDeleted.class, (state, gone) -> {
          attachment = new DpuVpcEntity.NoSuchVpc(gone.vpc());
          // Its router port hangs off the VPC's router, which is gone: nothing of it may stay.
          northbound.withdraw(null);
          timers.startSingleTimer(Retry.INSTANCE, RETRY_INTERVAL);
          return Effect().noReply();
        })
        .onCommand(Retry.class, (state, retry) -> {
          attach(state);
          return Effect().noReply();
        })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // After a restart the network joins its VPC again without being asked (idempotent there).
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      attach(state);
      bookkeeping.recovered(state.spec() != null, state.generation());
      if (state.spec() == null) {
        forgetting.absent();
      }
    }).onSignal(PostStop.instance(), state -> {
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
        ? DpuVirtualNetworkValidator.validate(key.name(), apply.spec())
        : DpuVirtualNetworkValidator.validateUpdate(key.name(), state.spec(), apply.spec());
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
        })
        .thenRun(this::attach)
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
    String vpcName = state.spec().vpcName();
    Set<String> interfaces = state.serviceInterfaces();
    String isolationClass = isolationClass();
    return Effect().persist(new Deleted(state.generation()))
        .thenRun(s -> {
          directory.vpc(key.namespace(), vpcName).tell(new DpuVpcEntity.DetachNetwork(key.name()));
          bookkeeping.unlisted();
          // Its interfaces would only notice at their next look-up; tell them now.
          interfaces.forEach(si -> directory.serviceInterface(key.namespace(), si)
              .tell(new ServiceInterfaceEntity.NetworkDeleted(key)));
          timers.cancelAll();
          forgetting.absent();
          attachment = null;
          conditions = Conditions.EMPTY;
          northbound.withdraw(isolationClass);
        })
        .thenReply(replyTo, s -> new DeleteReply.Deleted(key));
  }

  private ReplyEffect<Event, State> onAttachInterface(State state, AttachInterface attach) {
    if (state.spec() == null || state.serviceInterfaces().contains(attach.serviceInterface())) {
      return Effect().reply(attach.replyTo(), status(state));
    }
    return Effect().persist(new InterfaceAttached(attach.serviceInterface()))
        .thenReply(attach.replyTo(), this::status);
  }

  private void attach(State state) {
    if (state.spec() == null) {
      return;
    }
    DpuVirtualNetworkSpec spec = state.spec();
    var details = new DpuVpcEntity.AttachedNetwork(spec.ipv4().subnet(), spec.externallyRouted(), spec.masquerade());
    context.ask(DpuVpcEntity.AttachReply.class, directory.vpc(key.namespace(), spec.vpcName()), ATTACH_TIMEOUT,
        replyTo -> new DpuVpcEntity.AttachNetwork(key.name(), details, replyTo),
        (reply, failure) -> new AttachAnswered(reply, failure == null ? null : failure.getMessage()));
  }

  private ReplyEffect<Event, State> onAttachAnswered(State state, AttachAnswered answer) {
    if (state.spec() == null) {
      return Effect().noReply();
    }
    attachment = answer.reply();
    attachFailure = answer.failure();
    if (attachment instanceof DpuVpcEntity.Attached attached) {
      northbound.publish(attached.isolationClass(), intent(state));
    } else {
      if (attachment != null) {
        northbound.withdraw(null); // refused, or no VPC: not part of any topology now
      }
      // A missing VPC may appear, a neighbour may leave, the VPC may be reachable again: retry.
      timers.startSingleTimer(Retry.INSTANCE, RETRY_INTERVAL);
    }
    return Effect().noReply();
  }

  private TopologyIntent.Network intent(State state) {
    DpuVirtualNetworkSpec.Ipv4Ipam ipv4 = state.spec().ipv4();
    List<String> excludeIps = ipv4.excludeIPs().stream().map(DpuVirtualNetworkEntity::ovnExclusion).toList();
    return new TopologyIntent.Network(key, state.generation(), state.spec().vpcName(), ipv4.subnet(), excludeIps,
        ipv4.dhcp(), Map.of());
  }

  /** An exclusion in OVN's {@code exclude_ips} syntax: one address, or {@code start..end}. */
  static String ovnExclusion(DpuVirtualNetworkSpec.ExcludeIp exclude) {
    return exclude.ip() != null ? exclude.ip() : exclude.range().start() + ".." + exclude.range().end();
  }

  /** The VPC's IsolationClass while admitted, else null. */
  private String isolationClass() {
    return attachment instanceof DpuVpcEntity.Attached attached ? attached.isolationClass() : null;
  }

  private Status status(State state) {
    if (state.spec() == null) {
      return new Status(key, null, state.generation(), Conditions.EMPTY, List.of(), null);
    }
    long generation = state.generation();
    String vpcName = state.spec().vpcName();
    Conditions next = conditions;
    if (attachment instanceof DpuVpcEntity.NoSuchVpc) {
      next = next.setFromErrors(ConditionTypes.PREREQUISITES_READY,
          References.require("spec.vpcName", ResourceKind.DPU_VPC, vpcName, Set.of()), generation, clock);
    } else if (attachment == null) {
      next = next.setFalse(ConditionTypes.PREREQUISITES_READY, "Pending", attachFailure == null
          ? "joining DPUVPC \"" + vpcName + "\""
          : "could not reach DPUVPC \"" + vpcName + "\" (" + attachFailure + "); retrying", generation, clock);
    } else {
      next = northbound.prerequisites(next, ConditionTypes.PREREQUISITES_READY, generation, clock);
    }
    if (attachment instanceof DpuVpcEntity.AttachRefused refused) {
      next = next.setFromErrors(ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED, refused.errors(), generation, clock);
    } else if (attachment instanceof DpuVpcEntity.Attached) {
      next = northbound.reconciled(next, ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED,
          "publishing this network's switch to OVN", generation, clock);
    } else {
      next = next.setFalse(ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED, "AwaitingVPC",
          "waiting for DPUVPC \"" + vpcName + "\" to admit this network", generation, clock);
    }
    conditions = next.withReady(ResourceKind.DPU_VIRTUAL_NETWORK, generation, clock);
    return new Status(key, state.spec(), generation, conditions, List.copyOf(state.serviceInterfaces()),
        isolationClass(), bookkeeping.metadata(true, state.uid(), state.creationTimestamp()));
  }

  @Override
  public Recovery recovery() {
    return EventsOnlyRecovery.RECOVERY; // it never snapshots
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> state.spec() == null
            ? new State(e.spec(), e.generation(), state.serviceInterfaces(), bookkeeping.uid(e.uid(), e.generation()),
                e.creationTimestamp())
            : new State(e.spec(), e.generation(), state.serviceInterfaces(), state.uid(), state.creationTimestamp()))
        .onEvent(Deleted.class, (state, e) -> new State(null, e.generation()))
        .onEvent(InterfaceAttached.class, (state, e) -> state.withInterface(e.serviceInterface(), true))
        .onEvent(InterfaceDetached.class, (state, e) -> state.withInterface(e.serviceInterface(), false))
        .build();
  }
}
