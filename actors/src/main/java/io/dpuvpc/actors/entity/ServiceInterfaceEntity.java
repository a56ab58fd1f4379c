package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.ServiceInterfaceValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * A ServiceInterface: one interface on one DPU node joined to a DPUVirtualNetwork, applied by a
 * user or by its DPUServiceInterface. It persists its metadata and spec (the unknown-mac
 * annotation stays in them for the Northbound bridge). It joins its virtual network (which
 * records it), looks up its node and checks that the node is inside the network's nodeSelector: the reference ignores that
 * selector, we honour it, because a port on a node the network does not reach would never carry
 * traffic. A missing network or node is a False ServiceInterfaceReconciled naming the field, looked
 * up again every {@link #RECHECK_INTERVAL} until it heals. Whether the logical switch port is bound
 * is observed elsewhere and arrives as {@link PortObserved}; until then Ready is False
 * (AwaitingPort). Conditions are derived, not persisted.
 */
public final class ServiceInterfaceEntity extends EventSourcedBehaviorWithEnforcedReplies<
    ServiceInterfaceEntity.Command, ServiceInterfaceEntity.Event, ServiceInterfaceEntity.State> {

  static final Duration RECHECK_INTERVAL = Duration.ofSeconds(2);
  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  /** The reason of a False ServiceInterfaceReconciled when the node is outside the network's nodeSelector. */
  public static final String NODE_NOT_IN_NETWORK = "NodeNotInNetwork";
  /** The reason of a False Ready while the logical switch port has not been seen bound. */
  public static final String AWAITING_PORT = "AwaitingPort";

  public sealed interface Command extends CborSerializable {}

  /** Create or change the ServiceInterface (metadata with annotations, and spec with the node). */
  public record Apply(ServiceInterfaceTemplate serviceInterface, ActorRef<ApplyReply> replyTo) implements Command {}

  public record Delete(ActorRef<DeleteReply> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * From whoever watches OVN (the Northbound bridge or the node agent, later issues): whether the
   * logical switch port is bound on its chassis, and the MAC the host interface must carry.
   */
  public record PortObserved(boolean connected, String mac) implements Command {}

  /** From the virtual network this interface joined: it was deleted, so look again (and say so). */
  public record NetworkDeleted(ResourceKey network) implements Command {}

  private record NetworkLooked(DpuVirtualNetworkEntity.Status status, String failure) implements Command {}

  private record NodeLooked(DpuNodeEntity.Status status, String failure) implements Command {}

  private enum Recheck implements Command { INSTANCE }

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command { INSTANCE }

  /** {@code serviceInterface} null when absent; the port as last observed ({@code mac} null until then). */
  public record Status(ResourceKey key, ServiceInterfaceTemplate serviceInterface, long generation,
                       Conditions conditions, boolean portConnected, String mac) implements CborSerializable {
    public boolean exists() {
      return serviceInterface != null;
    }
  }

  public sealed interface Event extends CborSerializable {}

  public record Applied(ServiceInterfaceTemplate serviceInterface, long generation) implements Event {}

  public record Deleted(long generation) implements Event {}

  public record State(ServiceInterfaceTemplate serviceInterface, long generation) implements CborSerializable {
    ServiceInterfaceSpec spec() {
      return serviceInterface == null ? null : serviceInterface.spec();
    }
  }

  private final ResourceKey key;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final EntityDirectory directory;
  private final Clock clock;
  private final Forgetting<Command> forgetting;
  // Observed, not persisted: looked up again after recovery; null while asking.
  private NetworkLooked network;
  private NodeLooked node;
  private PortObserved port;
  private Conditions conditions = Conditions.EMPTY;

  private ServiceInterfaceEntity(ResourceKey key, ActorContext<Command> context, TimerScheduler<Command> timers,
                                 EntityDirectory directory, Clock clock, Passivation<Command> passivation) {
    super(PersistenceId.of(ResourceKind.SERVICE_INTERFACE.kindName(), key.toString()));
    this.key = key;
    this.context = context;
    this.timers = timers;
    this.directory = directory;
    this.clock = clock;
    this.forgetting = new Forgetting<>(context, timers, passivation, Forget.INSTANCE);
  }

  public static Behavior<Command> create(String namespace, String name, EntityDirectory directory, Clock clock) {
    return create(namespace, name, directory, clock, Passivation.none());
  }

  public static Behavior<Command> create(String namespace, String name, EntityDirectory directory, Clock clock,
                                         Passivation<Command> passivation) {
    ResourceKey key = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, namespace, name);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ServiceInterfaceEntity(key, ctx, timers, directory, clock, passivation)));
  }

  @Override
  public State emptyState() {
    return new State(null, 0);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Apply.class, this::onApply)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Forget.class, (state, tick) -> {
          forgetting.forgetIf(state.spec() == null);
          return Effect().noReply();
        })
        .onCommand(GetStatus.class, (state, get) -> Effect().reply(get.replyTo(), status(state)))
        .onCommand(PortObserved.class, (state, observed) -> {
          port = state.spec() == null ? null : observed;
          return Effect().noReply();
        })
        .onCommand(NetworkLooked.class, (state, looked) -> {
          // An answer about a network this interface no longer names is stale.
          if (state.spec() != null && answers(looked.status() == null ? null : looked.status().key(), state.spec().virtualNetwork())) {
            network = looked;
            recheckUnlessReconciled(state);
          }
          return Effect().noReply();
        })
        .onCommand(NodeLooked.class, (state, looked) -> {
          if (state.spec() != null && answers(looked.status() == null ? null : looked.status().key(), state.spec().node())) {
            node = looked;
            recheckUnlessReconciled(state);
          }
          return Effect().noReply();
        })
        .onCommand(NetworkDeleted.class, (state, deleted) -> {
          if (state.spec() != null && deleted.network().name().equals(state.spec().virtualNetwork())) {
            lookUp(state);
          }
          return Effect().noReply();
        })
        .onCommand(Recheck.class, (state, recheck) -> {
          lookUp(state);
          return Effect().noReply();
        })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // After a restart the interface verifies its network and node again without being asked.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      lookUp(state);
      if (state.spec() == null) {
        forgetting.absent();
      }
    }).build();
  }

  private ReplyEffect<Event, State> onApply(State state, Apply apply) {
    List<FieldError> errors = ServiceInterfaceValidator.validateServiceInterface(key.name(), apply.serviceInterface());
    var withoutWrite = ApplyReply.withoutWrite(key, errors, apply.serviceInterface().equals(state.serviceInterface()), state.generation());
    if (withoutWrite.isPresent()) {
      return Effect().reply(apply.replyTo(), withoutWrite.get());
    }
    String previousNetwork = state.spec() == null ? null : state.spec().virtualNetwork();
    return Effect().persist(new Applied(apply.serviceInterface(), state.generation() + 1))
        .thenRun(s -> forgetting.present())
        .thenRun(s -> {
          if (previousNetwork != null && !previousNetwork.equals(s.spec().virtualNetwork())) {
            leave(previousNetwork);
          }
          network = null;
          node = null;
          lookUp(s);
        })
        .thenReply(apply.replyTo(), s -> new ApplyReply.Accepted(key, s.generation(), true));
  }

  private ReplyEffect<Event, State> onDelete(State state, Delete delete) {
    if (state.serviceInterface() == null) {
      return Effect().reply(delete.replyTo(), new DeleteReply.NotFound(key));
    }
    String joined = state.spec().virtualNetwork();
    return Effect().persist(new Deleted(state.generation()))
        .thenRun(s -> {
          leave(joined);
          timers.cancelAll();
          forgetting.absent();
          network = null;
          node = null;
          port = null;
          conditions = Conditions.EMPTY;
        })
        .thenReply(delete.replyTo(), s -> new DeleteReply.Deleted(key));
  }

  /** Whether an answer about {@code about} (null: the lookup failed) concerns the name now referred to. */
  private static boolean answers(ResourceKey about, String name) {
    return about == null || about.name().equals(name);
  }

  private void lookUp(State state) {
    ServiceInterfaceSpec spec = state.spec();
    if (spec == null) {
      return;
    }
    // Joining is idempotent and answers with the network's status: one message for both.
    context.ask(DpuVirtualNetworkEntity.Status.class, directory.network(key.namespace(), spec.virtualNetwork()), LOOKUP_TIMEOUT,
        replyTo -> new DpuVirtualNetworkEntity.AttachInterface(key.name(), replyTo),
        (status, failure) -> new NetworkLooked(status, failure == null ? null : failure.getMessage()));
    context.ask(DpuNodeEntity.Status.class, directory.node(spec.node()), LOOKUP_TIMEOUT,
        DpuNodeEntity.GetStatus::new,
        (status, failure) -> new NodeLooked(status, failure == null ? null : failure.getMessage()));
  }

  private void leave(String virtualNetwork) {
    directory.network(key.namespace(), virtualNetwork).tell(new DpuVirtualNetworkEntity.DetachInterface(key.name()));
  }

  /** Asks again in a while when something is missing: the network, the node or its labels may change. */
  private void recheckUnlessReconciled(State state) {
    if (network != null && node != null && !reconcileErrors(state.spec()).isEmpty()) {
      timers.startSingleTimer(Recheck.INSTANCE, RECHECK_INTERVAL);
    }
  }

  /** What is wrong with the references, from the latest lookups (those not answered yet count as fine). */
  private List<FieldError> reconcileErrors(ServiceInterfaceSpec spec) {
    List<FieldError> errors = new ArrayList<>();
    if (network != null) {
      errors.addAll(Lookups.errors("spec.virtualNetwork", ResourceKind.DPU_VIRTUAL_NETWORK, spec.virtualNetwork(),
          network.failure(), network.status() != null && network.status().exists()));
    }
    if (node != null) {
      errors.addAll(Lookups.errors("spec.node", ResourceKind.DPU_NODE, spec.node(), node.failure(),
          node.status() != null && node.status().exists()));
    }
    if (errors.isEmpty() && network != null && node != null) {
      LabelSelector selector = network.status().spec().nodeSelector();
      if (!selector.matches(node.status().node().labels())) {
        errors.add(new FieldError("spec.node", NODE_NOT_IN_NETWORK, "spec.node: DPU node " + spec.node()
            + " is not selected by the nodeSelector \"" + selector + "\" of DPUVirtualNetwork " + spec.virtualNetwork()
            + ": place the interface on a node the network reaches, or widen the network's nodeSelector"));
      }
    }
    return errors;
  }

  private Status status(State state) {
    if (state.spec() == null) {
      return new Status(key, null, state.generation(), Conditions.EMPTY, false, null);
    }
    long generation = state.generation();
    List<FieldError> errors = reconcileErrors(state.spec());
    Conditions next = conditions;
    if (errors.isEmpty() && (network == null || node == null)) {
      next = next.setFalse(ConditionTypes.SERVICE_INTERFACE_RECONCILED, "Pending", "looking up DPUVirtualNetwork \""
          + state.spec().virtualNetwork() + "\" and DPU node " + state.spec().node(), generation, clock);
    } else {
      next = next.setFromErrors(ConditionTypes.SERVICE_INTERFACE_RECONCILED, errors, generation, clock);
    }
    boolean connected = port != null && port.connected();
    if (next.isTrue(ConditionTypes.SERVICE_INTERFACE_RECONCILED) && !connected) {
      // Ready summarises ServiceInterfaceReconciled, but an interface is only usable once OVN has
      // bound its logical switch port, which the Northbound bridge or the agent observes.
      next = next.setFalse(ConditionTypes.READY, AWAITING_PORT, "the logical switch port of this interface has not been"
          + " seen connected on DPU node " + state.spec().node() + " yet", generation, clock);
    } else {
      next = next.withReady(ResourceKind.SERVICE_INTERFACE, generation, clock);
    }
    conditions = next;
    return new Status(key, state.serviceInterface(), generation, conditions, connected, port == null ? null : port.mac());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> new State(e.serviceInterface(), e.generation()))
        .onEvent(Deleted.class, (state, e) -> new State(null, e.generation()))
        .build();
  }
}
