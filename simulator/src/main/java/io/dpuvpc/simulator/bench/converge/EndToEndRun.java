package io.dpuvpc.simulator.bench.converge;

import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.northbound.NorthboundBridge;
import io.dpuvpc.ovn.northbound.NorthboundRouter;
import io.dpuvpc.simulator.bench.BenchmarkFailedException;
import io.dpuvpc.simulator.local.LocalDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * (0) of {@link ConvergeBenchmark}: the same fleet as {@link Topology}, applied as a user would to
 * the real entities in a {@link LocalDirectory} (in-memory journal, one {@link NorthboundRouter}
 * with its bridge) on a fresh OVN central: the IsolationClass, one DPU node report per gateway
 * node, per VPC its DPUVPC (claiming its nodes by label), its networks and their ServiceInterfaces.
 * Converged when every VPC's TopologyReconciled, every network's DPUVirtualNetworkReconciled and
 * every ServiceInterface's ServiceInterfaceReconciled is True, as read by polling their status.
 */
final class EndToEndRun {
    static final int MAX_IN_FLIGHT = 500;
    static final long POLL_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Duration ASK = Duration.ofSeconds(30);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final String LABEL = "vpc";

    private enum Kind { VPC, NETWORK, INTERFACE }

    /** One entity whose condition is polled: null when reconciled, else why not. */
    private record Probe(Kind kind, String name, Supplier<CompletionStage<String>> ask) {}

    private final ConvergeBenchmark.Settings settings;
    private final Consumer<String> progress;
    private final String label;
    private ActorSystem<Void> system;
    private LocalDirectory directory;
    private final AtomicInteger asked = new AtomicInteger();

    EndToEndRun(ConvergeBenchmark.Settings settings, Consumer<String> progress, String label) {
        this.settings = settings;
        this.progress = progress;
        this.label = label;
    }

