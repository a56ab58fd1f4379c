package io.dpuvpc.simulator.bench.converge;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.WorkFolders;
import io.dpuvpc.ovn.northbound.CacheObservations;
import io.dpuvpc.ovn.northbound.NbPlanner;
import io.dpuvpc.ovn.northbound.NbTables;
import io.dpuvpc.ovn.northbound.NorthboundBridge;
import io.dpuvpc.ovn.northbound.Plan;
import io.dpuvpc.ovn.northbound.TopologyTranslator;
import io.dpuvpc.ovn.northbound.Translation;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.simulator.bench.BenchmarkFailedException;
import io.dpuvpc.simulator.bench.CpuTimes;
import io.dpuvpc.simulator.bench.RawJsonRpcWriter;
import io.dpuvpc.simulator.report.LatencyRecorder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * How long the Northbound bridge takes to bring a fleet's whole topology into a real OVN (NB, SB,
 * ovn-northd), against the way the reference controller does it and against the wire's limit,
 * each on a fresh OVN central of its own:
 * <ol start="0">
 *   <li><b>ours end to end</b> (the headline): the same fleet applied to the real entities
 *       ({@link EndToEndRun}: a {@link io.dpuvpc.simulator.local.LocalDirectory} on Pekko's in-memory
 *       journal, their {@code NorthboundRouter} and its bridge), timed from the first apply until
 *       every VPC, network and interface says in its conditions that it is reconciled;</li>
 *   <li><b>ours, bridge only</b>: every intent the entities would publish, all at once, to one
 *       {@link NorthboundBridge} (a real {@link OvsdbClient}); timed until every owner has been
 *       told {@code RECONCILED} (the bridge says so only once its monitor shows the rows, and an
 *       interface's reroute policy needs the address northd's IPAM gives its port, so northd is in
 *       the figure) and, separately, until the NB row count reached its final value;</li>
 *   <li><b>reference</b>: the same rows, one transaction per owner (the same translator and
 *       planner, each owner planned alone), and for every reconcile a fresh connection with a full
 *       monitor of the NB tables before planning, closed after; interfaces are reconciled again
 *       until their policy is in. On a sample (the first VPCs with their networks and interfaces,
 *       within a time budget), extrapolated by its rows/s;</li>
 *   <li><b>raw</b>: {@link RawJsonRpcWriter}, one switch with one port per transaction, 100 in
 *       flight, on an NB without northd: the rows/s the server takes at best.</li>
 * </ol>
 * The entities themselves are not in (1): the intents are made here the way they build them; (0)
 * is the same with the entities.
 */
public final class ConvergeBenchmark {
    static final String NB = NbTables.DATABASE;

    /** The bridge's owner plans by {@link io.dpuvpc.ovn.northbound.PlanCause}, in its order, by label. */
    static Map<String, Long> plannedBecause(NorthboundBridge.Stats stats) {
        Map<String, Long> byLabel = new LinkedHashMap<>();
        new TreeMap<>(stats.plannedBecause()).forEach((cause, count) -> byLabel.put(cause.label(), count));
        return byLabel;
    }

    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(3);

