package io.dpuvpc.simulator.bench;

import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.WorkFolders;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * How fast can we write to the OVN Northbound database, and how far is our client from the wire?
 *
 * <p>One unit of work, an <em>object</em>, is a logical switch with one logical switch port: two
 * rows, inserted in one transaction as {@code insert Logical_Switch_Port (uuid-name p)} then
 * {@code insert Logical_Switch ports=[p]}. The same N objects are created five ways, each on a
 * fresh, empty NB {@code ovsdb-server} that this class starts itself (northd off, in a temp
 * folder; the database is wiped and the server restarted before every run):
 * <ol>
 *   <li>{@value #CLIENT_PIPELINED}: our {@link OvsdbClient}, one object per transaction, all
 *       submitted at once so that {@code maxInFlight} transactions are on the wire;</li>
 *   <li>{@value #CLIENT_BATCHED}: our client, {@code batchSize} objects per transaction;</li>
 *   <li>{@value #RAW_JSONRPC}: the physical limit, the transactions of (1) as ready-made JSON
 *       text over a plain socket ({@link RawJsonRpcWriter});</li>
 *   <li>{@value #NBCTL_PROCESS}: one {@code ovn-nbctl} process per object;</li>
 *   <li>{@value #NBCTL_DAEMON}: {@code ovn-nbctl} in daemon mode.</li>
 * </ol>
 * After each run the Logical_Switch and Logical_Switch_Port rows are counted with a
 * {@code select}; a wrong count fails the benchmark with a {@link BenchmarkFailedException}, so
 * a figure is never printed for work that was not done. Before the timed rows, untimed rounds of
 * (1), (2) and (3) warm up the JIT until it is nearly quiet. Rows (1)-(3) run {@code repeats}
 * times, interleaved, and report their median run: client and server share two cores with
 * whatever else the machine runs, and single runs of two seconds scatter by ±20% there.
 *
 * <p>Timing runs from the first request to the last reply; connecting, starting the nbctl daemon
 * and counting are outside it. Each run also records the CPU time of this JVM and of the server
 * ({@link CpuTimes}), which says which side was the bottleneck.
 */
public final class OvsdbWriteBenchmark {
    public static final String CLIENT_PIPELINED = "client-pipelined";
    public static final String CLIENT_BATCHED = "client-batched";
    public static final String RAW_JSONRPC = "raw-jsonrpc";
    public static final String NBCTL_PROCESS = "nbctl-process";
    public static final String NBCTL_DAEMON = "nbctl-daemon";

    static final String NB = OvnCentral.NB_DATABASE;
    private static final long ROW_TIMEOUT_MINUTES = 30;
    private static final int MAX_WARMUP_ROUNDS = 8;

    /**
     * @param objects       objects for rows (1)-(3)
     * @param nbctlObjects  objects for rows (4) and (5); 0 leaves them out
     * @param maxInFlight   the client's bound on transactions in flight in (1) and (2)
     * @param batchSize     objects per transaction in (2)
     * @param rawInFlight   requests in flight for the raw writer (3)
     * @param repeats       runs of each of (1)-(3), interleaved; the median is reported ((4) and (5) run once)
     * @param warmupObjects objects for (1), (2) and (3) in each untimed warm-up round; 0 skips warming up
     */
    public record Settings(int objects, int nbctlObjects, int maxInFlight, int batchSize, int rawInFlight, int repeats,
                           int warmupObjects) {
        public static final int DEFAULT_OBJECTS = 20_000;
        public static final int DEFAULT_NBCTL_OBJECTS = 500;
        /** Like the raw writer's window, so that (1) and (3) differ only in the software. */
        public static final int DEFAULT_MAX_IN_FLIGHT = 100;
        /** Measured here: the server's CPU per object grows beyond about 100 objects per transaction (docs/BENCHMARKS.md). */
        public static final int DEFAULT_BATCH_SIZE = 100;
        public static final int DEFAULT_RAW_IN_FLIGHT = 100;
        public static final int DEFAULT_REPEATS = 3;
        public static final int DEFAULT_WARMUP_OBJECTS = 5_000;

        public Settings {
            if (objects < 1 || nbctlObjects < 0 || maxInFlight < 1 || batchSize < 1 || rawInFlight < 1 || repeats < 1
                || warmupObjects < 0) {
                throw new IllegalArgumentException("benchmark settings out of range: " + this);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_OBJECTS, DEFAULT_NBCTL_OBJECTS, DEFAULT_MAX_IN_FLIGHT, DEFAULT_BATCH_SIZE,
                DEFAULT_RAW_IN_FLIGHT, DEFAULT_REPEATS, DEFAULT_WARMUP_OBJECTS);
        }

        /** Also caps the warm-up at {@code n} objects per round. */
        public Settings withObjects(int n) {
            return new Settings(n, nbctlObjects, maxInFlight, batchSize, rawInFlight, repeats, Math.min(warmupObjects, n));
        }

        public Settings withNbctlObjects(int n) {
            return new Settings(objects, n, maxInFlight, batchSize, rawInFlight, repeats, warmupObjects);
        }

        public Settings withMaxInFlight(int n) {
            return new Settings(objects, nbctlObjects, n, batchSize, rawInFlight, repeats, warmupObjects);
        }

        public Settings withBatchSize(int n) {
            return new Settings(objects, nbctlObjects, maxInFlight, n, rawInFlight, repeats, warmupObjects);
        }

        public Settings withRawInFlight(int n) {
            return new Settings(objects, nbctlObjects, maxInFlight, batchSize, n, repeats, warmupObjects);
        }

        public Settings withRepeats(int n) {
            return new Settings(objects, nbctlObjects, maxInFlight, batchSize, rawInFlight, n, warmupObjects);
        }

        public Settings withWarmupObjects(int n) {
            return new Settings(objects, nbctlObjects, maxInFlight, batchSize, rawInFlight, repeats, n);
        }
    }

    private final Settings settings;
    private final Consumer<String> progress;

    private OvsdbWriteBenchmark(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs every row against a lab of its own in a new temp folder, and removes the folder
     * afterwards unless the run failed (then its path, with the server log, is in the message).
     *
     * @param progress where progress lines go (the command line passes stderr)
     * @throws BenchmarkFailedException if a row did not write what it should have
     */
    public static OvsdbBenchmarkReport run(Settings settings, Consumer<String> progress) {
        Path dir;
        try {
            dir = Files.createTempDirectory("vpc-bench-ovsdb-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp folder for the benchmark", e);
        }
        OvsdbBenchmarkReport report;
        try (OvnCentral ovn = OvnCentral.builder(dir).northd(false).stopOnJvmExit(true).start()) {
            report = new OvsdbWriteBenchmark(settings, progress).runAll(ovn);
        } catch (RuntimeException e) {
            throw new BenchmarkFailedException(e.getMessage() + " (lab folder kept: " + dir + ")", e);
        }
        WorkFolders.deleteTree(dir);
        return report;
    }

    /**
     * For running from a classpath without the vpc command:
     * {@code java ... OvsdbWriteBenchmark [objects [nbctlObjects]]}.
     */
    public static void main(String[] args) {
        Settings s = Settings.defaults();
        if (args.length > 0) {
            s = s.withObjects(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            s = s.withNbctlObjects(Integer.parseInt(args[1]));
        }
        System.out.print(run(s, System.err::println).table());
    }

    private OvsdbBenchmarkReport runAll(OvnCentral ovn) {
        Instant started = Instant.now();
        String loadAtStart = CpuTimes.loadAverage();
        int warmupRounds = settings.warmupObjects() > 0 ? warmUp(ovn) : 0;
        int n = settings.objects();
        String pipelined = "(1) client, 1 object/txn, pipelined";
        String batched = "(2) client, " + settings.batchSize() + " objects/txn";
        String raw = "(3) raw JSON-RPC socket, " + settings.rawInFlight() + " in flight";
        List<BenchmarkRow.Run> pipelinedRuns = new ArrayList<>();
        List<BenchmarkRow.Run> batchedRuns = new ArrayList<>();
        List<BenchmarkRow.Run> rawRuns = new ArrayList<>();
        // Interleaved, so that whatever else the machine does meanwhile falls on all three alike.
        for (int i = 1; i <= settings.repeats(); i++) {
            String of = settings.repeats() > 1 ? " [run " + i + "/" + settings.repeats() + "]" : "";
            pipelinedRuns.add(measure(ovn, pipelined + of, n, () -> timeClientPipelined(ovn, n)));
            batchedRuns.add(measure(ovn, batched + of, n, () -> timeClientBatched(ovn, n)));
            rawRuns.add(measure(ovn, raw + of, n, () -> timeRaw(ovn, n)));
        }
        List<BenchmarkRow> rows = new ArrayList<>();
        rows.add(new BenchmarkRow(CLIENT_PIPELINED, pipelined, n, n, 2L * n, pipelinedRuns));
        rows.add(new BenchmarkRow(CLIENT_BATCHED, batched, n, (n + settings.batchSize() - 1) / settings.batchSize(), 2L * n,
            batchedRuns));
        rows.add(new BenchmarkRow(RAW_JSONRPC, raw, n, n, 2L * n, rawRuns));
        int m = settings.nbctlObjects();
        if (m > 0) {
            NbctlRunner nbctl = new NbctlRunner(ovn.nbTcpEndpoint());
            String process = "(4) ovn-nbctl, one process per object";
            rows.add(new BenchmarkRow(NBCTL_PROCESS, process, m, m, 2L * m,
                List.of(measure(ovn, process, m, () -> nbctl.createSwitchesOneProcessEach(0, m, progress)))));
            String daemon = "(5) ovn-nbctl daemon mode";
            rows.add(new BenchmarkRow(NBCTL_DAEMON, daemon, m, m, 2L * m,
                List.of(measure(ovn, daemon, m, () -> nbctl.createSwitchesThroughDaemon(ovn.workDir(), 0, m, progress)))));
        }
        return new OvsdbBenchmarkReport(started, machine(loadAtStart), settings, warmupRounds, rows);
    }

    @FunctionalInterface
    private interface TimedWork {
        long nanos() throws Exception;
    }

    /** The NB ovsdb-server's pid after the latest wipe, or 0 if unknown (its CPU is then NaN). */
    private static long nbServerPid(OvnCentral ovn) {
        return ovn.status().stream()
            .filter(d -> d.name().equals("ovsdb-server nb") && d.pid().isPresent())
            .mapToLong(d -> d.pid().getAsLong())
            .findFirst().orElse(0L);
    }

    /**
     * Untimed rounds of (1), (2) and (3) until the JIT is nearly quiet: on two cores its compiler
     * threads compete with the client and the server, and the client's code paths (Jackson,
     * Netty, CompletableFuture) take tens of thousands of transactions to be compiled. Stops when
     * a round spent less than a tenth of its time compiling (after at least two rounds), or after
     * {@value #MAX_WARMUP_ROUNDS} rounds.
     */
    private int warmUp(OvnCentral ovn) {
        int w = settings.warmupObjects();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        for (int round = 1; round <= MAX_WARMUP_ROUNDS; round++) {
            long jitBefore = jitTimed ? jit.getTotalCompilationTime() : 0;
            long start = System.nanoTime();
            untimed(ovn, "client pipelined", () -> timeClientPipelined(ovn, w));
            untimed(ovn, "client batched", () -> timeClientBatched(ovn, w));
            untimed(ovn, "raw JSON-RPC", () -> timeRaw(ovn, w));
            long wallMillis = (System.nanoTime() - start) / 1_000_000;
            long jitMillis = jitTimed ? jit.getTotalCompilationTime() - jitBefore : 0;
            progress.accept(String.format("warm-up round %d: %d objects each through (1), (2), (3), untimed: %.1f s, JIT compiling %d ms",
                round, w, wallMillis / 1e3, jitMillis));
            if (!jitTimed || (round >= 2 && jitMillis * 10 < wallMillis)) {
                return round;
            }
        }
        return MAX_WARMUP_ROUNDS;
    }

    private void untimed(OvnCentral ovn, String what, TimedWork work) {
        ovn.wipeNb();
        try {
            work.nanos();
        } catch (BenchmarkFailedException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchmarkFailedException("warm-up of " + what + " failed: " + e, e);
        }
    }

    /** Wipes NB, times the work, counts what it wrote: one verified run. */
    private BenchmarkRow.Run measure(OvnCentral ovn, String label, int objects, TimedWork work) {
        ovn.wipeNb();
        progress.accept(label + ": " + objects + " objects ...");
        long serverPid = nbServerPid(ovn);
        long nanos;
        CpuTimes cpu;
        try {
            CpuTimes before = CpuTimes.now(serverPid);
            nanos = work.nanos();
            cpu = CpuTimes.now(serverPid).since(before);
        } catch (BenchmarkFailedException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchmarkFailedException(label + " failed: " + e, e);
        }
        RowCounts counts = countRows(ovn.nbTcpEndpoint());
        if (counts.switches() != objects || counts.ports() != objects) {
            throw new BenchmarkFailedException(label + ": expected " + objects + " Logical_Switch and " + objects
                + " Logical_Switch_Port rows in NB afterwards, found " + counts.switches() + " and " + counts.ports());
        }
        double seconds = nanos / 1e9;
        progress.accept(String.format("    %.3f s, %.0f objects/s, CPU client %.2f s server %.2f s (counted %d switches, %d ports)",
            seconds, objects / seconds, cpu.client(), cpu.server(), counts.switches(), counts.ports()));
        return new BenchmarkRow.Run(seconds, cpu.client(), cpu.server(), counts.switches(), counts.ports());
    }

    private long timeClientPipelined(OvnCentral ovn, int n) throws Exception {
        try (OvsdbClient client = connect(ovn.nbTcpEndpoint(), settings.maxInFlight())) {
            long start = System.nanoTime();
            CompletableFuture<?>[] all = new CompletableFuture<?>[n];
            for (int i = 0; i < n; i++) {
                all[i] = client.transact(NB, objectOperations(i, "p")).toCompletableFuture();
            }
            await(CompletableFuture.allOf(all));
            return System.nanoTime() - start;
        }
    }

    private long timeClientBatched(OvnCentral ovn, int n) throws Exception {
        int batch = settings.batchSize();
        try (OvsdbClient client = connect(ovn.nbTcpEndpoint(), settings.maxInFlight())) {
            long start = System.nanoTime();
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int first = 0; first < n; first += batch) {
                List<Operation> ops = new ArrayList<>(2 * batch);
                for (int i = first; i < Math.min(n, first + batch); i++) {
                    ops.addAll(objectOperations(i, "p" + (i - first)));
                }
                all.add(client.transact(NB, ops).toCompletableFuture());
            }
            await(CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new)));
            return System.nanoTime() - start;
        }
    }

    private long timeRaw(OvnCentral ovn, int n) throws Exception {
        return new RawJsonRpcWriter("127.0.0.1", ovn.nbPort(), settings.rawInFlight()).createSwitches(0, n);
    }

    /** The two inserts of one object; {@code uuidName} must be unique within its transaction. */
    static List<Operation> objectOperations(int index, String uuidName) {
        Operation.Insert port = Operation.insert("Logical_Switch_Port").value("name", portName(index)).withUuidName(uuidName);
        Operation.Insert sw = Operation.insert("Logical_Switch").value("name", switchName(index)).value("ports", Set.of(port.ref()));
        return List.of(port, sw);
    }

    static String switchName(int index) {
        return "ls-" + index;
    }

    static String portName(int index) {
        return "ls-" + index + "-p";
    }

    record RowCounts(long switches, long ports) {
    }

    /** Counts switches and ports in NB with one select each, on a connection of its own. */
    static RowCounts countRows(String nbEndpoint) {
        try (OvsdbClient client = connect(nbEndpoint, 1)) {
            List<OperationResult> results = await(client.transact(NB,
                Operation.select("Logical_Switch").columns("_uuid"),
                Operation.select("Logical_Switch_Port").columns("_uuid")));
            return new RowCounts(results.get(0).rows().size(), results.get(1).rows().size());
        } catch (Exception e) {
            throw new BenchmarkFailedException("cannot count rows in " + nbEndpoint + ": " + e, e);
        }
    }

    private static OvsdbClient connect(String endpoint, int maxInFlight) throws Exception {
        return await(OvsdbClient.connect(OvsdbClientOptions.builder(endpoint).databases(NB).maxInFlight(maxInFlight).build()));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(ROW_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new BenchmarkFailedException("no result within " + ROW_TIMEOUT_MINUTES + " minutes", e);
        }
    }

    private static OvsdbBenchmarkReport.Machine machine(String loadAtStart) {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
        } catch (IOException e) {
            // keep "unknown CPU"
        }
        String ovs = ExternalCommand.run("ovsdb-server", "--version").stdout().lines().findFirst().orElse("ovsdb-server ?");
        return new OvsdbBenchmarkReport.Machine(Runtime.getRuntime().availableProcessors(), cpu,
            System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.vm.version"), ovs,
            loadAtStart, CpuTimes.loadAverage());
    }
}