    /** @param snapshots where the entities' snapshots go (the fleet's) */
    ConvergeReport.EndToEnd run(List<Topology.VpcIntents> topology, OvnCentral ovn, Path snapshots) {
        try (NbTimeline timeline = NbTimeline.start(ovn.nbTcpEndpoint())) {
            system = ActorSystem.create(Behaviors.empty(), "bench-entities", LocalDirectory.inMemoryConfig(snapshots));
            directory = LocalDirectory.start(system, Clock.systemUTC(), LocalDirectory.bridges(settings.bridgeSettings()));
            List<Supplier<CompletionStage<ApplyReply>>> applies = applies(topology, ovn.nbTcpEndpoint());
            List<Probe> probes = probes(topology);
            Map<Kind, Integer> totals = new EnumMap<>(Kind.class);
            probes.forEach(p -> totals.merge(p.kind(), 1, Integer::sum));
            int nodes = topology.stream().mapToInt(v -> v.vpc().gateways().size()).sum();

            ConvergeBenchmark.Cpu cpu = new ConvergeBenchmark.Cpu(ovn);
            long events0 = LocalDirectory.eventsPersisted();
            progress.accept(String.format("%s applying %d resources (1 IsolationClass, %d DPU node reports, %d DPUVPCs, %d "
                            + "DPUVirtualNetworks, %d ServiceInterfaces) to the entities, %d asks in flight", label,
                    applies.size(), nodes, totals.get(Kind.VPC), totals.get(Kind.NETWORK), totals.getOrDefault(Kind.INTERFACE, 0),
                    MAX_IN_FLIGHT));
            long t0 = System.nanoTime();
            long deadline = t0 + settings.timeout().toNanos();
            askAll("applies", applies, reply -> reply instanceof ApplyReply.Accepted ? null : String.valueOf(reply), t0, deadline);
            double appliedSeconds = (System.nanoTime() - t0) / 1e9;
            progress.accept(String.format("%s all %d applies accepted in %.3f s; polling the conditions", label, applies.size(),
                    appliedSeconds));

            // Poll the ones not reconciled yet, in waves at most every 500 ms; once none is left,
            // one more wave over all of them, so that a condition that went back counts.
            Map<Kind, Double> kindDone = new EnumMap<>(Kind.class);
            List<Probe> pending = probes;
            int waves = 0;
            boolean converged = false;
            long nextProgress = t0 + PROGRESS_EVERY_NANOS;
            Map<String, String> why = new TreeMap<>();
            while (!converged) {
                long waveStart = System.nanoTime();
                boolean verify = pending.isEmpty();
                List<Probe> wave = verify ? probes : pending;
                ConcurrentLinkedQueue<Probe> notYet = new ConcurrentLinkedQueue<>();
                Map<String, String> reasons = new java.util.concurrent.ConcurrentHashMap<>();
                List<Supplier<CompletionStage<String>>> asks = new ArrayList<>(wave.size());
                wave.forEach(p -> asks.add(() -> p.ask().get().thenApplyAsync(reason -> {
                    if (reason != null) {
                        notYet.add(p);
                        reasons.putIfAbsent(p.kind() + " " + reason.replaceAll("\"[^\"]*\"", "\"...\""), p.name() + ": "
                                + reason);
                    }
                    return null;
                }, Runnable::run)));
                askAll("status", asks, r -> null, t0, deadline);
                waves++;
                long waveEnd = System.nanoTime();
                why = new TreeMap<>(reasons);
                pending = new ArrayList<>(notYet);
                Map<Kind, Integer> left = new EnumMap<>(Kind.class);
                pending.forEach(p -> left.merge(p.kind(), 1, Integer::sum));
                for (Kind k : totals.keySet()) {
                    if (!left.containsKey(k)) {
                        kindDone.putIfAbsent(k, (waveEnd - t0) / 1e9);
                    } else {
                        kindDone.remove(k);
                    }
                }
                if (verify && pending.isEmpty()) {
                    converged = true;
                    continue;
                }
                long now = System.nanoTime();
                if (now >= nextProgress || now >= deadline) {
                    nextProgress = now + PROGRESS_EVERY_NANOS;
                    String bridge = bridge().map(b -> {
                        NorthboundBridge.Stats s = ConvergeBenchmark.stats(system, b);
                        return String.format("bridge: %d txns, %d ops, %d dirty, %d in flight", s.transactions(), s.operations(),
                                s.dirty(), s.inFlight());
                    }).orElse("no bridge yet");
                    progress.accept(String.format("%s %5.1f s: reconciled VPCs %d/%d, networks %d/%d, interfaces %d/%d; NB rows %d; "
                                    + "%s; %d events persisted, %d status asks", label, (now - t0) / 1e9,
                            totals.get(Kind.VPC) - left.getOrDefault(Kind.VPC, 0), totals.get(Kind.VPC),
                            totals.get(Kind.NETWORK) - left.getOrDefault(Kind.NETWORK, 0), totals.get(Kind.NETWORK),
                            totals.getOrDefault(Kind.INTERFACE, 0) - left.getOrDefault(Kind.INTERFACE, 0),
                            totals.getOrDefault(Kind.INTERFACE, 0), timeline.rows.value(), bridge,
                            LocalDirectory.eventsPersisted() - events0, asked.get()));
                }
                if (now >= deadline) {
                    StringBuilder text = new StringBuilder();
                    why.forEach((k, example) -> text.append("\n  ").append(k).append(", e.g. ").append(example));
                    throw new BenchmarkFailedException(label + " did not converge within " + settings.timeout().toSeconds()
                            + " s: " + pending.size() + " of " + probes.size() + " VPCs, networks and interfaces not reconciled, "
                            + timeline.rows.value() + " NB rows; not reconciled because:" + text);
                }
                // At most every 500 ms, and idle at least as long as the wave took: polling never
                // takes more than half of the time (an ask costs the entity a status computation).
                long wait = Math.max(waveStart + POLL_EVERY_NANOS, waveEnd + (waveEnd - waveStart)) - System.nanoTime();
                if (wait > 0) {
                    ConvergeBenchmark.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
                }
            }
            // The time the wave that found the last one reconciled ended, before the verification wave.
            double seconds = kindDone.values().stream().mapToDouble(d -> d).max().orElse(Double.NaN);
            ConvergeBenchmark.Cpu.Used used = cpu.since();
            long events = LocalDirectory.eventsPersisted() - events0;
            ConvergeBenchmark.sleep(500);
            NorthboundBridge.Stats stats = bridge().map(b -> ConvergeBenchmark.stats(system, b))
                    .orElseThrow(() -> new BenchmarkFailedException(label + ": the router has no bridge"));
            Map<String, Long> byTable = ConvergeBenchmark.countRowsByTable(ovn.nbTcpEndpoint());
            long rows = byTable.values().stream().mapToLong(Long::longValue).sum();
            double rowsIn = (timeline.rows.firstReached(rows) - t0) / 1e9;
            ConvergeReport.EndToEnd result = new ConvergeReport.EndToEnd(totals.get(Kind.VPC), totals.get(Kind.NETWORK),
                    totals.getOrDefault(Kind.INTERFACE, 0), nodes, applies.size(), appliedSeconds, seconds, rows, byTable,
                    stats.transactions(), stats.operations(), stats.failedTransactions(), events, Math.max(0, rowsIn),
                    kindDone.get(Kind.VPC), kindDone.get(Kind.NETWORK), kindDone.getOrDefault(Kind.INTERFACE, Double.NaN), waves,
                    asked.get(), directory.size(), used.seconds(), stats.ownersPlanned());
            progress.accept(String.format("%s converged: %d VPCs, %d networks, %d interfaces reconciled in %.3f s, %d NB rows "
                            + "(all in at %.3f s), %d transactions, %d operations, %d events persisted, %d status asks in %d "
                            + "waves; CPU %s", label, result.vpcs(), result.networks(), result.interfaces(), seconds, rows, rowsIn,
                    stats.transactions(), stats.operations(), events, asked.get(), waves, used));
            return result;
        } catch (Exception e) {
            throw ConvergeBenchmark.failed(label, e);
        } finally {
            ConvergeBenchmark.terminate(system);
        }
    }