    /**
     * @param referenceVpcs   VPCs of the reference's sample (with their networks and interfaces)
     * @param referenceBudget the reference stops after the owner that crosses it
     * @param rawObjects      switches (with one port each) per raw run
     * @param warmupVpcs      VPCs of an untimed run of (0) and of (1) first, each on a central of its own (0: none)
     * @param timeout         how long (0), and (1), may take before the benchmark fails
     * @param batchDelay      bridge setting, null: its default (likewise the next two)
     * @param nodesPerVpc     DPU nodes (gateways) per VPC; 0: one (odd VPCs) or two (even VPCs)
     */
    public record Settings(int vpcs, int networksPerVpc, int interfacesPerNetwork, int referenceVpcs,
                           Duration referenceBudget, int rawObjects, int rawRepeats, int warmupVpcs, Duration timeout,
                           Duration batchDelay, Integer maxOwnersPerTransaction, Integer maxTransactionsInFlight,
                           int nodesPerVpc) {
        public static final int DEFAULT_VPCS = 100;
        public static final int DEFAULT_NETWORKS_PER_VPC = 10;
        public static final int DEFAULT_INTERFACES_PER_NETWORK = 10;
        public static final int DEFAULT_REFERENCE_VPCS = 5;
        public static final int DEFAULT_REFERENCE_BUDGET_SECONDS = 60;
        public static final int DEFAULT_RAW_OBJECTS = 20_000;
        public static final int DEFAULT_WARMUP_VPCS = 10;
        public static final int DEFAULT_TIMEOUT_SECONDS = 600;

        public Settings {
            if (vpcs < 1 || networksPerVpc < 1 || networksPerVpc > 256 * 256 || interfacesPerNetwork < 0
                    || interfacesPerNetwork > 250 || referenceVpcs < 1 || rawObjects < 1 || rawRepeats < 1 || warmupVpcs < 0
                    || nodesPerVpc < 0 || (long) vpcs * Math.max(nodesPerVpc, 2) > Topology.MAX_NODES) {
                throw new IllegalArgumentException("need vpcs >= 1, 1 <= networks per VPC, 0 <= interfaces per network <= 250 "
                        + "(one /24 each), reference VPCs >= 1, raw objects >= 1, raw repeats >= 1, warm-up VPCs >= 0, "
                        + "nodes per VPC >= 0 and at most " + Topology.MAX_NODES + " nodes in all (one external address each)");
            }
            Objects.requireNonNull(referenceBudget, "referenceBudget");
            Objects.requireNonNull(timeout, "timeout");
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_VPCS, DEFAULT_NETWORKS_PER_VPC, DEFAULT_INTERFACES_PER_NETWORK, DEFAULT_REFERENCE_VPCS,
                    Duration.ofSeconds(DEFAULT_REFERENCE_BUDGET_SECONDS), DEFAULT_RAW_OBJECTS, 3, DEFAULT_WARMUP_VPCS,
                    Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS), null, null, null, 0);
        }

        public Settings withSize(int v, int n, int i) {
            return new Settings(v, n, i, referenceVpcs, referenceBudget, rawObjects, rawRepeats, warmupVpcs, timeout, batchDelay,
                    maxOwnersPerTransaction, maxTransactionsInFlight, nodesPerVpc);
        }

        public Settings withReference(int sampleVpcs, Duration budget) {
            return new Settings(vpcs, networksPerVpc, interfacesPerNetwork, sampleVpcs, budget, rawObjects, rawRepeats,
                    warmupVpcs, timeout, batchDelay, maxOwnersPerTransaction, maxTransactionsInFlight, nodesPerVpc);
        }

        public Settings withRaw(int objects, int repeats) {
            return new Settings(vpcs, networksPerVpc, interfacesPerNetwork, referenceVpcs, referenceBudget, objects, repeats,
                    warmupVpcs, timeout, batchDelay, maxOwnersPerTransaction, maxTransactionsInFlight, nodesPerVpc);
        }

        public Settings withWarmupVpcs(int n) {
            return new Settings(vpcs, networksPerVpc, interfacesPerNetwork, referenceVpcs, referenceBudget, rawObjects, rawRepeats,
                    n, timeout, batchDelay, maxOwnersPerTransaction, maxTransactionsInFlight, nodesPerVpc);
        }

        public Settings withTimeout(Duration t) {
            return new Settings(vpcs, networksPerVpc, interfacesPerNetwork, referenceVpcs, referenceBudget, rawObjects, rawRepeats,
                    warmupVpcs, t, batchDelay, maxOwnersPerTransaction, maxTransactionsInFlight, nodesPerVpc);
        }

        public Settings withNodesPerVpc(int n) {
            return new Settings(vpcs, networksPerVpc, interfacesPerNetwork, referenceVpcs, referenceBudget, rawObjects, rawRepeats,
                    warmupVpcs, timeout, batchDelay, maxOwnersPerTransaction, maxTransactionsInFlight, n);
        }

        public Settings withBridge(Duration delay, Integer maxOwners, Integer maxInFlight) {
            return new Settings(vpcs, networksPerVpc, interfacesPerNetwork, referenceVpcs, referenceBudget, rawObjects, rawRepeats,
                    warmupVpcs, timeout, delay, maxOwners, maxInFlight, nodesPerVpc);
        }

        /**
         * The bridge's settings: its defaults with the overrides given here. By component name, so
         * that settings the bridge gains later keep their defaults.
         */
        public NorthboundBridge.Settings bridgeSettings() {
            NorthboundBridge.Settings defaults = NorthboundBridge.Settings.defaults();
            Map<String, Object> overrides = new LinkedHashMap<>();
            if (batchDelay != null) {
                overrides.put("batchDelay", batchDelay);
            }
            if (maxOwnersPerTransaction != null) {
                overrides.put("maxOwnersPerTransaction", maxOwnersPerTransaction);
            }
            if (maxTransactionsInFlight != null) {
                overrides.put("maxTransactionsInFlight", maxTransactionsInFlight);
            }
            if (overrides.isEmpty()) {
                return defaults;
            }
            try {
                RecordComponent[] components = NorthboundBridge.Settings.class.getRecordComponents();
                Object[] values = new Object[components.length];
                Class<?>[] types = new Class<?>[components.length];
                for (int i = 0; i < components.length; i++) {
                    types[i] = components[i].getType();
                    values[i] = overrides.containsKey(components[i].getName()) ? overrides.get(components[i].getName())
                            : components[i].getAccessor().invoke(defaults);
                }
                Constructor<NorthboundBridge.Settings> canonical = NorthboundBridge.Settings.class.getDeclaredConstructor(types);
                return canonical.newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build NorthboundBridge.Settings: " + e, e);
            }
        }
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final Path dir;

    private ConvergeBenchmark(Settings settings, Consumer<String> progress, Path dir) {
        this.settings = settings;
        this.progress = progress;
        this.dir = dir;
    }

    /**
     * Runs (0), (1), (2) and (3), each on an OVN central of its own in a new temp folder, removed
     * afterwards unless the run failed (then its path is in the message).
     *
     * @throws BenchmarkFailedException if (0) or (1) does not converge within the timeout, or a phase fails
     */
    public static ConvergeReport run(Settings settings, Consumer<String> progress) {
        Path dir;
        try {
            dir = Files.createTempDirectory("vpc-bench-converge-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp folder for the benchmark", e);
        }
        ConvergeReport report;
        try {
            report = new ConvergeBenchmark(settings, progress, dir).runAll();
        } catch (BenchmarkFailedException e) {
            throw new BenchmarkFailedException(e.getMessage() + " (lab folders kept: " + dir + ")", e);
        } catch (RuntimeException e) {
            throw new BenchmarkFailedException(e + " (lab folders kept: " + dir + ")", e);
        }
        WorkFolders.deleteTree(dir);
        return report;
    }

    /** The two baselines of {@link #run} alone: (2) the reference's way on a sample, (3) the raw NB write limit. */
    public record Baselines(ConvergeReport.Reference reference, ConvergeReport.Raw raw) {}

    /**
     * Rows (2) and (3) for the topology of {@code settings}, each on a central of its own, without
     * (0) and (1): for a benchmark that measures "ours" its own way ({@code vpc bench scale}).
     * {@code fullRows}: the NB rows of the whole fleet, to extrapolate the reference's time to.
     */
    public static Baselines baselines(Settings settings, long fullRows, Consumer<String> progress) {
        Path dir;
        try {
            dir = Files.createTempDirectory("vpc-bench-baselines-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp folder for the benchmark", e);
        }
        ConvergeBenchmark bench = new ConvergeBenchmark(settings, progress, dir);
        Baselines baselines;
        try {
            List<Topology.VpcIntents> topology = Topology.build(settings.vpcs(), settings.networksPerVpc(),
                    settings.interfacesPerNetwork(), settings.nodesPerVpc());
            baselines = new Baselines(bench.reference(topology, fullRows), bench.raw());
        } catch (RuntimeException e) {
            throw new BenchmarkFailedException(e + " (lab folders kept: " + dir + ")", e);
        }
        WorkFolders.deleteTree(dir);
        return baselines;
    }

    private ConvergeReport runAll() {
        Instant started = Instant.now();
        String loadAtStart = loadAverage();
        List<Topology.VpcIntents> topology = Topology.build(settings.vpcs(), settings.networksPerVpc(),
                settings.interfacesPerNetwork(), settings.nodesPerVpc());
        int owners = Topology.owners(topology);
        progress.accept(String.format("topology: %d VPCs x %d networks x %d interfaces = %d owners (%d VPCs, %d networks, "
                        + "%d interfaces) on %d DPU nodes; bridge %s", settings.vpcs(), settings.networksPerVpc(),
                settings.interfacesPerNetwork(), owners, settings.vpcs(), settings.vpcs() * settings.networksPerVpc(),
                settings.vpcs() * settings.networksPerVpc() * settings.interfacesPerNetwork(),
                topology.stream().mapToInt(v -> v.vpc().gateways().size()).sum(), settings.bridgeSettings()));
        if (settings.warmupVpcs() > 0) {
            int w = Math.min(settings.warmupVpcs(), settings.vpcs());
            List<Topology.VpcIntents> small = Topology.build(w, settings.networksPerVpc(), settings.interfacesPerNetwork(),
                    settings.nodesPerVpc());
            progress.accept("warm-up: (0) and (1) with " + w + " VPCs, each on a central of its own (untimed)");
            endToEnd(small, "warm-up (0)", "warmup-entities");
            ours(small, "warm-up (1)", "warmup");
        }
        ConvergeReport.EndToEnd endToEnd = endToEnd(topology, "(0)", "entities");
        ConvergeReport.Ours ours = ours(topology, "(1)", "ours");
        if (endToEnd.rows() != ours.rows()) {
            progress.accept("NOTE: (0) ends with " + endToEnd.rows() + " NB rows, (1) with " + ours.rows() + ": "
                    + ConvergeReport.rowDifference(endToEnd.rowsByTable(), ours.rowsByTable()));
        }
        ConvergeReport.Reference reference = reference(topology, ours.rows());
        ConvergeReport.Raw raw = raw();
        return new ConvergeReport(started, machine(loadAtStart), settings, settings.bridgeSettings().toString(), endToEnd,
                ours, reference, raw);
    }

    // ---- (0) ours end to end ----------------------------------------------------------------------

    private ConvergeReport.EndToEnd endToEnd(List<Topology.VpcIntents> topology, String label, String folder) {
        OvnCentral ovn = startCentral(folder, true);
        try {
            return new EndToEndRun(settings, progress, label).run(topology, ovn, dir.resolve(folder + "-snapshots"));
        } finally {
            ovn.close();
        }
    }

    // ---- (1) ours -------------------------------------------------------------------------------

    /** Collects the bridge's observations: latest per owner, and when every owner was RECONCILED at once. */
    private static final class Convergence {
        final int total;
        final Map<ResourceKey, Northbound.Observed> latest = new ConcurrentHashMap<>();
        final Map<ResourceKind, Integer> totals = new EnumMap<>(ResourceKind.class);
        final Map<ResourceKind, Integer> reconciledByKind = new EnumMap<>(ResourceKind.class);
        final Map<ResourceKind, Long> kindDoneAt = new ConcurrentHashMap<>();
        volatile int reconciled;
        volatile long allAt = -1;
        volatile long messages;

        Convergence(List<TopologyIntent> intents) {
            this.total = intents.size();
            intents.forEach(i -> totals.merge(i.owner().kind(), 1, Integer::sum));
        }

        /** Whether the bridge's latest word on {@code owner} is RECONCILED at {@code generation} or later. */
        boolean reconciledAt(ResourceKey owner, long generation) {
            Northbound.Observed o = latest.get(owner);
            return o != null && o.generation() >= generation && o.state() == Northbound.State.RECONCILED;
        }

        /** Called by the collector actor only. */
        void on(Northbound.Observed observed) {
            messages++;
            Northbound.Observed previous = latest.put(observed.owner(), observed);
            boolean was = previous != null && previous.state() == Northbound.State.RECONCILED;
            boolean is = observed.state() == Northbound.State.RECONCILED;
            if (was == is) {
                return;
            }
            long now = System.nanoTime();
            ResourceKind kind = observed.owner().kind();
            int byKind = reconciledByKind.merge(kind, is ? 1 : -1, Integer::sum);
            if (byKind == totals.getOrDefault(kind, -1)) {
                kindDoneAt.putIfAbsent(kind, now);
            }
            reconciled += is ? 1 : -1;
            if (reconciled == total && allAt < 0) {
                allAt = now;
            }
        }

        /** States of the owners not reconciled, with one example message each. */
        String notReconciled() {
            Map<String, Integer> counts = new TreeMap<>();
            Map<String, String> example = new TreeMap<>();
            latest.values().stream().filter(o -> o.state() != Northbound.State.RECONCILED).forEach(o -> {
                String key = o.state() + "/" + o.reason();
                counts.merge(key, 1, Integer::sum);
                example.putIfAbsent(key, o.owner() + ": " + o.message());
            });
            int silent = total - latest.size();
            StringBuilder text = new StringBuilder();
            counts.forEach((k, n) -> text.append("\n  ").append(n).append(" ").append(k).append(", e.g. ").append(example.get(k)));
            if (silent > 0) {
                text.append("\n  ").append(silent).append(" owners never heard from the bridge");
            }
            return text.toString();
        }
    }

    private ConvergeReport.Ours ours(List<Topology.VpcIntents> topology, String label, String folder) {
        List<TopologyIntent> intents = new ArrayList<>();
        topology.forEach(v -> intents.addAll(v.all()));
        OvnCentral ovn = startCentral(folder, true);
        ActorSystem<Void> system = null;
        try (NbTimeline timeline = NbTimeline.start(ovn.nbTcpEndpoint())) {
            system = ActorSystem.create(Behaviors.empty(), "bench-converge", quietConfig());
            NorthboundBridge.Settings bridgeSettings = settings.bridgeSettings();
            OvsdbClient client = OvsdbClient.start(OvsdbClientOptions.builder(ovn.nbTcpEndpoint()).databases(NB).build());
            ActorRef<NorthboundBridge.Message> bridge = system.systemActorOf(NorthboundBridge.create(client, bridgeSettings),
                    "nb-bridge", Props.empty());
            Convergence convergence = new Convergence(intents);
            Behavior<Northbound.Observed> collect = Behaviors.receive(Northbound.Observed.class)
                    .onMessage(Northbound.Observed.class, o -> {
                        convergence.on(o);
                        return Behaviors.same();
                    }).build();
            ActorRef<Northbound.Observed> collector = system.systemActorOf(collect, "collector", Props.empty());
            awaitConnected(system, bridge);

            Cpu cpu = new Cpu(ovn);
            progress.accept(label + " publishing " + intents.size() + " intents to one NorthboundBridge");
            long t0 = System.nanoTime();
            for (TopologyIntent intent : intents) {
                bridge.tell(new NorthboundBridge.FromEntity(new Northbound.Publish(Topology.ISOLATION_CLASS, intent, collector)));
            }
            long deadline = t0 + settings.timeout().toNanos();
            long nextProgress = t0 + PROGRESS_EVERY_NANOS;
            while (convergence.allAt < 0) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    NorthboundBridge.Stats stats = stats(system, bridge);
                    throw new BenchmarkFailedException(label + " did not converge within " + settings.timeout().toSeconds()
                            + " s: " + convergence.reconciled + " of " + convergence.total + " owners RECONCILED, "
                            + timeline.rows.value() + " NB rows, bridge " + stats + convergence.notReconciled());
                }
                if (now >= nextProgress) {
                    nextProgress += PROGRESS_EVERY_NANOS;
                    NorthboundBridge.Stats stats = stats(system, bridge);
                    progress.accept(String.format("%s %5.1f s: %d/%d owners RECONCILED, NB rows %d (reroute policies %d, "
                                    + "ports with northd's address %d), bridge: %d txns, %d ops, %d dirty, %d in flight",
                            label, (now - t0) / 1e9, convergence.reconciled, convergence.total, timeline.rows.value(),
                            timeline.egressPolicies.value(), timeline.addressedPorts.value(), stats.transactions(),
                            stats.operations(), stats.dirty(), stats.inFlight()));
                }
                sleep(10);
            }
            long allAt = convergence.allAt;
            Cpu.Used used = cpu.since();
            // Our monitor may trail the bridge's by a moment: let it catch up before reading the finals.
            sleep(500);
            NorthboundBridge.Stats stats = stats(system, bridge);
            long rows = timeline.rows.value();
            Map<String, Long> byTable = countRowsByTable(ovn.nbTcpEndpoint());
            long counted = byTable.values().stream().mapToLong(Long::longValue).sum();
            if (counted != rows) {
                sleep(2000);
                rows = timeline.rows.value();
                if (counted != rows) {
                    throw new BenchmarkFailedException(label + ": our monitor shows " + rows + " NB rows, a select counts "
                            + counted);
                }
            }
            long egress = timeline.egressPolicies.value();
            long addressed = timeline.addressedPorts.value();
            double seconds = (allAt - t0) / 1e9;
            double rowsIn = since(t0, timeline.rows.firstReached(rows));
            // Everything but the reroute policies: the first time rows - policies were all in.
            double firstPass = since(t0, timeline.otherRows.firstReached(rows - egress));
            double addresses = since(t0, timeline.addressedPorts.firstReached(addressed));
            ConvergeReport.Ours result = new ConvergeReport.Ours(intents.size(), rows, stats.transactions(), stats.operations(),
                    stats.failedTransactions(), seconds, rowsIn, firstPass, addresses, egress, addressed,
                    since(t0, convergence.kindDoneAt.getOrDefault(ResourceKind.DPU_VPC, -1L)),
                    since(t0, convergence.kindDoneAt.getOrDefault(ResourceKind.DPU_VIRTUAL_NETWORK, -1L)),
                    since(t0, convergence.kindDoneAt.getOrDefault(ResourceKind.SERVICE_INTERFACE, -1L)),
                    convergence.messages, used.seconds(),
                    timeline.addressedPorts.bursts(t0, TimeUnit.MILLISECONDS.toNanos(200)), byTable, stats.ownersPlanned(),
                    plannedBecause(stats), null);
            progress.accept(String.format("%s converged: %d owners RECONCILED in %.3f s, %d NB rows (all in at %.3f s), "
                            + "%d transactions, %d operations; CPU %s", label, intents.size(), seconds, rows, rowsIn,
                    stats.transactions(), stats.operations(), used));
            ConvergeReport.IdleChanges idle = idleVpcChanges(topology, ovn, system, bridge, collector, convergence);
            progress.accept(label + " " + idle.describe(intents.size()));
            return result.withIdle(idle);
        } catch (Exception e) {
            throw failed(label, e);
        } finally {
            terminate(system);
            ovn.close();
        }
    }

    /** Lone VPC changes measured after (1) converged: the "single change on an idle system". */
    static final int IDLE_CHANGES = 20;

    /**
     * {@link #IDLE_CHANGES} VPC intents published one at a time on the converged bridge, each with
     * {@code interNetworkAccess} flipped and its generation raised (one policy more or less in NB),
     * the next once the last is RECONCILED, the bridge has had no flush for its idle period (so
     * that each takes the bridge's idle path) and ovn-northd is quiet: at 10,000 interfaces each
     * change costs it a recompute of seconds, which would otherwise share the machine with the
     * next change (as {@code vpc simulate}'s quiet probes wait). Measures publish to RECONCILED
     * (read every 0.2 ms), and the bridge's planning (translation and diff) over those changes
     * from its own histogram.
     */
    private ConvergeReport.IdleChanges idleVpcChanges(List<Topology.VpcIntents> topology, OvnCentral ovn,
                                                      ActorSystem<Void> system,
                                                      ActorRef<NorthboundBridge.Message> bridge,
                                                      ActorRef<Northbound.Observed> collector, Convergence convergence) {
        NorthboundBridge.Stats before = stats(system, bridge);
        double[] millis = new double[IDLE_CHANGES];
        int noisy = 0;
        for (int k = 0; k < IDLE_CHANGES; k++) {
            sleep(NorthboundBridge.IDLE_AFTER.toMillis() * 2);
            if (Double.isNaN(CpuTimes.awaitQuiet(() -> northdPid(ovn), CpuTimes.QUIET_WINDOW, CpuTimes.QUIET_SHARE,
                    CpuTimes.QUIET_CAP))) {
                noisy++;
            }
            TopologyIntent.Vpc vpc = topology.get(k % topology.size()).vpc();
            long generation = vpc.generation() + 1 + k / topology.size();
            boolean access = (k / topology.size()) % 2 == 0 ? !vpc.interNetworkAccess() : vpc.interNetworkAccess();
            TopologyIntent.Vpc changed = new TopologyIntent.Vpc(vpc.owner(), generation, access, vpc.networks(),
                    vpc.gateways());
            long t = System.nanoTime();
            bridge.tell(new NorthboundBridge.FromEntity(new Northbound.Publish(Topology.ISOLATION_CLASS, changed, collector)));
            long deadline = t + TimeUnit.SECONDS.toNanos(30);
            while (!convergence.reconciledAt(vpc.owner(), generation)) {
                if (System.nanoTime() > deadline) {
                    throw new BenchmarkFailedException("a lone change of " + vpc.owner() + " (generation " + generation
                            + ") was not RECONCILED within 30 s: " + convergence.latest.get(vpc.owner()));
                }
                // Not a spin: on two cores a spinning reader would take one from the bridge it times.
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
            millis[k] = (System.nanoTime() - t) / 1e6;
        }
        NorthboundBridge.Stats after = stats(system, bridge);
        List<Double> inOrder = Arrays.stream(millis).boxed().toList();
        Arrays.sort(millis);
        long plans = after.planning().count() - before.planning().count();
        double planSeconds = after.planning().sumSeconds() - before.planning().sumSeconds();
        return new ConvergeReport.IdleChanges(IDLE_CHANGES, LatencyRecorder.percentile(millis, 50),
                LatencyRecorder.percentile(millis, 99), millis[millis.length - 1], plans,
                plans == 0 ? 0 : planSeconds * 1000 / plans, after.transactions() - before.transactions(), inOrder, noisy,
                after.partsPlanned() - before.partsPlanned(), after.rowsPlanned() - before.rowsPlanned());
    }

    private static Long northdPid(OvnCentral ovn) {
        for (OvnCentral.DaemonStatus daemon : ovn.status()) {
            if (daemon.name().equals("ovn-northd") && daemon.pid().isPresent()) {
                return daemon.pid().getAsLong();
            }
        }
        return null;
    }

    /** {@code e} as the failure of phase {@code label}: as it is if it already is a {@link BenchmarkFailedException}. */
    static BenchmarkFailedException failed(String label, Exception e) {
        return e instanceof BenchmarkFailedException b ? b : new BenchmarkFailedException(label + " failed: " + e, e);
    }

    /** Terminates {@code system} (null: none), waiting up to 30 s. */
    static void terminate(ActorSystem<?> system) {
        if (system != null) {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the central is stopped anyway
            }
        }
    }

    private static double since(long t0, long t) {
        return t < 0 ? Double.NaN : Math.max(0, t - t0) / 1e9;
    }

    private void awaitConnected(ActorSystem<Void> system, ActorRef<NorthboundBridge.Message> bridge) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!stats(system, bridge).connected()) {
            if (System.nanoTime() > deadline) {
                throw new BenchmarkFailedException("the bridge did not connect and monitor NB within 30 s");
            }
            sleep(20);
        }
    }

    static NorthboundBridge.Stats stats(ActorSystem<Void> system, ActorRef<NorthboundBridge.Message> bridge) {
        CompletionStage<NorthboundBridge.Stats> reply = AskPattern.ask(bridge, NorthboundBridge.GetStats::new,
                Duration.ofSeconds(30), system.scheduler());
        return await(reply, 35);
    }

    // ---- (2) the reference's way ------------------------------------------------------------------

    /** One owner's reconcile the reference's way: connect, monitor everything, plan it alone, write, close. */
    private record Reconciled(boolean done, boolean wrote, long connectNanos, long planNanos, long transactNanos) {}

    private ConvergeReport.Reference reference(List<Topology.VpcIntents> topology, long oursRows) {
        int sampleVpcs = Math.min(settings.referenceVpcs(), topology.size());
        List<TopologyIntent> sample = new ArrayList<>();
        topology.subList(0, sampleVpcs).forEach(v -> sample.addAll(v.all()));
        String label = "(2)";
        OvnCentral ovn = startCentral("reference", true);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Cpu cpu = new Cpu(ovn);
            progress.accept(label + " the reference's way: " + sample.size() + " owners of the first " + sampleVpcs
                    + " VPCs, one reconcile (fresh connection, full monitor, plan, one transaction, close) each, budget "
                    + settings.referenceBudget().toSeconds() + " s");
            OvsdbClientOptions options = OvsdbClientOptions.builder(ovn.nbTcpEndpoint()).databases(NB).eventLoopGroup(group)
                    .build();
            long budget = settings.referenceBudget().toNanos();
            long t0 = System.nanoTime();
            long nextProgress = t0 + PROGRESS_EVERY_NANOS;
            List<TopologyIntent> pending = new ArrayList<>(sample);
            long reconciles = 0;
            long transactions = 0;
            long connectNanos = 0;
            long planNanos = 0;
            long transactNanos = 0;
            long idleNanos = 0;
            int passes = 0;
            boolean budgetHit = false;
            while (!pending.isEmpty() && !budgetHit) {
                passes++;
                List<TopologyIntent> again = new ArrayList<>();
                boolean progressed = false;
                for (int i = 0; i < pending.size(); i++) {
                    TopologyIntent intent = pending.get(i);
                    Reconciled r = reconcileOnce(options, intent);
                    reconciles++;
                    connectNanos += r.connectNanos();
                    planNanos += r.planNanos();
                    transactNanos += r.transactNanos();
                    if (r.wrote()) {
                        transactions++;
                        progressed = true;
                    }
                    if (!r.done()) {
                        again.add(intent);
                    }
                    long now = System.nanoTime();
                    if (now >= nextProgress) {
                        nextProgress += PROGRESS_EVERY_NANOS;
                        progress.accept(String.format("%s %5.1f s: pass %d, %d reconciles, %d transactions, %d owners still "
                                + "to do", label, (now - t0) / 1e9, passes, reconciles, transactions,
                                again.size() + pending.size() - i - 1));
                    }
                    if (now - t0 >= budget) {
                        budgetHit = true;
                        again.addAll(pending.subList(i + 1, pending.size()));
                        break;
                    }
                }
                pending = again;
                if (!pending.isEmpty() && !progressed && !budgetHit) {
                    // Waiting for northd's addresses: the reference requeues; do not spin.
                    long s = System.nanoTime();
                    sleep(100);
                    idleNanos += System.nanoTime() - s;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Cpu.Used used = cpu.since();
            long rows = countRows(ovn.nbTcpEndpoint());
            int done = sample.size() - pending.size();
            double rowsPerSecond = rows / seconds;
            double extrapolated = oursRows / rowsPerSecond;
            ConvergeReport.Reference result = new ConvergeReport.Reference(sampleVpcs, sample.size(), done, rows, transactions,
                    reconciles, passes, seconds, budgetHit, connectNanos / 1e9, planNanos / 1e9, transactNanos / 1e9,
                    idleNanos / 1e9, oursRows, extrapolated, used.seconds());
            progress.accept(String.format("%s %d of %d owners done in %.3f s: %d rows, %d transactions, %d reconciles; "
                            + "%.0f rows/s, so %d rows would take ~%.0f s; CPU %s", label, done, sample.size(), seconds, rows,
                    transactions, reconciles, rowsPerSecond, oursRows, extrapolated, used));
            return result;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            ovn.close();
        }
    }

    private Reconciled reconcileOnce(OvsdbClientOptions options, TopologyIntent intent) {
        long start = System.nanoTime();
        try (OvsdbClient client = await(OvsdbClient.connect(options), 30)) {
            Monitor monitor = await(client.monitor(NbTables.monitorRequest()), 60);
            long monitored = System.nanoTime();
            Translation translation = TopologyTranslator.translate(intent, new CacheObservations(monitor.cache()));
            Plan plan = NbPlanner.plan(monitor.cache(), List.of(translation.rows()));
            long planned = System.nanoTime();
            if (!plan.isEmpty()) {
                List<OperationResult> results = await(client.transact(NB, plan.operations()), 60);
                Objects.requireNonNull(results);
            }
            long written = System.nanoTime();
            boolean done = translation.waitingFor().isEmpty() && plan.summary(intent.owner()).deferred().isEmpty();
            return new Reconciled(done, !plan.isEmpty(), monitored - start, planned - monitored, written - planned);
        }
    }

    // ---- (3) raw ---------------------------------------------------------------------------------

    private ConvergeReport.Raw raw() {
        String label = "(3)";
        OvnCentral ovn = startCentral("raw", false);
        try {
            int n = settings.rawObjects();
            int warm = Math.min(5_000, n);
            progress.accept(label + " raw JSON-RPC writer: " + warm + " objects untimed, then " + settings.rawRepeats() + " x "
                    + n + " objects (one switch + one port per transaction, 100 in flight), NB without northd");
            ovn.wipeNb();
            new RawJsonRpcWriter("127.0.0.1", ovn.nbPort(), 100).createSwitches(0, warm);
            List<Double> runs = new ArrayList<>();
            for (int r = 0; r < settings.rawRepeats(); r++) {
                ovn.wipeNb();
                long nanos = new RawJsonRpcWriter("127.0.0.1", ovn.nbPort(), 100).createSwitches(0, n);
                long rows = countRows(ovn.nbTcpEndpoint());
                if (rows != 2L * n) {
                    throw new BenchmarkFailedException(label + ": expected " + 2L * n + " rows, counted " + rows);
                }
                runs.add(nanos / 1e9);
                progress.accept(String.format("%s run %d: %.3f s, %.0f rows/s", label, r + 1, nanos / 1e9, 2.0 * n / (nanos / 1e9)));
            }
            List<Double> sorted = new ArrayList<>(runs);
            Collections.sort(sorted);
            double median = sorted.get(sorted.size() / 2);
            return new ConvergeReport.Raw(n, 2L * n, n, median, runs);
        } catch (IOException e) {
            throw new BenchmarkFailedException(label + " failed: " + e, e);
        } finally {
            ovn.close();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private OvnCentral startCentral(String folder, boolean northd) {
        long t = System.nanoTime();
        OvnCentral ovn = OvnCentral.builder(dir.resolve(folder)).northd(northd).stopOnJvmExit(true).start();
        progress.accept(String.format("  OVN central for %s (northd %s) up in %.1f s, NB %s", folder, northd ? "on" : "off",
                (System.nanoTime() - t) / 1e9, ovn.nbTcpEndpoint()));
        return ovn;
    }

    /** Rows in every managed NB table, with one select per table on a connection of its own. */
    public static long countRows(String endpoint) {
        return countRowsByTable(endpoint).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows per managed NB table (all of them, also those with none), in one transaction of selects. */
    static Map<String, Long> countRowsByTable(String endpoint) {
        try (OvsdbClient client = await(OvsdbClient.connect(OvsdbClientOptions.builder(endpoint).databases(NB).build()), 30)) {
            List<String> tables = List.copyOf(NbTables.MANAGED);
            List<Operation> selects = tables.stream().map(t -> (Operation) Operation.select(t).columns("_uuid")).toList();
            List<OperationResult> results = await(client.transact(NB, selects), 60);
            Map<String, Long> rows = new TreeMap<>();
            for (int i = 0; i < tables.size(); i++) {
                rows.put(tables.get(i), (long) results.get(i).rows().size());
            }
            return rows;
        }
    }

    private static Config quietConfig() {
        return ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING\n"
                + "pekko.log-dead-letters = off\npekko.log-dead-letters-during-shutdown = off\n")
                .withFallback(ConfigFactory.load());
    }

    static <T> T await(CompletionStage<T> stage, int seconds) {
        try {
            return stage.toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new BenchmarkFailedException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new BenchmarkFailedException("no answer within " + seconds + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailedException("interrupted", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailedException("interrupted", e);
        }
    }

    /** CPU seconds of this JVM and of the central's daemons, from /proc (10 ms ticks). */
    static final class Cpu {
        record Used(Map<String, Double> seconds) {
            @Override
            public String toString() {
                StringBuilder text = new StringBuilder();
                seconds.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append(' ')
                        .append(String.format("%.2f s", v)));
                return text.toString();
            }
        }

        private final Map<String, Long> pids = new LinkedHashMap<>();
        private final Map<String, Double> start = new LinkedHashMap<>();

        Cpu(OvnCentral ovn) {
            pids.put("this JVM", ProcessHandle.current().pid());
            for (OvnCentral.DaemonStatus d : ovn.status()) {
                if (d.pid().isPresent()) {
                    pids.put(d.name(), d.pid().getAsLong());
                }
            }
            pids.forEach((name, pid) -> start.put(name, seconds(pid)));
        }

        Used since() {
            Map<String, Double> used = new LinkedHashMap<>();
            pids.forEach((name, pid) -> used.put(name, Math.round((seconds(pid) - start.get(name)) * 100) / 100.0));
            return new Used(used);
        }

        private static double seconds(long pid) {
            return CpuTimes.ofProcess(pid);
        }
    }

    static String loadAverage() {
        return io.dpuvpc.simulator.bench.CpuTimes.loadAverage();
    }

    private static ConvergeReport.Machine machine(String loadAtStart) {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
        } catch (IOException e) {
            // keep "unknown CPU"
        }
        String ovs = ExternalCommand.run("ovsdb-server", "--version").stdout().lines().findFirst().orElse("ovsdb-server ?");
        String northd = ExternalCommand.run("ovn-northd", "--version").stdout().lines().findFirst().orElse("ovn-northd ?");
        return new ConvergeReport.Machine(Runtime.getRuntime().availableProcessors(), cpu,
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.vm.version"),
                ovs, northd, loadAtStart, loadAverage());
    }
}
