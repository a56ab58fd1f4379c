package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.changes.ReadOnlyCommand;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.MacAddresses;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.ServiceInterfaceValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * A ServiceInterface: one interface on one DPU node joined to a DPUVirtualNetwork, applied by a
 * user or by its DPUServiceInterface. It persists its metadata and spec (the unknown-mac
 * annotation stays in them for the Northbound bridge). It joins its virtual network (which
 * records it), looks up its node and checks that the node is inside the network's nodeSelector: the reference ignores that
 * selector, we honour it, because a port on a node the network does not reach would never carry
 * traffic. A missing network or node is a False ServiceInterfaceReconciled naming the field, looked
 * up again every {@link #RECHECK_INTERVAL} until it heals. Only when all of that is fine and its
 * network is admitted does it publish its {@link TopologyIntent.Interface} (with a MAC derived
 * from its key, {@link MacAddresses#forKey}); a definite error found later withdraws it, so no
 * port of a bad interface stays in OVN. Whether the logical switch port is bound arrives with the
 * bridge's observation (or as {@link PortObserved}, from the node agent); until then Ready is
 * False (AwaitingPort). Conditions are derived, not persisted.
 *
 * <p>It tells its node which port it wants there ({@link DpuNodeEntity.PortWanted}: representor,
 * logical port, assigned MAC) at every look-up, so after each apply, after recovery and on each
 * refresh; and {@link DpuNodeEntity.PortUnwanted} to the node it leaves when deleted or moved.
 * Fire-and-forget: the node writes only what changes, and a lost tell heals at the next refresh.
 */
public final class ServiceInterfaceEntity extends EventSourcedBehaviorWithEnforcedReplies<
    ServiceInterfaceEntity.Command, ServiceInterfaceEntity.Event, ServiceInterfaceEntity.State> {

  static final Duration RECHECK_INTERVAL = Duration.ofSeconds(2);
  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
  static final String REFRESH_SETTING = "dpuvpc.entities.service-interface-refresh";

  /** The reason of a False ServiceInterfaceReconciled when the node is outside the network's nodeSelector. */
  public static final String NODE_NOT_IN_NETWORK = "NodeNotInNetwork";
  /** The reason of a False ServiceInterfaceReconciled while the network has not joined its VPC. */
  public static final String AWAITING_NETWORK = "AwaitingNetwork";
  /** The reason of a False Ready while the logical switch port has not been seen bound. */
  public static final String AWAITING_PORT = "AwaitingPort";

  public sealed interface Command extends CborSerializable {}

  /**
   * Create or change the ServiceInterface (metadata with annotations, and spec with the node).
   * {@code resourceVersion}: the version the change was based on, null for an unconditional apply;
   * any other version answers {@link ApplyReply.Conflict}.
   */
  public record Apply(ServiceInterfaceTemplate serviceInterface, String resourceVersion, ActorRef<ApplyReply> replyTo)
      implements Command {
    public Apply(ServiceInterfaceTemplate serviceInterface, ActorRef<ApplyReply> replyTo) {
      this(serviceInterface, null, replyTo);
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
   * From whoever watches OVN (the Northbound bridge or the node agent, later issues): whether the
   * logical switch port is bound on its chassis, and the MAC the host interface must carry.
   */
  public record PortObserved(boolean connected, String mac) implements Command {}

  /** From the virtual network this interface joined: it was deleted, so look again (and say so). */
  public record NetworkDeleted(ResourceKey network) implements Command {}

  private record NetworkLooked(DpuVirtualNetworkEntity.Status status, String failure) implements Command {}

  private record NodeLooked(DpuNodeEntity.Status status, String failure) implements Command {}

  private enum Recheck implements Command { INSTANCE }

  private record NorthboundObserved(Northbound.Observed observed) implements Command {}

  /** The logical switch port as last observed: bound, its MAC, its IPv4 address (null until known). */
  private record Port(boolean connected, String mac, String ip) {}

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command, ReadOnlyCommand { INSTANCE }

  /**
   * {@code serviceInterface} null when absent; {@code portConnected} as last observed; {@code mac}
   * the observed MAC, else the assigned one (null with unknown-mac until observed); {@code ip} the
   * port's IPv4 address once observed, else null.
   */
  public record Status(ResourceKey key, ServiceInterfaceTemplate serviceInterface, long generation,
                       Conditions conditions, boolean portConnected, String mac, String ip, ResourceMetadata metadata)
      implements CborSerializable {
    public Status(ResourceKey key, ServiceInterfaceTemplate serviceInterface, long generation, Conditions conditions,
                  boolean portConnected, String mac, String ip) {
      this(key, serviceInterface, generation, conditions, portConnected, mac, ip, ResourceMetadata.NONE);
    }

    public boolean exists() {
      return serviceInterface != null;
    }
  }

  public sealed interface Event extends CborSerializable {}

  /**
   * {@code uid} and {@code creationTimestamp} are set by the apply that creates the interface,
   * null on updates and in every event written before they existed (see
   * {@link ResourceBookkeeping#uid}).
   */
  public record Applied(ServiceInterfaceTemplate serviceInterface, long generation, String uid,
                        Instant creationTimestamp) implements Event {
    public Applied(ServiceInterfaceTemplate serviceInterface, long generation) {
      this(serviceInterface, generation, null, null);
    }
  }

  public record Deleted(long generation) implements Event {}

  /** {@code serviceInterface} null: absent (then no uid or creation time either). */
  public record State(ServiceInterfaceTemplate serviceInterface, long generation, String uid, Instant creationTimestamp)
      implements CborSerializable {
    public State(ServiceInterfaceTemplate serviceInterface, long generation) {
      this(serviceInterface, generation, null, null);
    }

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
  private final Duration refreshInterval;
  // The port last told to the node, and when (not persisted: after a restart it is told again).
  private DpuNodeEntity.PortWanted lastTold;
  private long lastToldNanos;
  /** {@link MacAddresses#forKey} of this interface, once asked: it depends on the key only. */
  private String keyMac;
  // Observed, not persisted: looked up again after recovery; null while asking.
  private NetworkLooked network;
  private NodeLooked node;
  private Port port;
  private Conditions conditions = Conditions.EMPTY;
  private final NorthboundLink northbound;
  private final ResourceBookkeeping bookkeeping;

  private ServiceInterfaceEntity(ResourceKey key, ActorContext<Command> context, TimerScheduler<Command> timers,
                                 EntityDirectory directory, Clock clock, Passivation<Command> passivation) {
    super(PersistenceId.of(ResourceKind.SERVICE_INTERFACE.kindName(), key.toString()));
    this.key = key;
    this.context = context;
    this.timers = timers;
    this.directory = directory;
    this.clock = clock;
    this.forgetting = new Forgetting<>(context, timers, passivation, Forget.INSTANCE);
    this.refreshInterval = context.getSystem().settings().config().getDuration(REFRESH_SETTING);
    this.northbound = new NorthboundLink(key, directory,
        context.messageAdapter(Northbound.Observed.class, NorthboundObserved::new));
    this.bookkeeping = new ResourceBookkeeping(key, context, this, directory, clock);
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
        .onCommand(Delete.class, (state, delete) -> onDelete(state, null, delete.replyTo()))
        .onCommand(DeleteIfUnchanged.class, (state, delete) -> onDelete(state, delete.resourceVersion(), delete.replyTo()))
        .onCommand(Forget.class, (state, tick) -> {
          forgetting.forgetIf(state.spec() == null);
          return Effect().noReply();
        })
        .onCommand(GetStatus.class, (state, get) -> Effect().reply(get.replyTo(), status(state)))
        .onCommand(PortObserved.class, (state, observed) -> {
          port = state.spec() == null ? null : new Port(observed.connected(), observed.mac(), port == null ? null : port.ip());
          return Effect().noReply();
        })
        .onCommand(NorthboundObserved.class, (state, observed) -> {
          Northbound.PortFacts facts = observed.observed().port();
          if (northbound.observe(observed.observed()) && facts != null) {
            port = new Port(facts.up(), facts.mac(), facts.ip());
          }
          return Effect().noReply();
        })
        .onCommand(NetworkLooked.class, (state, looked) -> {
          // An answer about a network this interface no longer names is stale.
          if (state.spec() != null && answers(looked.status() == null ? null : looked.status().key(), state.spec().virtualNetwork())) {
            network = looked;
            recheckUnlessReconciled(state);
            reconcileNorthbound(state);
          }
          return Effect().noReply();
        })
        .onCommand(NodeLooked.class, (state, looked) -> {
          if (state.spec() != null && answers(looked.status() == null ? null : looked.status().key(), state.spec().node())) {
            node = looked;
            recheckUnlessReconciled(state);
            reconcileNorthbound(state);
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
    List<FieldError> errors = ServiceInterfaceValidator.validateServiceInterface(key.name(), apply.serviceInterface());
    var withoutWrite = ApplyReply.withoutWrite(key, errors, apply.serviceInterface().equals(state.serviceInterface()), state.generation());
    if (withoutWrite.isPresent()) {
      return Effect().reply(apply.replyTo(), withoutWrite.get());
    }
    String previousNetwork = state.spec() == null ? null : state.spec().virtualNetwork();
    String previousNode = state.spec() == null ? null : state.spec().node();
    boolean creating = state.spec() == null;
    Applied applied = creating
        ? new Applied(apply.serviceInterface(), state.generation() + 1, bookkeeping.newUid(), bookkeeping.now())
        : new Applied(apply.serviceInterface(), state.generation() + 1);
    return Effect().persist(applied)
        .thenRun(s -> forgetting.present())
        .thenRun(s -> {
          if (creating) {
            bookkeeping.listed();
          }
          if (previousNode != null && !previousNode.equals(s.spec().node())) {
            directory.node(previousNode).tell(new DpuNodeEntity.PortUnwanted(key));
            lastTold = null;
          }
          if (previousNetwork != null && !previousNetwork.equals(s.spec().virtualNetwork())) {
            leave(previousNetwork);
            // Its port must not stay on the old switch while the new network is checked.
            northbound.withdraw(null);
            port = null;
          }
          network = null;
          node = null;
          lookUp(s);
        })
        .thenReply(apply.replyTo(), s -> new ApplyReply.Accepted(key, s.generation(), true));
  }

  private ReplyEffect<Event, State> onDelete(State state, String expected, ActorRef<DeleteReply> replyTo) {
    if (state.serviceInterface() == null) {
      return Effect().reply(replyTo, new DeleteReply.NotFound(key));
    }
    var conflict = bookkeeping.deleteConflict(expected);
    if (conflict.isPresent()) {
      return Effect().reply(replyTo, conflict.get());
    }
    String joined = state.spec().virtualNetwork();
    String placedOn = state.spec().node();
    String isolationClass = network == null || network.status() == null ? null : network.status().isolationClass();
    return Effect().persist(new Deleted(state.generation()))
        .thenRun(s -> {
          leave(joined);
          directory.node(placedOn).tell(new DpuNodeEntity.PortUnwanted(key));
          lastTold = null;
          bookkeeping.unlisted();
          timers.cancelAll();
          forgetting.absent();
          network = null;
          node = null;
          port = null;
          conditions = Conditions.EMPTY;
          northbound.withdraw(isolationClass);
        })
        .thenReply(replyTo, s -> new DeleteReply.Deleted(key));
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
    wantPort(state);
    // Joining is idempotent and answers with the network's status: one message for both.
    context.ask(DpuVirtualNetworkEntity.Status.class, directory.network(key.namespace(), spec.virtualNetwork()), LOOKUP_TIMEOUT,
        replyTo -> new DpuVirtualNetworkEntity.AttachInterface(key.name(), replyTo),
        (status, failure) -> new NetworkLooked(status, failure == null ? null : failure.getMessage()));
    context.ask(DpuNodeEntity.Status.class, directory.node(spec.node()), LOOKUP_TIMEOUT,
        DpuNodeEntity.GetStatus::new,
        (status, failure) -> new NodeLooked(status, failure == null ? null : failure.getMessage()));
  }

  /**
   * Tells the node the port wanted when it changed, or when the last tell is a refresh interval
   * old (a lost tell heals then): look-ups repeat every 2 s while anything is missing, and a tell
   * each time from 10,000 interfaces would be load for nothing.
   */
  private void wantPort(State state) {
    String representor = Representors.of(state.spec());
    if (representor != null && state.spec().node() != null) {
      DpuNodeEntity.PortWanted wanted = new DpuNodeEntity.PortWanted(key, representor, Representors.logicalPort(key),
          assignedMac(state));
      long now = System.nanoTime();
      if (!wanted.equals(lastTold) || now - lastToldNanos >= refreshInterval.toNanos()) {
        directory.node(state.spec().node()).tell(wanted);
        lastTold = wanted;
        lastToldNanos = now;
      }
    }
  }

  private void leave(String virtualNetwork) {
    directory.network(key.namespace(), virtualNetwork).tell(new DpuVirtualNetworkEntity.DetachInterface(key.name()));
  }

  /**
   * Asks again soon when something is missing (the network, the node or its labels may change,
   * the network may not have joined its VPC yet), and now and then when all is fine (see
   * {@link #REFRESH_SETTING}).
   */
  private void recheckUnlessReconciled(State state) {
    if (network == null || node == null) {
      return;
    }
    if (!reconcileErrors(state.spec()).isEmpty() || network.status().isolationClass() == null) {
      timers.startSingleTimer(Recheck.INSTANCE, RECHECK_INTERVAL);
    } else {
      timers.startSingleTimer(Recheck.INSTANCE, refreshInterval);
    }
  }

  /**
   * Publishes the interface once both look-ups answered, nothing is wrong and the network is
   * admitted (it names the OVN to publish to); withdraws it when a definite error appears. A
   * look-up that merely timed out withdraws nothing: a slow neighbour is no reason to cut a port.
   */
  private void reconcileNorthbound(State state) {
    if (state.spec() == null || network == null || node == null) {
      return;
    }
    List<FieldError> errors = reconcileErrors(state.spec());
    if (errors.isEmpty()) {
      String isolationClass = network.status().isolationClass();
      if (isolationClass != null) {
        northbound.publish(isolationClass, intent(state));
      }
    } else if (errors.stream().anyMatch(e -> !Lookups.LOOKUP_FAILED.equals(e.reason())) && northbound.published()) {
      northbound.withdraw(null);
      port = null;
    }
  }

  private TopologyIntent.Interface intent(State state) {
    DpuVirtualNetworkEntity.Status net = network.status();
    boolean unknownMac = state.serviceInterface().unknownMac();
    return new TopologyIntent.Interface(key, state.generation(), net.spec().vpcName(), state.spec().virtualNetwork(),
        state.spec().node(), assignedMac(state), null, unknownMac, net.spec().ipv4().dhcp());
  }

  /** The MAC the product assigns: none with unknown-mac (the port then accepts any). */
  private String assignedMac(State state) {
    if (state.serviceInterface().unknownMac()) {
      return null;
    }
    // Derived from the key alone, and asked at every look-up and plan: a SHA-256 each time was 2 %
    // of the controller's CPU in a 10,000-interface run.
    if (keyMac == null) {
      keyMac = MacAddresses.forKey(key);
    }
    return keyMac;
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
      return new Status(key, null, state.generation(), Conditions.EMPTY, false, null, null);
    }
    long generation = state.generation();
    List<FieldError> errors = reconcileErrors(state.spec());
    Conditions next = conditions;
    if (errors.isEmpty() && (network == null || node == null)) {
      next = next.setFalse(ConditionTypes.SERVICE_INTERFACE_RECONCILED, "Pending", "looking up DPUVirtualNetwork \""
          + state.spec().virtualNetwork() + "\" and DPU node " + state.spec().node(), generation, clock);
    } else if (!errors.isEmpty()) {
      next = next.setFromErrors(ConditionTypes.SERVICE_INTERFACE_RECONCILED, errors, generation, clock);
    } else if (network.status().isolationClass() == null) {
      next = next.setFalse(ConditionTypes.SERVICE_INTERFACE_RECONCILED, AWAITING_NETWORK, "DPUVirtualNetwork \""
          + state.spec().virtualNetwork() + "\" has not been admitted by its DPUVPC yet", generation, clock);
    } else {
      next = northbound.reconciled(next, ConditionTypes.SERVICE_INTERFACE_RECONCILED,
          "publishing the logical switch port of this interface to OVN", generation, clock);
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
    String mac = port != null && port.mac() != null ? port.mac() : assignedMac(state);
    return new Status(key, state.serviceInterface(), generation, conditions, connected, mac,
        port == null ? null : port.ip(), bookkeeping.metadata(true, state.uid(), state.creationTimestamp()));
  }

  @Override
  public Recovery recovery() {
    return EventsOnlyRecovery.RECOVERY; // it never snapshots
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> state.spec() == null
            ? new State(e.serviceInterface(), e.generation(), bookkeeping.uid(e.uid(), e.generation()),
                e.creationTimestamp())
            : new State(e.serviceInterface(), e.generation(), state.uid(), state.creationTimestamp()))
        .onEvent(Deleted.class, (state, e) -> new State(null, e.generation()))
        .build();
  }
}
