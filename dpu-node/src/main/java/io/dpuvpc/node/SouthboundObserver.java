package io.dpuvpc.node;

import io.dpuvpc.ovn.ovsdb.CacheEvent;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.OvsdbEndpoint;
import io.dpuvpc.ovn.ovsdb.typed.sb.Southbound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The node agent's eyes on the Southbound: one long-lived {@link OvsdbClient} to
 * {@link NodeAgentSettings#sbRemotes}, one monitor of {@link SouthboundView#MONITOR}. It tells its
 * agent the node's {@link SouthboundView} whenever that changes, and removes the chassis
 * {@link StaleChassis} finds, each in one transaction, logging each at INFO.
 *
 * <p>A child of the agent rather than part of it: the Southbound is remote and may be down for
 * long, and nothing here may hold up the local OVS. The agent only ever receives views; an
 * unreachable Southbound means no new view, never a change to the node's ports. Without
 * {@link NodeAgentSettings#sbTls} an {@code ssl:} remote cannot be observed: the observer then
 * says so once and stays idle.
 */
final class SouthboundObserver extends AbstractBehavior<SouthboundObserver.Command> {

    sealed interface Command {}

    private record Connected(OvsdbEndpoint endpoint) implements Command {}

    private record Disconnected(OvsdbEndpoint endpoint, String cause) implements Command {}

    private record MonitorStarted(Monitor monitor, Throwable failure) implements Command {}

    private record CacheChanged(List<CacheEvent> events) implements Command {}

    private record Removed(List<StaleChassis.Stale> stale, Throwable failure) implements Command {}

    /** The nodes the controllers have not heard from for their grace: their chassis go too. */
    record SilentNodes(Set<String> nodes) implements Command {
        SilentNodes {
            nodes = Set.copyOf(nodes);
        }
    }

    private enum Retry implements Command { MONITOR, REMOVAL }

    /** After a failed monitor, when to try again; also the first wait after a failed removal. */
    static final Duration RETRY = Duration.ofSeconds(2);
    /**
     * The longest wait between removals that fail: a Southbound that refuses them (RBAC lets a
     * chassis' connection write only its own rows) would otherwise be asked, and logged, at every
     * change it shows.
     */
    static final Duration MAX_REMOVAL_RETRY = Duration.ofMinutes(1);

    private final NodeAgentSettings settings;
    private final ActorRef<SouthboundView> agent;
    private final TimerScheduler<Command> timers;
    private final OvsdbClient client;
    private Monitor monitor;
    private boolean monitorRequested;
    private boolean connected;
    private boolean removing;
    private boolean holdingOff;
    private Duration removalRetry = RETRY;
    private SouthboundView told;
    // Chassis rows deleted already: a lagging cache must not make us delete (and log) them again.
    private final Set<UUID> removed = new HashSet<>();
    private Set<String> silentNodes = Set.of();

    private SouthboundObserver(ActorContext<Command> context, TimerScheduler<Command> timers, NodeAgentSettings settings,
                               ActorRef<SouthboundView> agent, OvsdbClient client) {
        super(context);
        this.settings = settings;
        this.agent = agent;
        this.timers = timers;
        this.client = client;
        ClientEvents.tellConnections(client, context.getSelf(), Connected::new, Disconnected::new);
    }

    /** {@code clients} starts the observer's client, as the agent starts its own (on a shared event loop group, say). */
    static Behavior<Command> create(NodeAgentSettings settings, java.util.function.Function<OvsdbClientOptions, OvsdbClient> clients,
                                    ActorRef<SouthboundView> agent) {
        return Behaviors.setup(ctx -> {
            OvsdbClientOptions options;
            try {
                options = clientOptions(settings);
            } catch (IllegalArgumentException e) {
                ctx.getLog().warn("node {}: not observing the Southbound at {}: {}", settings.nodeName(),
                    settings.sbRemotes(), e.getMessage());
                return Behaviors.empty();
            }
            return Behaviors.withTimers(timers ->
                new SouthboundObserver(ctx, timers, settings, agent, clients.apply(options)));
        });
    }

    /** Any member of a clustered Southbound will do, as for ovn-controller: reads, and deletes the leader applies. */
    static OvsdbClientOptions clientOptions(NodeAgentSettings settings) {
        return OvsdbClientOptions.builder(settings.sbRemotes())
            .databases(Southbound.DATABASE)
            .leaderOnly(false)
            .tls(settings.sbTls())
            .build();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Connected.class, this::onConnected)
            .onMessage(Disconnected.class, this::onDisconnected)
            .onMessage(MonitorStarted.class, this::onMonitorStarted)
            .onMessage(CacheChanged.class, changed -> observe())
            .onMessage(Removed.class, this::onRemoved)
            .onMessage(SilentNodes.class, silent -> {
                if (silent.nodes().equals(silentNodes)) {
                    return this;
                }
                silentNodes = silent.nodes();
                // A node heard again may register a new row: forget which rows were removed.
                removed.clear();
                return observe();
            })
            .onMessageEquals(Retry.MONITOR, this::onRetryMonitor)
            .onMessageEquals(Retry.REMOVAL, this::onRetryRemoval)
            .onSignal(PostStop.class, signal -> onStop())
            .build();
    }

    private Behavior<Command> onConnected(Connected connected) {
        if (this.connected || !client.isConnected()) {
            return this;
        }
        this.connected = true;
        getContext().getLog().info("node {}: observing the Southbound at {}", settings.nodeName(), connected.endpoint());
        if (monitor == null) {
            startMonitor();
            return this;
        }
        return observe(); // the client re-established the monitor before telling us
    }

    private Behavior<Command> onDisconnected(Disconnected disconnected) {
        if (connected) {
            getContext().getLog().info("node {}: lost the Southbound at {}: {}", settings.nodeName(),
                disconnected.endpoint(), disconnected.cause());
        }
        connected = false;
        return this;
    }

    private void startMonitor() {
        if (monitorRequested) {
            return;
        }
        monitorRequested = true;
        ActorRef<Command> self = getContext().getSelf();
        var started = client.monitor(SouthboundView.MONITOR).thenApply(m -> {
            // Added on the client's thread before anything else can change the cache; tell only enqueues.
            m.cache().addListener(events -> self.tell(new CacheChanged(events)), Runnable::run);
            return m;
        });
        getContext().pipeToSelf(started, MonitorStarted::new);
    }

    private Behavior<Command> onMonitorStarted(MonitorStarted started) {
        monitorRequested = false;
        if (started.failure() != null) {
            getContext().getLog().warn("node {}: cannot monitor the Southbound: {}", settings.nodeName(),
                ClientEvents.unwrap(started.failure()).getMessage());
            timers.startSingleTimer(Retry.MONITOR, RETRY);
            return this;
        }
        monitor = started.monitor();
        return observe();
    }

    private Behavior<Command> onRetryMonitor() {
        if (connected && monitor == null) {
            startMonitor();
            return this;
        }
        return observe();
    }

    private Behavior<Command> onRetryRemoval() {
        holdingOff = false;
        return observe();
    }

    /** Tells the agent a changed view and removes the stale chassis the cache shows. */
    private Behavior<Command> observe() {
        if (monitor == null) {
            return this;
        }
        SouthboundView view = SouthboundView.of(settings.nodeName(), settings.vtepIp(), monitor.cache());
        if (!view.equals(told)) {
            told = view;
            agent.tell(view);
        }
        removeStale();
        return this;
    }

    private void removeStale() {
        if (!connected || removing || holdingOff) {
            return;
        }
        List<StaleChassis.Stale> stale = StaleChassis.find(settings.nodeName(), settings.vtepIp(),
                SouthboundView.chassisRows(monitor.cache()), silentNodes).stream()
            .filter(s -> !removed.contains(s.chassis().uuid()))
            .toList();
        if (stale.isEmpty()) {
            return;
        }
        boolean withPrivate = client.schema(Southbound.DATABASE).hasTable("Chassis_Private");
        List<Operation> operations = new ArrayList<>();
        for (StaleChassis.Stale s : stale) {
            getContext().getLog().info("node {}: removing stale Southbound Chassis {} ({}), encaps {}: {}",
                settings.nodeName(), s.chassis().name(), s.chassis().uuid(), s.chassis().encapIps(), s.reason());
            operations.addAll(StaleChassis.deletion(s, withPrivate));
        }
        removing = true;
        var done = client.transact(Southbound.DATABASE, operations);
        getContext().pipeToSelf(done, (List<OperationResult> results, Throwable failure) -> new Removed(stale, failure));
    }

    private Behavior<Command> onRemoved(Removed done) {
        removing = false;
        if (done.failure() != null) {
            getContext().getLog().warn("node {}: could not remove stale chassis {}: {}", settings.nodeName(),
                done.stale().stream().map(s -> s.chassis().name()).toList(),
                ClientEvents.unwrap(done.failure()).getMessage());
            holdingOff = true;
            timers.startSingleTimer(Retry.REMOVAL, removalRetry);
            removalRetry = removalRetry.multipliedBy(2).compareTo(MAX_REMOVAL_RETRY) > 0
                ? MAX_REMOVAL_RETRY : removalRetry.multipliedBy(2);
            return this;
        }
        removalRetry = RETRY;
        done.stale().forEach(s -> removed.add(s.chassis().uuid()));
        return observe(); // anything that appeared meanwhile
    }

    private Behavior<Command> onStop() {
        ClientEvents.closeLater(client);
        return this;
    }
}
