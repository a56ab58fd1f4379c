package io.dpuvpc.simulator.bench;

import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.WorkFolders;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.TableCache;
import io.dpuvpc.ovn.ovsdb.typed.nb.Northbound;
import io.dpuvpc.simulator.fleet.Poll;
import io.dpuvpc.simulator.fleet.SimulatedChassis;
import io.dpuvpc.simulator.fleet.SimulatedOvnControllers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * How long a simulated fleet takes to come up against a real OVN central: register {@code dpus}
 * chassis, then claim {@code ports} logical ports (spread round-robin over the DPUs) until
 * ovn-northd has set every one of their {@code Logical_Switch_Port}s up in the Northbound. Run
 * twice, each on a fresh central: with the simulator's batched transactions, and with one
 * transaction per chassis and per port binding (the baseline).
 *
 * <p>The logical switches and ports are written first (100 ports a switch, one transaction a
 * switch) and northd has laid out every Port_Binding before the clock starts: what is timed is
 * the fleet's part alone, plus northd's reaction to it.
 *
 * <p>{@code main [dpus] [ports]}, 1,000 and 10,000 by default; prints a table on stdout,
 * progress on stderr.
 */
public final class FleetBindBenchmark {
    private static final String NB = Northbound.DATABASE;
    private static final int PORTS_PER_SWITCH = 100;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** One run: seconds to register every chassis, and from then until every port is up. */
    public record Result(String label, int dpus, int ports, double registerSeconds, double boundSeconds,
                         double upSeconds, SimulatedOvnControllers.Counters counters, Map<String, Double> cpuSeconds) {
        double totalSeconds() {
            return registerSeconds + upSeconds;
        }
    }

