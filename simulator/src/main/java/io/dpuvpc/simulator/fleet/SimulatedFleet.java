package io.dpuvpc.simulator.fleet;

import io.dpuvpc.actors.entity.EntityDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * A fleet of simulated DPUs driving a real controller: {@code dpus} {@link SimulatedAgent}s in an
 * actor system, each reporting to its DPU node entity through {@code directory} and binding its
 * ports in one shared {@link SimulatedOvnControllers}. {@link #start} registers every chassis
 * first (so that the first reports can say {@code chassisRegistered}), then starts the agents with
 * their first heartbeat spread at random over one heartbeat period.
 *
 * <p>DPU {@code i} is {@link SimulatedChassis#numbered}{@code (i)}: node name = chassis name =
 * {@code sim-dpu-NNNNN}, VTEP in 100.64.0.0/10, external address {@link #externalIp} in
 * 172.16.0.0/16 with next hop {@link #NEXT_HOP}.
 */
public final class SimulatedFleet implements AutoCloseable {
    /** The external network's next hop every simulated DPU reports. */
    public static final String NEXT_HOP = "172.16.0.1";

    private final SimulatedOvnControllers controllers;
    private final Map<String, ActorRef<SimulatedAgent.Command>> agents;
    private final SimulatedAgent.Counters counters;

    private SimulatedFleet(SimulatedOvnControllers controllers, Map<String, ActorRef<SimulatedAgent.Command>> agents,
                           SimulatedAgent.Counters counters) {
        this.controllers = controllers;
        this.agents = agents;
        this.counters = counters;
    }

    /**
     * Registers DPUs {@code 0 .. dpus-1} in {@code controllers} (waiting up to {@code timeout}:
     * not to be called from an actor), then spawns their agents in {@code system}. {@code labels}
     * gives DPU {@code i}'s labels; {@code seed} fixes the heartbeats' jitter.
     */
    public static SimulatedFleet start(ActorSystem<?> system, EntityDirectory directory, SimulatedOvnControllers controllers,
                                       int dpus, Duration heartbeat, IntFunction<Map<String, String>> labels, long seed,
                                       Duration timeout) {
        List<SimulatedChassis> fleet = new ArrayList<>(dpus);
        for (int i = 0; i < dpus; i++) {
            fleet.add(SimulatedChassis.numbered(i));
        }
        SimulatedOvnControllers.await(controllers.register(fleet), timeout);
        SimulatedAgent.Counters counters = new SimulatedAgent.Counters();
        Random jitter = new Random(seed);
        Map<String, ActorRef<SimulatedAgent.Command>> agents = new LinkedHashMap<>();
        for (int i = 0; i < dpus; i++) {
            SimulatedChassis chassis = fleet.get(i);
            Duration first = Duration.ofNanos((long) (jitter.nextDouble() * heartbeat.toNanos()));
            SimulatedAgent.Settings settings = new SimulatedAgent.Settings(chassis, labels.apply(i), externalIp(i), NEXT_HOP,
                heartbeat, first);
            agents.put(chassis.name(), system.systemActorOf(
                SimulatedAgent.create(settings, directory, controllers, counters, Clock.systemUTC()),
                "sim-agent-" + chassis.name(), Props.empty()));
        }
        return new SimulatedFleet(controllers, Collections.synchronizedMap(agents), counters);
    }

    /** DPU {@code index}'s external address with its prefix: 172.16.0.0/16, from 172.16.0.2 up. */
    public static String externalIp(int index) {
        int host = index + 2;
        if (host >= 65_535) {
            throw new IllegalArgumentException("at most 65,533 DPUs have an external address, not index " + index);
        }
        return "172.16." + (host >> 8) + "." + (host & 0xff) + "/16";
    }

    /** The node names, in order. */
    public List<String> nodes() {
        synchronized (agents) {
            return List.copyOf(agents.keySet());
        }
    }

    /** Reports sent, claims and releases recorded, so far, by every agent. */
    public SimulatedAgent.Counters counters() {
        return counters;
    }

    /**
     * The DPU reboots ({@link SimulatedOvnControllers#reboot}: its chassis goes and registers
     * again, its ports are bound again); its agent keeps reporting what it sees meanwhile.
     */
    public CompletionStage<Void> reboot(String dpu) {
        return controllers.reboot(dpu);
    }

    /**
     * The DPU's agent stops: no more reports, so the controller stops hearing it. With
     * {@code releasePorts} its ovn-controller releases its ports first (as on an orderly
     * shutdown); without, they stay bound, as when a DPU loses power.
     */
    public void stop(String dpu, boolean releasePorts) {
        ActorRef<SimulatedAgent.Command> agent = agents.remove(dpu);
        if (agent == null) {
            throw new IllegalArgumentException("no running simulated agent " + dpu);
        }
        agent.tell(new SimulatedAgent.Stop(releasePorts));
    }

    /** Asks every agent for its ports now (after applying resources, rather than waiting a heartbeat). */
    public void refresh() {
        synchronized (agents) {
            agents.values().forEach(a -> a.tell(SimulatedAgent.Refresh.INSTANCE));
        }
    }

    /** Stops every agent (their ports stay bound); the controllers and the actor system are the caller's. */
    @Override
    public void close() {
        synchronized (agents) {
            agents.values().forEach(a -> a.tell(new SimulatedAgent.Stop(false)));
            agents.clear();
        }
    }
}