    /** What a user applies, in order: the class, the nodes' reports, then per VPC its DPUVPC, networks and interfaces. */
    private List<Supplier<CompletionStage<ApplyReply>>> applies(List<Topology.VpcIntents> topology, String nbEndpoint) {
        List<Supplier<CompletionStage<ApplyReply>>> applies = new ArrayList<>();
        String ns = Topology.NAMESPACE;
        IsolationClassSpec classSpec = new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
                Map.of(IsolationClassSpec.NB_ENDPOINT, nbEndpoint));
        applies.add(() -> ask(directory.isolationClass(Topology.ISOLATION_CLASS),
                r -> new IsolationClassEntity.Apply(classSpec, r)));
        for (Topology.VpcIntents v : topology) {
            String vpc = v.vpc().owner().name();
            for (TopologyIntent.Gateway g : v.vpc().gateways()) {
                // What the node's agent reports: its labels, chassis, external address and next hop.
                DpuNode node = new DpuNode(g.node(), Map.of(LABEL, vpc), g.chassis(), null, g.externalIp(), g.nextHop(), true,
                        null);
                applies.add(() -> ask(directory.node(g.node()), r -> new DpuNodeEntity.Report(node, r)));
            }
        }
        for (Topology.VpcIntents v : topology) {
            String vpc = v.vpc().owner().name();
            DpuVpcSpec vpcSpec = new DpuVpcSpec(ns, Topology.ISOLATION_CLASS, v.vpc().interNetworkAccess(),
                    LabelSelector.ofLabels(Map.of(LABEL, vpc)));
            applies.add(() -> ask(directory.vpc(ns, vpc), r -> new DpuVpcEntity.Apply(vpcSpec, r)));
            for (TopologyIntent.Network n : v.networks()) {
                DpuVirtualNetworkSpec spec = DpuVirtualNetworkSpec.bridged(vpc, true,
                        new DpuVirtualNetworkSpec.Ipv4Ipam(n.dhcp(), n.subnet(), List.of()));
                applies.add(() -> ask(directory.network(ns, n.owner().name()), r -> new DpuVirtualNetworkEntity.Apply(spec, r)));
            }
            for (TopologyIntent.Interface i : v.interfaces()) {
                String name = i.owner().name();
                int vf = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
                ServiceInterfaceTemplate template = new ServiceInterfaceTemplate(TemplateMetadata.EMPTY,
                        ServiceInterfaceSpec.vf(0, vf, i.network()).withNode(i.node()));
                applies.add(() -> ask(directory.serviceInterface(ns, name), r -> new ServiceInterfaceEntity.Apply(template, r)));
            }
        }
        return applies;
    }

    private List<Probe> probes(List<Topology.VpcIntents> topology) {
        String ns = Topology.NAMESPACE;
        List<Probe> probes = new ArrayList<>();
        for (Topology.VpcIntents v : topology) {
            String vpc = v.vpc().owner().name();
            probes.add(new Probe(Kind.VPC, vpc, () -> ask(directory.vpc(ns, vpc), DpuVpcEntity.GetStatus::new)
                    .thenApplyAsync(s -> why(s.conditions(), ConditionTypes.TOPOLOGY_RECONCILED), Runnable::run)));
            for (TopologyIntent.Network n : v.networks()) {
                String name = n.owner().name();
                probes.add(new Probe(Kind.NETWORK, name, () -> ask(directory.network(ns, name),
                        DpuVirtualNetworkEntity.GetStatus::new)
                        .thenApplyAsync(s -> why(s.conditions(), ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED), Runnable::run)));
            }
            for (TopologyIntent.Interface i : v.interfaces()) {
                String name = i.owner().name();
                probes.add(new Probe(Kind.INTERFACE, name, () -> ask(directory.serviceInterface(ns, name),
                        ServiceInterfaceEntity.GetStatus::new)
                        .thenApplyAsync(s -> why(s.conditions(), ConditionTypes.SERVICE_INTERFACE_RECONCILED), Runnable::run)));
            }
        }
        return probes;
    }

    private static String why(Conditions conditions, String type) {
        if (conditions.isTrue(type)) {
            return null;
        }
        return conditions.get(type).map(c -> c.reason() + ": " + c.message()).orElse("no " + type + " condition yet");
    }

    private Optional<ActorRef<NorthboundBridge.Message>> bridge() {
        CompletionStage<Optional<ActorRef<NorthboundBridge.Message>>> reply = AskPattern.ask(directory.router(),
                r -> new NorthboundRouter.GetBridge(Topology.ISOLATION_CLASS, r), ASK, system.scheduler());
        return ConvergeBenchmark.await(reply, 35);
    }

    private <M, R> CompletionStage<R> ask(RecipientRef<M> to, Function<ActorRef<R>, M> message) {
        asked.incrementAndGet();
        return AskPattern.ask(to, message::apply, ASK, system.scheduler());
    }

    /**
     * Sends every ask, at most {@link #MAX_IN_FLIGHT} outstanding; any failed or wrong answer fails
     * the benchmark. Progress every 3 s while sending.
     */
    private <R> void askAll(String what, List<Supplier<CompletionStage<R>>> asks, Function<R, String> check, long t0,
                            long deadline) {
        Semaphore window = new Semaphore(MAX_IN_FLIGHT);
        CountDownLatch done = new CountDownLatch(asks.size());
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
        long nextProgress = System.nanoTime() + PROGRESS_EVERY_NANOS;
        try {
            for (Supplier<CompletionStage<R>> ask : asks) {
                window.acquire();
                // Completed on the replying thread: not one of the common pool's (see LocalDirectory).
                ask.get().whenCompleteAsync((reply, error) -> {
                    String problem = error != null ? error.toString() : check.apply(reply);
                    if (problem != null && failed.incrementAndGet() <= 3) {
                        examples.add(problem);
                    }
                    window.release();
                    done.countDown();
                }, Runnable::run);
                long now = System.nanoTime();
                if (now > nextProgress) {
                    nextProgress = now + PROGRESS_EVERY_NANOS;
                    progress.accept(String.format("%s %5.1f s: %s: %d of %d answered", label, (now - t0) / 1e9, what,
                            asks.size() - done.getCount(), asks.size()));
                }
            }
            long wait = Math.max(deadline - System.nanoTime(), 0) + TimeUnit.SECONDS.toNanos(ASK.toSeconds() + 5);
            if (!done.await(wait, TimeUnit.NANOSECONDS)) {
                throw new BenchmarkFailedException(label + " " + what + ": " + done.getCount() + " asks never completed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailedException(label + " " + what + " interrupted", e);
        }
        if (failed.get() > 0) {
            throw new BenchmarkFailedException(label + " " + what + ": " + failed.get() + " of " + asks.size()
                    + " answers were wrong, e.g. " + examples);
        }
    }
}
