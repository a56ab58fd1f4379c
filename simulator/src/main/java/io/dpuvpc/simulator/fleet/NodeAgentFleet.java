package io.dpuvpc.simulator.fleet;

import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.node.NodeAgentSettings;
import io.dpuvpc.simulator.ovs.EmulatedDatabase;
import io.dpuvpc.simulator.ovs.EmulatedOvsdbServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A fleet of the real node agents, each against its DPU's emulated {@code Open_vSwitch} database
 * ({@link EmulatedOvsdbServer}) and observing the real Southbound, in place of
 * {@link SimulatedFleet}'s {@link SimulatedAgent}s. What ovs-vswitchd and ovn-controller would do
 * on the DPU is emulated: the chassis is registered by {@link SimulatedOvnControllers} (as for
 * {@link SimulatedFleet}), and a port is claimed there once the agent has set its
 * {@code iface-id} in the DPU's database ({@link InterfaceClaims}), so the binding follows what
 * the agent really wrote.
 *
 * <p>DPU {@code i} is {@link SimulatedChassis#numbered}{@code (i)} with
 * {@link SimulatedFleet#externalIp}, as in {@link SimulatedFleet}. Every agent has its two OVSDB
 * clients (local OVS, Southbound), all of them on one shared event loop group of
 * {@link #IO_THREADS} threads, not two threads per agent.
 */
public final class NodeAgentFleet implements AutoCloseable {
    /** The threads every agent's OVSDB clients share. */
    static final int IO_THREADS = 2;

    /** Stops the agent it hosts: the node agent has no stop command of its own. */
    private enum Stop { INSTANCE }

    private final ActorSystem<?> system;
    private final EmulatedOvsdbServer ovs;
    private final Map<String, ActorRef<NodeAgent.Command>> agents;
    private final List<ActorRef<Stop>> hosts;
    private final EventLoopGroup io;

    private NodeAgentFleet(ActorSystem<?> system, EmulatedOvsdbServer ovs, EventLoopGroup io,
                           Map<String, ActorRef<NodeAgent.Command>> agents, List<ActorRef<Stop>> hosts) {
        this.system = system;
        this.ovs = ovs;
        this.io = io;
        this.agents = agents;
        this.hosts = hosts;
    }

    /**
     * Registers DPUs {@code 0 .. dpus-1} in {@code controllers} (waiting up to {@code timeout}: not
     * to be called from an actor), opens their databases in an emulated server with its sockets in
     * {@code sockets}, and starts their agents, whose Southbound is {@code sbRemotes}.
     */
    public static NodeAgentFleet start(ActorSystem<?> system, EntityDirectory directory, SimulatedOvnControllers controllers,
                                       Path sockets, String sbRemotes, int dpus, Duration heartbeat,
                                       IntFunction<Map<String, String>> labels, Duration timeout) {
        List<SimulatedChassis> fleet = new ArrayList<>(dpus);
        for (int i = 0; i < dpus; i++) {
            fleet.add(SimulatedChassis.numbered(i));
        }
        SimulatedOvnControllers.await(controllers.register(fleet), timeout);
        EmulatedOvsdbServer ovs = EmulatedOvsdbServer.start(sockets, Math.max(1, Runtime.getRuntime().availableProcessors()));
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(IO_THREADS, NioIoHandler.newFactory());
        Map<String, ActorRef<NodeAgent.Command>> agents = new LinkedHashMap<>();
        List<ActorRef<Stop>> hosts = new ArrayList<>();
        for (int i = 0; i < dpus; i++) {
            SimulatedChassis chassis = fleet.get(i);
            EmulatedDatabase database = ovs.open(chassis.name());
            InterfaceClaims.follow(chassis.name(), database, controllers);
            NodeAgentSettings settings = NodeAgentSettings.builder(chassis.name(), chassis.encapIp(), sbRemotes)
                .labels(labels.apply(i))
                .externalGateway(SimulatedFleet.externalIp(i), SimulatedFleet.NEXT_HOP)
                .datapath(NodeAgentSettings.Datapath.NETDEV)
                .heartbeat(heartbeat)
                .ovsdbRemote(database.remote())
                .build();
            CompletableFuture<ActorRef<NodeAgent.Command>> agent = new CompletableFuture<>();
            hosts.add(system.systemActorOf(host(settings, directory, io, agent), "node-agent-" + chassis.name(), Props.empty()));
            agents.put(chassis.name(), SimulatedOvnControllers.await(agent, timeout));
        }
        return new NodeAgentFleet(system, ovs, io, Collections.unmodifiableMap(agents), List.copyOf(hosts));
    }

    private static Behavior<Stop> host(NodeAgentSettings settings, EntityDirectory directory, EventLoopGroup io,
                                       CompletableFuture<ActorRef<NodeAgent.Command>> agent) {
        return Behaviors.setup(ctx -> {
            agent.complete(ctx.spawn(NodeAgent.create(settings, directory, Clock.systemUTC(), io), "agent"));
            return Behaviors.receiveMessage(stop -> Behaviors.stopped());
        });
    }

    /** The node names, in order. */
    public List<String> nodes() {
        return List.copyOf(agents.keySet());
    }

    /** The emulated databases, one per DPU, by node name. */
    public EmulatedOvsdbServer ovs() {
        return ovs;
    }

    /** What DPU {@code dpu}'s agent sees now. */
    public CompletionStage<NodeAgent.State> state(String dpu) {
        ActorRef<NodeAgent.Command> agent = agents.get(dpu);
        if (agent == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no node agent " + dpu));
        }
        return AskPattern.ask(agent, NodeAgent.GetState::new, Duration.ofSeconds(10), system.scheduler());
    }

    /** Asks every agent for its ports now (after applying resources, rather than waiting a heartbeat). */
    public void refresh() {
        agents.values().forEach(a -> a.tell(NodeAgent.Refresh.INSTANCE));
    }

    /** Stops every agent and the emulated databases; the controllers and the actor system are the caller's. */
    @Override
    public void close() {
        hosts.forEach(h -> h.tell(Stop.INSTANCE));
        ovs.close();
        // The agents close their clients as they stop; their group goes after them.
        io.shutdownGracefully(1, 5, TimeUnit.SECONDS);
    }
}