    private FleetBindBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int dpus = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int ports = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        System.out.print(table(compare(dpus, ports, System.err::println)));
    }

    /**
     * The two measured runs, batched then one transaction per row, after a small warm-up run of
     * each (so that neither measured run pays for the JIT alone), in a temp folder removed after.
     */
    public static List<Result> compare(int dpus, int ports, Consumer<String> progress) throws IOException {
        Path dir = Files.createTempDirectory("fleet-bench-");
        try {
            run(dir, "warm-up batched", SimulatedOvnControllers.Settings.batched(), 50, 500, s -> { });
            run(dir, "warm-up per row", SimulatedOvnControllers.Settings.perRow(), 50, 500, s -> { });
            progress.accept("load average before the runs: " + CpuTimes.loadAverage());
            return List.of(
                run(dir, "(1) batched", SimulatedOvnControllers.Settings.batched(), dpus, ports, progress),
                run(dir, "(2) one txn per row", SimulatedOvnControllers.Settings.perRow(), dpus, ports, progress));
        } finally {
            WorkFolders.deleteTree(dir);
        }
    }

    public static Result run(Path dir, String label, SimulatedOvnControllers.Settings settings, int dpus, int ports,
                             Consumer<String> progress) {
        List<SimulatedChassis> fleet = IntStream.range(0, dpus).mapToObj(SimulatedChassis::numbered).toList();
        Path work = dir.resolve(label.replaceAll("[^a-z0-9]+", "-"));
        try (OvnCentral ovn = OvnCentral.builder(work).northd(true).stopOnJvmExit(true).start();
             OvsdbClient nb = await(OvsdbClient.connect(OvsdbClientOptions.builder(ovn.nbTcpEndpoint()).databases(NB).build()))) {
            Monitor lsps = await(nb.monitor(MonitorRequest.builder(NB).table("Logical_Switch_Port", List.of("name", "up")).build()));
            createPorts(nb, ports);
            try (SimulatedOvnControllers sim = SimulatedOvnControllers.connect(ovn.sbTcpEndpoint(), settings, TIMEOUT)) {
                awaitTrue("northd lays out " + ports + " port bindings", () -> sim.portBindingCount() >= ports);
                progress.accept(label + ": " + ports + " ports laid out by northd; registering " + dpus + " chassis");

                Map<String, Long> pids = new LinkedHashMap<>();
                pids.put("this JVM", ProcessHandle.current().pid());
                ovn.status().forEach(d -> d.pid().ifPresent(pid -> pids.put(d.name(), pid)));
                Map<String, Double> cpuAtStart = new LinkedHashMap<>();
                pids.forEach((name, pid) -> cpuAtStart.put(name, CpuTimes.ofProcess(pid)));
                long start = System.nanoTime();
                await(sim.register(fleet));
                long registered = System.nanoTime();
                for (int i = 0; i < ports; i++) {
                    sim.claim(fleet.get(i % dpus).name(), portName(i));
                }
                long[] bound = {0};
                TableCache nbPorts = lsps.cache().table("Logical_Switch_Port");
                awaitTrue("every port up in the NB", () -> {
                    if (bound[0] == 0 && await(sim.boundCount()) == ports) {
                        bound[0] = System.nanoTime();
                    }
                    return upCount(nbPorts) == ports;
                });
                long up = System.nanoTime();
                if (bound[0] == 0) {
                    bound[0] = up;
                }
                Map<String, Double> cpu = new LinkedHashMap<>();
                pids.forEach((name, pid) -> cpu.put(name, Math.round((CpuTimes.ofProcess(pid) - cpuAtStart.get(name)) * 100) / 100.0));
                Result result = new Result(label, dpus, ports, seconds(start, registered), seconds(registered, bound[0]),
                    seconds(registered, up), sim.counters(), cpu);
                progress.accept(String.format("%s: registered in %.2f s, bound in the SB after %.2f s, all up in the NB after %.2f s",
                    label, result.registerSeconds(), result.boundSeconds(), result.upSeconds()));
                return result;
            }
        }
    }

    public static String table(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-22s %6s %7s %12s %12s %12s %10s %8s %8s %6s%n", "run", "DPUs", "ports", "register s",
            "SB bound s", "NB all up s", "total s", "txns", "ops", "failed"));
        for (Result r : results) {
            out.append(String.format("%-22s %6d %7d %12.2f %12.2f %12.2f %10.2f %8d %8d %6d%n", r.label(), r.dpus(), r.ports(),
                r.registerSeconds(), r.boundSeconds(), r.upSeconds(), r.totalSeconds(), r.counters().transactions(),
                r.counters().operations(), r.counters().failed()));
        }
        for (Result r : results) {
            out.append(String.format("%-22s CPU seconds while timed: %s%n", r.label(), r.cpuSeconds()));
        }
        if (results.size() == 2) {
            out.append(String.format("per-row / batched, total time: %.1fx%n", results.get(1).totalSeconds() / results.get(0).totalSeconds()));
        }
        return out.toString();
    }

    /** Switches of {@value #PORTS_PER_SWITCH} ports, one transaction a switch, all pipelined. */
    private static void createPorts(OvsdbClient nb, int ports) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int from = 0; from < ports; from += PORTS_PER_SWITCH) {
            List<Operation> ops = new ArrayList<>();
            Set<Object> refs = new HashSet<>();
            for (int i = from; i < Math.min(ports, from + PORTS_PER_SWITCH); i++) {
                Operation.Insert lsp = Operation.insert("Logical_Switch_Port").value("name", portName(i)).withUuidName("p" + i);
                ops.add(lsp);
                refs.add(lsp.ref());
            }
            ops.add(Operation.insert("Logical_Switch").values(Map.of("name", "fleet-sw-" + from / PORTS_PER_SWITCH, "ports", refs)));
            pending.add(nb.transact(NB, ops).toCompletableFuture());
        }
        await(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));
    }

    private static long upCount(TableCache lsps) {
        long n = 0;
        for (Row row : lsps.rows()) {
            if (row.bool("up").orElse(false)) {
                n++;
            }
        }
        return n;
    }

    private static String portName(int i) {
        return String.format("fleet-p%05d", i);
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        Poll.until(what, TIMEOUT, Duration.ofMillis(20), condition);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailedException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new BenchmarkFailedException(e.getCause() == null ? e.toString() : e.getCause().toString());
        }
    }
}
