package io.dpuvpc.node;

import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.FleetEntity;
import io.dpuvpc.actors.entity.ReportSerials;
import io.dpuvpc.actors.entity.WantedPort;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import io.dpuvpc.ovn.ovsdb.CacheEvent;
import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.OvsdbEndpoint;
import io.dpuvpc.ovn.ovsdb.typed.vswitch.OpenVswitch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The agent of one DPU: keeps its local OVS as {@link LocalOvs} wants it and reports the node's
 * facts to its {@link DpuNodeEntity}.
 *
 * <p>One long-lived {@link OvsdbClient} to the local {@code Open_vSwitch} database (a unix socket),
 * one monitor of the {@code vswitch} views. The agent converges level-triggered: on start, on every
 * change the monitor shows (a bridge deleted by hand is put back), on every reconnect (an
 * ovsdb-server restart: the client re-establishes the monitor, which brings the cache up to date),
 * and after each plug or unplug. Each pass plans the whole difference from the cache and sends it
 * as one transaction, at most one in flight; the next pass waits until the monitor has shown the
 * transaction's effect (its inserted rows, and some update after it was sent), so a lagging cache
 * never inserts twice. A converged database gets no transaction at all.
 *
 * <p>The plugs come from the controller: the agent watches the ports its {@link DpuNodeEntity}
 * wants on the node ({@link DpuNodeEntity.WatchPorts}: answered at once, then told after each
 * change), asked again at start, every heartbeat and on {@link Refresh}, and converges to exactly
 * that set: it plugs new ones and unplugs the ones no
 * longer wanted (only ports it marked as its own: {@link LocalOvs} never touches others). A failed
 * or late answer changes nothing: a controller that cannot be reached is no reason to cut ports.
 * Until the first answer, the plugs are those it marked in the database on its first monitor
 * ({@link LocalOvs#pluggedPorts}), so a restarted agent unplugs nothing while it asks. An explicit
 * {@link Plug} or {@link Unplug} (tests, manual repair) overrides the controller for that
 * representor until the opposite command.
 *
 * <p>A child {@link SouthboundObserver} watches the Southbound: the node's chassis, the bindings
 * of its ports, and the stale chassis it removes. Its views only feed the report: a Southbound
 * that cannot be reached never holds up the local OVS nor unplugs anything.
 *
 * <p>With {@link NodeAgentSettings#cniDhcpSocket} set, a child {@link CniDhcpDaemon} serves the CNI
 * DHCP daemon socket DPU service pods lease their secondary interface's address through; its
 * status is in {@link State#cniDhcp}.
 *
 * <p>Reports go to {@code directory.node(name)} at start, whenever what they say changes
 * (readiness, the chassis, hardware offload, a port's MAC, binding or {@code up}) and every
 * {@link NodeAgentSettings#heartbeat}. {@code ready} means connected and the local OVS converged.
 */
public final class NodeAgent extends AbstractBehavior<NodeAgent.Command> {

    public sealed interface Command {}

    /** Plugs {@code representor} into the integration bridge for {@code logicalPort} (replaces an earlier plug of it). */
    public record Plug(String representor, String logicalPort) implements Command {}

    /** Unplugs {@code representor}: its port leaves the integration bridge. */
    public record Unplug(String representor) implements Command {}

    public record GetState(ActorRef<State> replyTo) implements Command {}

    /** Asks the node entity for the wanted ports now rather than at the next heartbeat. */
    public enum Refresh implements Command { INSTANCE }

    /**
     * What the agent sees: whether it is connected and its OVS converged, the plugs it wants and,
     * per plug, whether the port is in the integration bridge as wanted and the MAC ovs-vswitchd
     * reports ({@code mac_in_use}, empty without a vswitchd); whether hardware offload is on
     * ({@code other_config:hw-offload}); what stands in the way ({@code conflicts}); how many
     * transactions and operations it has sent since it started; and its CNI DHCP daemon
     * ({@code cniDhcp}, null when it runs none, else not running until the first start is seen).
     */
    public record State(String node, boolean connected, boolean converged, boolean hwOffload, List<PortStatus> ports,
                        List<String> conflicts, long transactions, long operations, String lastError,
                        CniDhcpDaemon.Status cniDhcp) {
        public State {
            ports = List.copyOf(ports);
            conflicts = List.copyOf(conflicts);
        }

        public State(String node, boolean connected, boolean converged, boolean hwOffload, List<PortStatus> ports,
                     List<String> conflicts, long transactions, long operations, String lastError) {
            this(node, connected, converged, hwOffload, ports, conflicts, transactions, operations, lastError, null);
        }

        public boolean ready() {
            return connected && converged;
        }
    }

    public record PortStatus(String representor, String logicalPort, boolean plugged, Optional<String> mac) {}

    private record Connected(OvsdbEndpoint endpoint) implements Command {}

    private record Disconnected(OvsdbEndpoint endpoint, String cause) implements Command {}

    private record MonitorStarted(Monitor monitor, Throwable failure) implements Command {}

    private record CacheChanged(List<CacheEvent> events) implements Command {}

    private record TransactionDone(Set<UUID> inserted, long cacheGeneration, int operations, Throwable failure)
            implements Command {}

    private record ReportAnswered(ApplyReply reply) implements Command {}

    private record HeartbeatAnswered(DpuNodeEntity.HeartbeatAnswer answer) implements Command {}

    private record SilentNodesAnswered(FleetEntity.SilentNodes silent) implements Command {}

    private record PortsAnswered(DpuNodeEntity.Ports ports) implements Command {}

    private record SouthboundChanged(SouthboundView view) implements Command {}

    private record CniDhcpChanged(CniDhcpDaemon.Status status) implements Command {}

    private record PodMacsRead(Map<String, String> macs, Throwable failure) implements Command {}

    private enum Tick implements Command { HEARTBEAT, SETTLE, RETRY }

    /** After a transaction, how long to wait for the monitor to show it before planning anyway. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    /** After a failed transaction or monitor, when to try again. */
    static final Duration RETRY = Duration.ofSeconds(1);
    /** How long the fleet has to answer {@link FleetEntity.GetSilentNodes}. */
    static final Duration PORTS_TIMEOUT = Duration.ofSeconds(5);

    private final NodeAgentSettings settings;
    private final EntityDirectory directory;
    private final Clock clock;
    private final TimerScheduler<Command> timers;
    private final ActorRef<SouthboundObserver.Command> southboundObserver;
    private final OvsdbClient client;
    private final ActorRef<ApplyReply> reportReplies;
    private final ActorRef<DpuNodeEntity.HeartbeatAnswer> heartbeatReplies;
    // Numbers the reports, so that a heartbeat with unchanged facts can name the one accepted.
    private final ReportSerials serials = new ReportSerials();
    // The digest of the ports last answered, so that a renewed watch need not repeat them; 0: none.
    private long portsHeld;
    private final ActorRef<DpuNodeEntity.Ports> portsWatcher;

    // Representor -> logical port. What the controller wants (null until its first answer), what the
    // database showed on the first monitor (used until then), and the explicit commands, which win.
    private Map<String, String> learned;
    private final Map<String, String> seeded = new TreeMap<>();
    private final Map<String, String> commanded = new TreeMap<>();
    private final Set<String> unplugged = new HashSet<>();
    private Monitor monitor;
    private boolean monitorRequested;
    private boolean seededFromDatabase;
    private boolean connected;
    private boolean converged;
    private boolean inFlight;
    private boolean settling;
    private Set<UUID> awaitedRows = Set.of();
    private long awaitedGeneration;
    private long cacheGeneration;
    private List<String> conflicts = List.of();
    private long transactions;
    private long operations;
    private String lastError;
    private SouthboundView southbound = SouthboundView.UNKNOWN;
    private CniDhcpDaemon.Status cniDhcp;
    // Representor -> the MAC its ServiceInterface was given (none with unknown-mac), and the MAC
    // each service pod's interface was last seen with (PodInterfaceMacs), read at every heartbeat.
    private Map<String, String> wantedMacs = Map.of();
    private Map<String, String> podMacs = Map.of();
    private boolean readingPodMacs;
    // The last report without its heartbeat time: a report goes out when this would change.
    private DpuNode reported;

    private NodeAgent(ActorContext<Command> context, TimerScheduler<Command> timers, NodeAgentSettings settings,
                      EntityDirectory directory, Clock clock, Function<OvsdbClientOptions, OvsdbClient> clients) {
        super(context);
        this.settings = settings;
        this.directory = directory;
        this.clock = clock;
        this.timers = timers;
        this.reportReplies = context.messageAdapter(ApplyReply.class, ReportAnswered::new);
        this.heartbeatReplies = context.messageAdapter(DpuNodeEntity.HeartbeatAnswer.class, HeartbeatAnswered::new);
        this.portsWatcher = context.messageAdapter(DpuNodeEntity.Ports.class, PortsAnswered::new);
        this.client = clients.apply(clientOptions(settings));
        ClientEvents.tellConnections(client, context.getSelf(), Connected::new, Disconnected::new);
        timers.startTimerWithFixedDelay(Tick.HEARTBEAT, settings.heartbeat());
        this.southboundObserver = context.spawn(SouthboundObserver.create(settings, clients, context.messageAdapter(SouthboundView.class,
            SouthboundChanged::new)), "southbound");
        if (settings.cniDhcpSocket() != null) {
            cniDhcp = new CniDhcpDaemon.Status(settings.cniDhcpSocket(), false, 0, 0, null);
            context.spawn(CniDhcpDaemon.create(java.nio.file.Path.of(settings.cniDhcpSocket()),
                context.messageAdapter(CniDhcpDaemon.Status.class, CniDhcpChanged::new)), "cni-dhcp");
        }
        report();
        askPorts(portsHeld);
    }

    public static Behavior<Command> create(NodeAgentSettings settings, EntityDirectory directory) {
        return create(settings, directory, Clock.systemUTC());
    }

    public static Behavior<Command> create(NodeAgentSettings settings, EntityDirectory directory, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new NodeAgent(ctx, timers, settings, directory, clock, OvsdbClient::start)));
    }

    /**
     * An agent whose two OVSDB clients (local OVS, Southbound) run on {@code io}, shared with other
     * agents: a simulator hosting thousands in one JVM would otherwise start two threads per agent.
     * The group is the caller's to shut down.
     */
    public static Behavior<Command> create(NodeAgentSettings settings, EntityDirectory directory, Clock clock,
                                           io.netty.channel.EventLoopGroup io) {
        Objects.requireNonNull(io, "io");
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new NodeAgent(ctx, timers, settings, directory, clock, options -> OvsdbClient.start(options.withEventLoopGroup(io)))));
    }

    /** A local database: never a raft cluster, quick to come back after an ovsdb-server restart. */
    static OvsdbClientOptions clientOptions(NodeAgentSettings settings) {
        return OvsdbClientOptions.builder(settings.ovsdbRemote())
            .databases(LocalOvs.DATABASE)
            .leaderOnly(false)
            .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .build();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Plug.class, this::onPlug)
            .onMessage(Unplug.class, this::onUnplug)
            .onMessage(GetState.class, this::onGetState)
            .onMessageEquals(Refresh.INSTANCE, this::onRefresh)
            .onMessage(PortsAnswered.class, this::onPortsAnswered)
            .onMessage(SilentNodesAnswered.class, answered -> {
                if (answered.silent() != null) {
                    southboundObserver.tell(new SouthboundObserver.SilentNodes(answered.silent().nodes()));
                }
                return this;
            })
            .onMessage(Connected.class, this::onConnected)
            .onMessage(Disconnected.class, this::onDisconnected)
            .onMessage(MonitorStarted.class, this::onMonitorStarted)
            .onMessage(CacheChanged.class, this::onCacheChanged)
            .onMessage(TransactionDone.class, this::onTransactionDone)
            .onMessage(ReportAnswered.class, this::onReportAnswered)
            .onMessage(HeartbeatAnswered.class, this::onHeartbeatAnswered)
            .onMessage(SouthboundChanged.class, this::onSouthboundChanged)
            .onMessage(PodMacsRead.class, this::onPodMacsRead)
            .onMessage(CniDhcpChanged.class, changed -> {
                cniDhcp = changed.status();
                return this;
            })
            .onMessageEquals(Tick.HEARTBEAT, this::onHeartbeat)
            .onMessageEquals(Tick.SETTLE, this::onSettle)
            .onMessageEquals(Tick.RETRY, this::onRetry)
            .onSignal(PostStop.class, signal -> onStop())
            .build();
    }

    // ---- commands

    private Behavior<Command> onPlug(Plug plug) {
        PortPlug valid;
        try {
            valid = new PortPlug(plug.representor(), plug.logicalPort());
        } catch (IllegalArgumentException | NullPointerException e) {
            getContext().getLog().warn("node {}: ignoring {}: {}", settings.nodeName(), plug, e.getMessage());
            return this;
        }
        commanded.put(valid.representor(), valid.logicalPort());
        unplugged.remove(valid.representor());
        converge();
        return this;
    }

    private Behavior<Command> onUnplug(Unplug unplug) {
        commanded.remove(unplug.representor());
        unplugged.add(unplug.representor());
        converge();
        return this;
    }

    private Behavior<Command> onRefresh() {
        askPorts(0); // answered in any case
        return this;
    }

    // ---- the ports the controller wants

    /**
     * Asks the fleet which nodes the controllers no longer hear; the Southbound observer removes
     * their chassis. Every agent does, so one live agent is enough; the deletions go by UUID, so
     * the others' repeats delete nothing. No answer changes nothing.
     */
    private void askSilentNodes() {
        getContext().ask(FleetEntity.SilentNodes.class, directory.fleet(), PORTS_TIMEOUT, FleetEntity.GetSilentNodes::new,
            (FleetEntity.SilentNodes silent, Throwable failure) -> new SilentNodesAnswered(silent));
    }

    /**
     * Watches the ports the node wants: answered now and told after each change, so a new port is
     * plugged within moments, not at the next heartbeat. Sent again at every heartbeat, since the
     * node keeps its watcher in memory only (a restarted controller learns it again within one),
     * with the digest of the ports held ({@code known}): the node answers only if it did not know
     * this watcher or holds other ports (a lost tell). No answer changes nothing: the plugs stay
     * as they are.
     */
    private void askPorts(long known) {
        directory.node(settings.nodeName()).tell(new DpuNodeEntity.WatchPorts(portsWatcher, known));
    }

    private Behavior<Command> onPortsAnswered(PortsAnswered answered) {
        if (!settings.nodeName().equals(answered.ports().node())) {
            getContext().getLog().warn("node {}: ignoring the ports of node {}", settings.nodeName(), answered.ports().node());
            return this;
        }
        portsHeld = answered.ports().digest();
        Map<String, String> wanted = new TreeMap<>();
        Map<String, String> macs = new TreeMap<>();
        for (WantedPort port : answered.ports().ports()) {
            PortPlug plug;
            try {
                plug = new PortPlug(port.representor(), port.logicalPort());
            } catch (IllegalArgumentException | NullPointerException e) {
                getContext().getLog().warn("node {}: ignoring {}: {}", settings.nodeName(), port, e.getMessage());
                continue;
            }
            String other = wanted.putIfAbsent(plug.representor(), plug.logicalPort());
            if (other == null && port.mac() != null) {
                macs.put(plug.representor(), port.mac());
            }
            if (other != null && !other.equals(plug.logicalPort())) {
                // The ports come ordered by ServiceInterface key: the first one keeps the representor.
                getContext().getLog().warn("node {}: {} is wanted for {} and for {}; plugging {}", settings.nodeName(),
                    plug.representor(), other, plug.logicalPort(), other);
            }
        }
        wantedMacs = macs;
        if (!wanted.equals(learned)) {
            learned = wanted;
            converge();
        }
        return this;
    }

    private Behavior<Command> onGetState(GetState get) {
        get.replyTo().tell(state());
        return this;
    }

    // ---- the connection and the monitor

    private Behavior<Command> onConnected(Connected connected) {
        if (this.connected || !client.isConnected()) {
            return this; // told twice (by the listener and by connected()), or a late word of a connection since lost
        }
        this.connected = true;
        getContext().getLog().info("node {}: connected to the local OVS at {}", settings.nodeName(), connected.endpoint());
        if (monitor == null) {
            startMonitor();
        } else {
            // The client re-established the monitor before telling us: the cache is current.
            converge();
        }
        return this;
    }

    private Behavior<Command> onDisconnected(Disconnected disconnected) {
        getContext().getLog().info("node {}: lost the local OVS at {}: {}", settings.nodeName(), disconnected.endpoint(),
            disconnected.cause());
        connected = false;
        converged = false;
        reportIfChanged();
        return this;
    }

    private void startMonitor() {
        if (monitorRequested) {
            return;
        }
        monitorRequested = true;
        ActorRef<Command> self = getContext().getSelf();
        CompletableFuture<Monitor> started = CompletableFuture.supplyAsync(() -> {
            // A database that lacks a column we read fails here, naming it, not later with a null.
            OpenVswitch.VIEWS.verifyAll(client.schema(LocalOvs.DATABASE));
            return OpenVswitch.VIEWS.monitorRequest();
        }, Runnable::run).thenCompose(request -> client.monitor(request).thenApply(m -> {
            // Added on the client's thread before anything else can change the cache; tell only enqueues.
            m.cache().addListener(events -> self.tell(new CacheChanged(events)), Runnable::run);
            return m;
        }).toCompletableFuture());
        getContext().pipeToSelf(started, MonitorStarted::new);
    }

    private Behavior<Command> onMonitorStarted(MonitorStarted started) {
        monitorRequested = false;
        if (started.failure() != null) {
            lastError = "monitor: " + ClientEvents.unwrap(started.failure()).getMessage();
            getContext().getLog().warn("node {}: cannot monitor the local OVS: {}", settings.nodeName(), lastError);
            timers.startSingleTimer(Tick.RETRY, RETRY);
            return this;
        }
        monitor = started.monitor();
        if (!seededFromDatabase) {
            seededFromDatabase = true;
            for (PortPlug plug : LocalOvs.pluggedPorts(settings, LocalOvs.OvsState.of(monitor.cache()))) {
                seeded.putIfAbsent(plug.representor(), plug.logicalPort());
            }
        }
        converge();
        return this;
    }

    private Behavior<Command> onCacheChanged(CacheChanged changed) {
        cacheGeneration++;
        if (settling && awaitedGeneration < cacheGeneration && cacheShows(awaitedRows)) {
            settled();
        } else {
            converge();
        }
        reportIfChanged(); // a MAC ovs-vswitchd filled in, offload switched by hand ...
        return this;
    }

    // ---- converging

    /** Plans from the cache and sends the difference, unless a transaction is out or unseen. */
    private void converge() {
        if (!connected || monitor == null || inFlight || settling) {
            return;
        }
        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(settings, plugs()), LocalOvs.OvsState.of(monitor.cache()));
        if (!plan.conflicts().equals(conflicts)) {
            plan.conflicts().forEach(c -> getContext().getLog().warn("node {}: {}", settings.nodeName(), c));
        }
        conflicts = plan.conflicts();
        if (plan.isEmpty()) {
            converged = plan.isConverged();
            reportIfChanged();
            return;
        }
        converged = false;
        reportIfChanged();
        getContext().getLog().info("node {}: {}", settings.nodeName(), String.join(", ", plan.changes()));
        inFlight = true;
        long sentAt = cacheGeneration;
        int size = plan.operations().size();
        var done = client.transact(LocalOvs.DATABASE, plan.operations());
        getContext().pipeToSelf(done, (results, failure) -> new TransactionDone(inserted(results), sentAt, size, failure));
    }

    private Behavior<Command> onTransactionDone(TransactionDone done) {
        inFlight = false;
        transactions++;
        operations += done.operations();
        if (done.failure() != null) {
            lastError = "transaction: " + ClientEvents.unwrap(done.failure()).getMessage();
            getContext().getLog().warn("node {}: {}", settings.nodeName(), lastError);
            timers.startSingleTimer(Tick.RETRY, RETRY);
            return this;
        }
        lastError = null;
        if (done.cacheGeneration() < cacheGeneration && cacheShows(done.inserted())) {
            converge(); // the monitor's update came before the reply
            return this;
        }
        settling = true;
        awaitedRows = done.inserted();
        awaitedGeneration = done.cacheGeneration();
        timers.startSingleTimer(Tick.SETTLE, SETTLE);
        return this;
    }

    private void settled() {
        settling = false;
        awaitedRows = Set.of();
        timers.cancel(Tick.SETTLE);
        converge();
    }

    private Behavior<Command> onSettle() {
        if (settling) {
            getContext().getLog().debug("node {}: the monitor did not show the last transaction within {}; planning anyway",
                settings.nodeName(), SETTLE);
            settled();
        }
        return this;
    }

    private Behavior<Command> onRetry() {
        if (connected && monitor == null) {
            startMonitor();
        } else {
            converge();
        }
        return this;
    }

    private boolean cacheShows(Set<UUID> rows) {
        if (rows.isEmpty()) {
            return true;
        }
        DatabaseCache cache = monitor.cache();
        Set<UUID> seen = new HashSet<>();
        for (String table : cache.tableNames()) {
            for (UUID uuid : rows) {
                if (cache.table(table).row(uuid).isPresent()) {
                    seen.add(uuid);
                }
            }
        }
        return seen.containsAll(rows);
    }

    private static Set<UUID> inserted(List<OperationResult> results) {
        if (results == null) {
            return Set.of();
        }
        Set<UUID> uuids = new HashSet<>();
        results.stream().map(OperationResult::uuid).filter(Objects::nonNull).forEach(uuids::add);
        return uuids;
    }

    /** The controller's ports (or, before its first answer, the database's), overridden by the explicit commands. */
    private Map<String, String> plugMap() {
        Map<String, String> plugs = new TreeMap<>(learned != null ? learned : seeded);
        plugs.keySet().removeAll(unplugged);
        plugs.putAll(commanded);
        return plugs;
    }

    private List<PortPlug> plugs() {
        return plugMap().entrySet().stream().map(e -> new PortPlug(e.getKey(), e.getValue())).toList();
    }

    // ---- reporting

    private Behavior<Command> onHeartbeat() {
        beat();
        askPorts(portsHeld);
        askSilentNodes();
        readPodMacs();
        return this;
    }

    /** Reads the MACs of the service pods' interfaces off the actor (one nsenter each), one round at a time. */
    private void readPodMacs() {
        if (readingPodMacs || monitor == null) {
            return;
        }
        List<PodInterfaceMacs.PodInterface> pods = OvsCniPorts.podInterfaces(settings,
            LocalOvs.OvsState.of(monitor.cache()), plugMap().keySet());
        if (pods.isEmpty()) {
            podMacs = Map.of();
            return;
        }
        readingPodMacs = true;
        var blocking = getContext().getSystem().dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking());
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> PodInterfaceMacs.read(pods), blocking), PodMacsRead::new);
    }

    private Behavior<Command> onPodMacsRead(PodMacsRead read) {
        readingPodMacs = false;
        if (read.failure() != null) {
            getContext().getLog().debug("node {}: cannot read the pods' MACs: {}", settings.nodeName(), read.failure().getMessage());
            return this;
        }
        read.macs().forEach((representor, mac) -> {
            if (PodInterfaceMacs.mismatch(wantedMacs.get(representor), mac) && !mac.equals(podMacs.get(representor))) {
                getContext().getLog().warn("node {}: {} has MAC {}, not {} as its ServiceInterface was given: port security"
                    + " drops its traffic", settings.nodeName(), representor, mac, wantedMacs.get(representor));
            }
        });
        podMacs = read.macs();
        reportIfChanged();
        return this;
    }

    private Behavior<Command> onSouthboundChanged(SouthboundChanged changed) {
        southbound = changed.view();
        reportIfChanged();
        return this;
    }

    private void reportIfChanged() {
        if (!facts().equals(reported)) {
            report();
        }
    }

    private void report() {
        reported = facts();
        DpuNode facts = reported.observed(reported.ready(), Instant.now(clock), reported.chassisRegistered(),
            reported.hwOffload(), reported.ports());
        directory.node(settings.nodeName()).tell(serials.report(facts, reportReplies));
    }

    /**
     * The heartbeat: only the serial of the accepted report while the facts are still those
     * ({@link DpuNodeEntity.Heartbeat}), the whole report otherwise.
     */
    private void beat() {
        Optional<DpuNodeEntity.Heartbeat> heartbeat =
            facts().equals(reported) ? serials.heartbeat(Instant.now(clock), heartbeatReplies) : Optional.empty();
        if (heartbeat.isPresent()) {
            directory.node(settings.nodeName()).tell(heartbeat.get());
        } else {
            report();
        }
    }

    private Behavior<Command> onHeartbeatAnswered(HeartbeatAnswered answered) {
        if (!answered.answer().known()) {
            // The controller restarted, or the node moved to another one: it needs the facts.
            serials.unknown();
            report();
        }
        return this;
    }

    /**
     * The configured facts and what the agent observes, without a heartbeat time. The chassis id
     * stays unreported (null: the controller falls back to the node's name) until the Southbound
     * shows a Chassis row of the node's name; the last view stands while the Southbound is away.
     */
    private DpuNode facts() {
        State state = state();
        List<NodePortStatus> ports = state.ports().stream()
            .map(p -> new NodePortStatus(p.logicalPort(), p.representor(), p.mac().orElse(null),
                southbound.bound(p.logicalPort()), southbound.up(p.logicalPort()), podMacs.get(p.representor()),
                PodInterfaceMacs.mismatch(wantedMacs.get(p.representor()), podMacs.get(p.representor()))))
            .toList();
        return new DpuNode(settings.nodeName(), settings.labels(), southbound.chassisId(), settings.vtepIp(),
            settings.externalIp(), settings.externalNextHop(), state.ready(), null, southbound.chassisRegistered(),
            state.hwOffload(), ports);
    }

    private Behavior<Command> onReportAnswered(ReportAnswered answered) {
        serials.answered(answered.reply());
        if (answered.reply() instanceof ApplyReply.Rejected rejected) {
            getContext().getLog().warn("node {}: the DpuNode entity rejected the report: {}", settings.nodeName(), rejected);
        }
        return this;
    }

    // ---- state and stop

    private State state() {
        List<PortStatus> ports = new ArrayList<>();
        boolean offload = false;
        if (monitor != null) {
            DatabaseCache cache = monitor.cache();
            offload = cache.table("Open_vSwitch").rows().stream()
                .anyMatch(r -> "true".equals(r.getStringMap("other_config").get(LocalOvs.HW_OFFLOAD)));
            LocalOvs.OvsState ovs = LocalOvs.OvsState.of(cache);
            Set<PortPlug> present = LocalOvs.pluggedPorts(settings, ovs);
            plugMap().forEach((representor, logical) -> {
                Optional<String> mac = LocalOvs.interfaceOf(settings, ovs, representor).flatMap(r -> r.string("mac_in_use"));
                ports.add(new PortStatus(representor, logical, present.contains(new PortPlug(representor, logical)), mac));
            });
        } else {
            plugMap().forEach((representor, logical) -> ports.add(new PortStatus(representor, logical, false, Optional.empty())));
        }
        return new State(settings.nodeName(), connected, converged, offload, ports, conflicts, transactions, operations,
            lastError, cniDhcp);
    }

    private Behavior<Command> onStop() {
        ClientEvents.closeLater(client);
        return this;
    }
}
