package io.dpuvpc.simulator.fleet;

import com.typesafe.config.Config;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.ovn.northbound.NorthboundBridge;
import io.dpuvpc.simulator.local.LocalDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A controller's entities ({@link LocalDirectory}: in-memory journal, the real Northbound bridge)
 * and a {@link SimulatedFleet} driving them, against one OVN central, with the resources a tenant
 * applies on top: an IsolationClass naming the central's Northbound, a DPUVPC selecting every
 * simulated DPU by its label, one DPUVirtualNetwork (10.0.0.0/16, DHCP) and
 * {@code interfacesPerDpu} DPUServiceInterfaces ({@code sim-vf-<k>}, VF {@code k} of PF 0 on every
 * DPU), hence one ServiceInterface per DPU and DPUServiceInterface, each Ready once its logical
 * switch port is up in the Northbound, which takes the real path: the DPUServiceInterface creates
 * it on the node the fleet entity matched, it tells its node entity the port, the simulated agent
 * learns it at its heartbeat and claims it, the simulated ovn-controller binds it, ovn-northd sets
 * the port up, the Northbound bridge observes it.
 *
 * <p>With {@link Agents#NODE_AGENTS_ON_EMULATED_OVS} the agents are the real node agents
 * ({@link NodeAgentFleet}), each against its DPU's emulated OVS database, and the port is claimed
 * once the agent has set its {@code iface-id} there.
 */
public final class FleetScenario implements AutoCloseable {
    public static final String NAMESPACE = "sim";
    public static final String ISOLATION_CLASS = "sim-ovn";
    public static final String VPC = "sim-vpc";
    public static final String NETWORK = "sim-net";
    public static final String LABEL = "sim.dpuvpc.io/vpc";
    private static final Duration ASK = Duration.ofSeconds(30);

    private final ActorSystem<Void> system;
    private final LocalDirectory directory;
    private final SimulatedOvnControllers controllers;
    /** Which agents drive the controller. */
    public enum Agents {
        /** {@link SimulatedAgent}s: the agent's protocol, no OVS (the default, and what benchmarks use). */
        SIMULATED,
        /** The real {@code NodeAgent}s, each against its DPU's emulated OVS database ({@link NodeAgentFleet}). */
        NODE_AGENTS_ON_EMULATED_OVS
    }

    private final SimulatedFleet fleet;
    private final NodeAgentFleet nodeAgents;
    private final List<String> dsis = new ArrayList<>();
    private final List<String> nodes;

    private FleetScenario(ActorSystem<Void> system, LocalDirectory directory, SimulatedOvnControllers controllers,
                          SimulatedFleet fleet, NodeAgentFleet nodeAgents) {
        this.system = system;
        this.directory = directory;
        this.controllers = controllers;
        this.fleet = fleet;
        this.nodeAgents = nodeAgents;
        this.nodes = fleet != null ? fleet.nodes() : nodeAgents.nodes();
    }

    /**
     * Starts the entities (their snapshots in {@code snapshots}, {@code config} over
     * {@link LocalDirectory#inMemoryConfig}, {@code clock} for the entities), connects the
     * simulated ovn-controllers to {@code sbEndpoint} and starts {@code dpus} agents.
     */
    public static FleetScenario start(String sbEndpoint, Path snapshots, Config config, Clock clock, int dpus,
                                      Duration heartbeat, Duration timeout) {
        return start(sbEndpoint, snapshots, config, clock, dpus, heartbeat, timeout, Agents.SIMULATED);
    }

    /** As {@link #start(String, Path, Config, Clock, int, Duration, Duration)}, with the given {@code agents}. */
    public static FleetScenario start(String sbEndpoint, Path snapshots, Config config, Clock clock, int dpus,
                                      Duration heartbeat, Duration timeout, Agents agents) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "sim-fleet",
            config.withFallback(LocalDirectory.inMemoryConfig(snapshots)).resolve());
        SimulatedOvnControllers controllers = null;
        try {
            LocalDirectory directory = LocalDirectory.start(system, clock,
                LocalDirectory.bridges(NorthboundBridge.Settings.defaults()));
            controllers = SimulatedOvnControllers.connect(sbEndpoint, SimulatedOvnControllers.Settings.batched(), timeout);
            if (agents == Agents.NODE_AGENTS_ON_EMULATED_OVS) {
                NodeAgentFleet nodeAgents = NodeAgentFleet.start(system, directory, controllers, snapshots.resolve("ovs"),
                    sbEndpoint, dpus, heartbeat, i -> Map.of(LABEL, VPC), timeout);
                return new FleetScenario(system, directory, controllers, null, nodeAgents);
            }
            SimulatedFleet fleet = SimulatedFleet.start(system, directory, controllers, dpus, heartbeat, i -> Map.of(LABEL, VPC),
                dpus, timeout);
            return new FleetScenario(system, directory, controllers, fleet, null);
        } catch (RuntimeException e) {
            if (controllers != null) {
                controllers.close();
            }
            system.terminate();
            throw e;
        }
    }

    /** The simulated agents; an IllegalStateException when the scenario runs the real ones. */
    public SimulatedFleet fleet() {
        if (fleet == null) {
            throw new IllegalStateException("this scenario runs the real node agents: see nodeAgents()");
        }
        return fleet;
    }

    /** The real node agents; an IllegalStateException when the scenario runs simulated ones. */
    public NodeAgentFleet nodeAgents() {
        if (nodeAgents == null) {
            throw new IllegalStateException("this scenario runs simulated agents: see fleet()");
        }
        return nodeAgents;
    }

    public SimulatedOvnControllers controllers() {
        return controllers;
    }

    public LocalDirectory directory() {
        return directory;
    }

    public ActorSystem<Void> system() {
        return system;
    }

    /**
     * Applies the IsolationClass (Northbound {@code nbEndpoint}), the DPUVPC, the network and
     * {@code interfacesPerDpu} DPUServiceInterfaces; completes when every apply is accepted.
     */
    public CompletionStage<Void> apply(String nbEndpoint, int interfacesPerDpu) {
        LabelSelector everyDpu = LabelSelector.ofLabels(Map.of(LABEL, VPC));
        IsolationClassSpec classSpec = new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
            Map.of(IsolationClassSpec.NB_ENDPOINT, nbEndpoint));
        List<CompletionStage<ApplyReply>> replies = new ArrayList<>();
        replies.add(ask(directory.isolationClass(ISOLATION_CLASS), r -> new IsolationClassEntity.Apply(classSpec, r)));
        replies.add(ask(directory.vpc(NAMESPACE, VPC), r -> new DpuVpcEntity.Apply(
            new DpuVpcSpec(NAMESPACE, ISOLATION_CLASS, true, everyDpu), r)));
        DpuVirtualNetworkSpec network = DpuVirtualNetworkSpec.bridged(VPC, true,
            new DpuVirtualNetworkSpec.Ipv4Ipam(true, "10.0.0.0/16", List.of()));
        replies.add(ask(directory.network(NAMESPACE, NETWORK), r -> new DpuVirtualNetworkEntity.Apply(network, r)));
        for (int k = 1; k <= interfacesPerDpu; k++) {
            String name = "sim-vf-" + k;
            dsis.add(name);
            DpuServiceInterfaceSpec spec = DpuServiceInterfaceSpec.of(everyDpu, Map.of(), ServiceInterfaceSpec.vf(0, k, NETWORK));
            replies.add(ask(directory.dpuServiceInterface(NAMESPACE, name), r -> new DpuServiceInterfaceEntity.Apply(spec, r)));
        }
        return all(replies).thenApply(answers -> {
            answers.stream().filter(a -> !(a instanceof ApplyReply.Accepted)).findFirst().ifPresent(a -> {
                throw new IllegalStateException("an apply was not accepted: " + a);
            });
            return null;
        });
    }

    /** The ServiceInterfaces the DPUServiceInterfaces make: one per DPU (all of them, stopped ones too) and DSI. */
    public List<String> serviceInterfaces() {
        List<String> names = new ArrayList<>();
        for (String dsi : dsis) {
            for (String node : nodes) {
                names.add(DpuServiceInterfaceEntity.childName(dsi, node));
            }
        }
        return names;
    }

    /** The ServiceInterfaces of {@link #serviceInterfaces} on {@code node}. */
    public List<String> serviceInterfacesOn(String node) {
        return dsis.stream().map(dsi -> DpuServiceInterfaceEntity.childName(dsi, node)).toList();
    }

    public CompletionStage<ServiceInterfaceEntity.Status> serviceInterface(String name) {
        return ask(directory.serviceInterface(NAMESPACE, name), ServiceInterfaceEntity.GetStatus::new);
    }

    public static boolean ready(ServiceInterfaceEntity.Status status) {
        return status.exists() && status.conditions().isTrue(ConditionTypes.READY);
    }

    /** How many of {@code names} are Ready=True now. */
    public CompletionStage<Integer> readyCount(List<String> names) {
        List<CompletionStage<ServiceInterfaceEntity.Status>> asks = names.stream().map(this::serviceInterface).toList();
        return all(asks).thenApply(statuses -> (int) statuses.stream().filter(FleetScenario::ready).count());
    }

    public CompletionStage<DpuNodeEntity.Status> node(String name) {
        return ask(directory.node(name), DpuNodeEntity.GetStatus::new);
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        } else {
            nodeAgents.close();
        }
        controllers.close();
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // nothing left to do
        }
    }

    private <M, R> CompletionStage<R> ask(RecipientRef<M> to, Function<ActorRef<R>, M> message) {
        return AskPattern.ask(to, message::apply, ASK, system.scheduler());
    }

    /** Every stage's result, in order, once all completed; fails with the first failure. */
    public static <T> CompletionStage<List<T>> all(List<CompletionStage<T>> stages) {
        CompletableFuture<?>[] futures = stages.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(futures).thenApply(v -> stages.stream().map(s -> s.toCompletableFuture().join()).toList());
    }
}
