package io.dpuvpc.simulator.fleet;

import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.FleetEntity;
import io.dpuvpc.actors.entity.ReportSerials;
import io.dpuvpc.actors.entity.WantedPort;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The node agent of one simulated DPU: what {@code io.dpuvpc.node.NodeAgent} does towards the
 * controller, with {@link SimulatedOvnControllers} in place of the DPU's OVS and ovn-controller.
 *
 * <p>At every heartbeat (the first one after {@link Settings#firstBeat}, so that a fleet's agents
 * do not all fire at once) it watches the ports its {@link DpuNodeEntity} wants plugged
 * ({@link DpuNodeEntity.WatchPorts}: answered now, then told after each change), asks the {@link FleetEntity} which nodes are silent (only
 * noted in {@link Counters#silentNodes}: the simulator removes no chassis), and reads what its simulated ovn-controller knows
 * ({@link SimulatedOvnControllers#view}), then reports its {@link DpuNode} facts from that:
 * chassis id = its chassis name, {@code chassisRegistered} and per port {@code bound} / {@code up}
 * as the Southbound monitor shows them; {@code mac} null (there is no representor to read it
 * from). A port newly wanted is claimed, one no longer wanted released, each once its previous
 * claim or release is recorded. {@code ready} (the real agent's "local OVS converged") is: the
 * chassis registered and every wanted port claimed.
 *
 * <p>Nothing blocks: the entities are asked with {@code context.ask}, the simulator's stages are
 * piped to self. A failed or late answer changes nothing until the next heartbeat.
 */
public final class SimulatedAgent extends AbstractBehavior<SimulatedAgent.Command> {

    public sealed interface Command {}

    /** Stops the agent; with {@code releasePorts}, its ovn-controller first releases every port it claimed. */
    public record Stop(boolean releasePorts) implements Command {}

    /** Asks the node entity for the ports now rather than at the next heartbeat. */
    public enum Refresh implements Command { INSTANCE }

    /**
     * One DPU's configuration: its chassis (name = node name = chassis id, VTEP = its encap
     * address), labels, external address with prefix and next hop, heartbeat and the delay of the
     * first one.
     */
    public record Settings(SimulatedChassis chassis, Map<String, String> labels, String externalIp, String externalNextHop,
                           Duration heartbeat, Duration firstBeat) {
        public Settings {
            Objects.requireNonNull(chassis, "chassis");
            labels = Map.copyOf(labels);
            if (heartbeat.isNegative() || heartbeat.isZero()) {
                throw new IllegalArgumentException("heartbeat must be positive");
            }
        }

        public String node() {
            return chassis.name();
        }
    }

    /** What a fleet of agents has done so far; shared by every agent of the fleet, safe from any thread. */
    public static final class Counters {
        final LongAdder reports = new LongAdder();
        final LongAdder heartbeats = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder claims = new LongAdder();
        final LongAdder releases = new LongAdder();
        final LongAdder failures = new LongAdder();
        final AtomicReference<Set<String>> silent = new AtomicReference<>(Set.of());

        /** Whole reports sent (the first, after each change, and when the entity did not know the last). */
        public long reports() {
            return reports.sum();
        }

        /** Heartbeats that named an accepted report instead of sending it again ({@link DpuNodeEntity.Heartbeat}). */
        public long heartbeats() {
            return heartbeats.sum();
        }

        /** Reports the node entity answered with a rejection. */
        public long rejected() {
            return rejected.sum();
        }

        /** Claims recorded by the simulated ovn-controllers. */
        public long claims() {
            return claims.sum();
        }

        public long releases() {
            return releases.sum();
        }

        /** Claims, releases and views that failed (retried at the next heartbeat). */
        public long failures() {
            return failures.sum();
        }

        /** The silent nodes in the last answer of the fleet entity any agent had. */
        public Set<String> silentNodes() {
            return silent.get();
        }

        @Override
        public String toString() {
            return "reports=" + reports() + " (rejected " + rejected() + "), heartbeats=" + heartbeats() + ", claims=" + claims()
                + ", releases=" + releases() + ", failures=" + failures();
        }
    }

    private enum Tick implements Command { HEARTBEAT }

    private record PortsAnswered(DpuNodeEntity.Ports ports) implements Command {}

    private record SilentAnswered(FleetEntity.SilentNodes silent, Throwable failure) implements Command {}

    private record ViewSeen(SimulatedOvnControllers.DpuView view, Throwable failure) implements Command {}

    private record Claimed(String logicalPort, boolean claim, Throwable failure) implements Command {}

    private record ReportAnswered(ApplyReply reply) implements Command {}

    private record HeartbeatAnswered(DpuNodeEntity.HeartbeatAnswer answer) implements Command {}

    /** How long the entities have to answer an ask. */
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private final Settings settings;
    private final EntityDirectory directory;
    private final SimulatedOvnControllers controllers;
    private final Counters counters;
    private final Clock clock;
    private final ActorRef<ApplyReply> reportReplies;
    private final ActorRef<DpuNodeEntity.HeartbeatAnswer> heartbeatReplies;
    // As the real agent: a heartbeat names the accepted report while the facts are unchanged.
    private final ReportSerials serials = new ReportSerials();
    // As the real agent: the digest of the ports last answered, so a renewed watch need not repeat them.
    private long portsHeld;
    // The facts of the last whole report, without its time; null: none yet.
    private DpuNode reported;
    private final ActorRef<DpuNodeEntity.Ports> portsWatcher;

    // Logical port -> what the controller wants (empty until its first answer).
    private Map<String, WantedPort> wanted = Map.of();
    // Recorded by the simulated ovn-controllers, and in flight (claim or release).
    private final Set<String> claimed = new HashSet<>();
    private final Set<String> pending = new HashSet<>();
    private SimulatedOvnControllers.DpuView view = new SimulatedOvnControllers.DpuView(false, Map.of());
    private boolean viewing;

    private SimulatedAgent(ActorContext<Command> context, Settings settings, EntityDirectory directory,
                           SimulatedOvnControllers controllers, Counters counters, Clock clock) {
        super(context);
        this.settings = settings;
        this.directory = directory;
        this.controllers = controllers;
        this.counters = counters;
        this.clock = clock;
        this.reportReplies = context.messageAdapter(ApplyReply.class, ReportAnswered::new);
        this.heartbeatReplies = context.messageAdapter(DpuNodeEntity.HeartbeatAnswer.class, HeartbeatAnswered::new);
        this.portsWatcher = context.messageAdapter(DpuNodeEntity.Ports.class, PortsAnswered::new);
    }

    public static Behavior<Command> create(Settings settings, EntityDirectory directory, SimulatedOvnControllers controllers,
                                           Counters counters, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.HEARTBEAT, Tick.HEARTBEAT, settings.firstBeat(), settings.heartbeat());
            return new SimulatedAgent(ctx, settings, directory, controllers, counters, clock);
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessageEquals(Tick.HEARTBEAT, this::onHeartbeat)
            .onMessageEquals(Refresh.INSTANCE, () -> {
                askPorts(0); // answered in any case
                return this;
            })
            .onMessage(PortsAnswered.class, this::onPortsAnswered)
            .onMessage(Claimed.class, this::onClaimed)
            .onMessage(ViewSeen.class, this::onViewSeen)
            .onMessage(SilentAnswered.class, answered -> {
                if (answered.silent() != null) {
                    counters.silent.set(answered.silent().nodes());
                }
                return this;
            })
            .onMessage(HeartbeatAnswered.class, answered -> {
                if (!answered.answer().known()) {
                    serials.unknown();
                    report(facts());
                }
                return this;
            })
            .onMessage(ReportAnswered.class, answered -> {
                serials.answered(answered.reply());
                if (answered.reply() instanceof ApplyReply.Rejected rejected) {
                    counters.rejected.increment();
                    getContext().getLog().warn("node {}: the DpuNode entity rejected the report: {}", settings.node(), rejected);
                }
                return this;
            })
            .onMessage(Stop.class, this::onStop)
            .build();
    }

    private Behavior<Command> onHeartbeat() {
        askPorts(portsHeld);
        getContext().ask(FleetEntity.SilentNodes.class, directory.fleet(), ASK_TIMEOUT, FleetEntity.GetSilentNodes::new,
            SilentAnswered::new);
        // The report follows the view: what it says is what the Southbound showed just now.
        if (!viewing) {
            viewing = true;
            getContext().pipeToSelf(controllers.view(settings.node(), wanted.keySet()), ViewSeen::new);
        }
        return this;
    }

    /** As the real agent: watches the node's ports (answered now, told after each change), again at each heartbeat. */
    private void askPorts(long known) {
        directory.node(settings.node()).tell(new DpuNodeEntity.WatchPorts(portsWatcher, known));
    }

    private Behavior<Command> onPortsAnswered(PortsAnswered answered) {
        if (!settings.node().equals(answered.ports().node())) {
            return this; // keep the last known: an unanswered ask is no reason to unplug
        }
        portsHeld = answered.ports().digest();
        Map<String, WantedPort> next = new TreeMap<>();
        answered.ports().ports().forEach(p -> next.putIfAbsent(p.logicalPort(), p));
        wanted = Map.copyOf(next);
        converge();
        return this;
    }

    /** Claims what is wanted and not claimed, releases what is claimed and not wanted; one step in flight per port. */
    private void converge() {
        for (String lp : wanted.keySet()) {
            if (!claimed.contains(lp) && pending.add(lp)) {
                getContext().pipeToSelf(controllers.claim(settings.node(), lp), (ok, failure) -> new Claimed(lp, true, failure));
            }
        }
        for (String lp : Set.copyOf(claimed)) {
            if (!wanted.containsKey(lp) && pending.add(lp)) {
                getContext().pipeToSelf(controllers.release(settings.node(), lp), (ok, failure) -> new Claimed(lp, false, failure));
            }
        }
    }

    private Behavior<Command> onClaimed(Claimed done) {
        pending.remove(done.logicalPort());
        if (done.failure() != null) {
            counters.failures.increment();
            getContext().getLog().debug("node {}: {} of {} failed: {}", settings.node(), done.claim() ? "claim" : "release",
                done.logicalPort(), done.failure().toString());
            return this; // the next answer about the ports tries again
        }
        if (done.claim()) {
            claimed.add(done.logicalPort());
            counters.claims.increment();
        } else {
            claimed.remove(done.logicalPort());
            counters.releases.increment();
        }
        converge(); // what is wanted may have changed meanwhile
        return this;
    }

    private Behavior<Command> onViewSeen(ViewSeen seen) {
        viewing = false;
        if (seen.failure() != null) {
            counters.failures.increment();
        } else {
            view = seen.view();
        }
        DpuNode facts = facts();
        Optional<DpuNodeEntity.Heartbeat> heartbeat =
            facts.equals(reported) ? serials.heartbeat(clock.instant(), heartbeatReplies) : Optional.empty();
        if (heartbeat.isPresent()) {
            directory.node(settings.node()).tell(heartbeat.get());
            counters.heartbeats.increment();
        } else {
            report(facts);
        }
        return this;
    }

    private void report(DpuNode facts) {
        reported = facts;
        directory.node(settings.node()).tell(serials.report(
            facts.observed(facts.ready(), clock.instant(), facts.chassisRegistered(), facts.hwOffload(), facts.ports()),
            reportReplies));
        counters.reports.increment();
    }

    /** What the agent would report now, without a time: from the last view of the Southbound. */
    private DpuNode facts() {
        List<NodePortStatus> ports = wanted.values().stream().map(p -> {
            SimulatedOvnControllers.PortState state = view.ports().get(p.logicalPort());
            boolean bound = state != null && state.bound();
            boolean up = state != null && state.up();
            return new NodePortStatus(p.logicalPort(), p.representor(), null, bound, up);
        }).toList();
        boolean ready = view.registered() && claimed.containsAll(wanted.keySet());
        SimulatedChassis chassis = settings.chassis();
        return new DpuNode(settings.node(), settings.labels(), chassis.name(), chassis.encapIp(), settings.externalIp(),
            settings.externalNextHop(), ready, null, view.registered(), false, ports);
    }

    private Behavior<Command> onStop(Stop stop) {
        if (stop.releasePorts()) {
            Set<String> all = new HashSet<>(claimed);
            all.addAll(pending);
            all.forEach(lp -> controllers.release(settings.node(), lp));
            counters.releases.add(all.size());
        }
        return Behaviors.stopped();
    }

}
