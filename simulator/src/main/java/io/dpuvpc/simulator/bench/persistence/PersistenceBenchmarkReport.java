package io.dpuvpc.simulator.bench.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What one run of {@link PersistenceBenchmark} measured: (A) Cassandra and (B) the in-memory
 * journal side by side, with the machine and settings. The same figures go to the table and JSON.
 */
public record PersistenceBenchmarkReport(Instant started, Machine machine, PersistenceBenchmark.Settings settings,
                                         List<JournalResult> results) {

    /** Where the figures come from; the load averages say whether something else ran meanwhile. */
    /**
     * @param commonPoolParallelism {@code ForkJoinPool.commonPool()}'s: at 1, CompletableFuture's
     *                              async stages (Pekko's javadsl pipeToSelf and context.ask) start a
     *                              new thread per completion
     */
    public record Machine(int cores, String cpu, String os, String java, long maxHeapBytes, int commonPoolParallelism,
                          String loadAverageAtStart, String loadAverageAtEnd) {
    }

    public PersistenceBenchmarkReport {
        results = List.copyOf(results);
    }

    public JournalResult cassandra() {
        return result(PersistenceBenchmark.CASSANDRA);
    }

    public JournalResult inMemory() {
        return result(PersistenceBenchmark.IN_MEMORY);
    }

    private JournalResult result(String key) {
        return results.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    /** (A) over (B) in events written per second, both rounds together. */
    public double writeRatio() {
        return cassandra().writes().eventsPerSecond() / inMemory().writes().eventsPerSecond();
    }

    /** (A) over (B) in recovery time (a ratio above 1: Cassandra takes longer). */
    public double recoveryTimeRatio() {
        return cassandra().recovery().seconds() / inMemory().recovery().seconds();
    }

    public String table() {
        JournalResult a = cassandra();
        JournalResult b = inMemory();
        int n = settings.entities();
        int k = settings.networksPerEntity();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Persistence benchmark, %s%n", started));
        out.append(String.format(Locale.ROOT, "work: %d DpuVpcEntity actors; round 1: Apply (1 event each); round 2: %d "
                + "AttachNetwork each (1 event each);%n      then every actor stopped and spawned again until GetStatus "
                + "shows what was written%n", n, k));
        out.append(String.format(Locale.ROOT, "machine: %d cores, %s, %s, Java %s, max heap %d MB, common pool parallelism %d%n",
                machine.cores(), machine.cpu(), machine.os(), machine.java(), machine.maxHeapBytes() / (1024 * 1024),
                machine.commonPoolParallelism()));
        out.append(String.format(Locale.ROOT, "load average (1/5/15 min): %s at start, %s at end%n",
                machine.loadAverageAtStart(), machine.loadAverageAtEnd()));
        out.append(String.format(Locale.ROOT, "settings: at most %d asks in flight, untimed in-memory warm-up of %d entities; "
                + "(A) recovers in %s, (B) in %s%n", settings.maxInFlight(), settings.warmupEntities(), a.recoveredIn(),
                b.recoveredIn()));
        out.append(String.format(Locale.ROOT, "%s: node started in %.1f s (untimed)%n", a.label(), a.serverStartSeconds()));
        out.append(String.format(Locale.ROOT, "%s%n%n", b.label()));

        out.append(String.format(Locale.ROOT, "%-46s %20s %20s %8s%n", "measure", "(A) Cassandra", "(B) in-memory", "A/B"));
        row(out, "start " + n + " new entities (empty recovery), /s", a.start(), b.start(), Phase::operationsPerSecond);
        row(out, "round 1: Apply, events/s", a.apply(), b.apply(), Phase::eventsPerSecond);
        row(out, "round 2: AttachNetwork, events/s", a.attach(), b.attach(), Phase::eventsPerSecond);
        row(out, "all writes (" + a.writes().events() + " events), events/s", a.writes(), b.writes(), Phase::eventsPerSecond);
        row(out, "recovery of " + n + " entities, entities/s", a.recovery(), b.recovery(), Phase::operationsPerSecond);
        row(out, "recovery, events replayed/s", a.recovery(), b.recovery(), Phase::eventsPerSecond);
        out.append(String.format(Locale.ROOT, "%-46s %20d %20d %8.2f%n", "heap per idle entity, bytes",
                a.heap().bytesPerEntity(), b.heap().bytesPerEntity(),
                (double) a.heap().bytesPerEntity() / b.heap().bytesPerEntity()));
        out.append("(seconds in brackets; every reply was checked, and every recovered entity showed its own spec, "
                + "generation 1 and its " + k + " networks)\n\n");

        out.append(String.format(Locale.ROOT, "%-46s %12s %14s %12s%n", "CPU seconds", "(A) our JVM", "(A) Cassandra",
                "(B) our JVM"));
        cpu(out, "start new entities", a.start(), b.start());
        cpu(out, "all writes", a.writes(), b.writes());
        cpu(out, "recovery", a.recovery(), b.recovery());
        out.append(String.format(Locale.ROOT, "%nA/B: writes %.2f of the in-memory rate; recovery takes %.1f times as long%n",
                writeRatio(), recoveryTimeRatio()));
        return out.toString();
    }

    private static void row(StringBuilder out, String label, Phase a, Phase b, ToDoubleFunction<Phase> rate) {
        double ra = rate.applyAsDouble(a);
        double rb = rate.applyAsDouble(b);
        out.append(String.format(Locale.ROOT, "%-46s %20s %20s %8.2f%n", label, cell(ra, a.seconds()), cell(rb, b.seconds()),
                ra / rb));
    }

    private static String cell(double rate, double seconds) {
        return String.format(Locale.ROOT, "%,.0f (%.2f s)", rate, seconds);
    }

    private static void cpu(StringBuilder out, String label, Phase a, Phase b) {
        out.append(String.format(Locale.ROOT, "%-46s %12.2f %14.2f %12.2f%n", label, a.jvmCpuSeconds(), a.serverCpuSeconds(),
                b.jvmCpuSeconds()));
    }

    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("benchmark", "persistence");
        root.put("started", started.toString());
        root.put("work", "N DpuVpcEntity actors: Apply (1 event each), then K AttachNetwork each; all stopped and recovered");
        root.set("machine", mapper.valueToTree(machine));
        ObjectNode s = root.putObject("settings");
        s.put("entities", settings.entities());
        s.put("networksPerEntity", settings.networksPerEntity());
        s.put("maxInFlight", settings.maxInFlight());
        s.put("warmupEntities", settings.warmupEntities());
        s.put("askTimeoutSeconds", settings.askTimeout().toSeconds());
        ObjectNode journals = root.putObject("journals");
        for (JournalResult r : results) {
            ObjectNode j = journals.putObject(r.key());
            j.put("label", r.label());
            j.put("recoveredIn", r.recoveredIn());
            j.put("serverStartSeconds", r.serverStartSeconds());
            phase(j.putObject("start"), r.start());
            phase(j.putObject("apply"), r.apply());
            phase(j.putObject("attach"), r.attach());
            phase(j.putObject("writes"), r.writes());
            phase(j.putObject("recovery"), r.recovery());
            ObjectNode h = j.putObject("heap");
            h.put("entities", r.heap().entities());
            h.put("usedWithEntities", r.heap().usedWithEntities());
            h.put("usedWithout", r.heap().usedWithout());
            h.put("bytesPerEntity", r.heap().bytesPerEntity());
        }
        ObjectNode ratios = root.putObject("ratios");
        ratios.put("writeEventsPerSecondAtoB", writeRatio());
        ratios.put("recoverySecondsAtoB", recoveryTimeRatio());
        ratios.put("heapPerEntityAtoB", (double) cassandra().heap().bytesPerEntity() / inMemory().heap().bytesPerEntity());
        return root;
    }

    private static void phase(ObjectNode o, Phase p) {
        o.put("what", p.what());
        o.put("operations", p.operations());
        o.put("events", p.events());
        o.put("seconds", p.seconds());
        o.put("operationsPerSecond", p.operationsPerSecond());
        o.put("eventsPerSecond", p.eventsPerSecond());
        o.put("jvmCpuSeconds", p.jvmCpuSeconds());
        if (!Double.isNaN(p.serverCpuSeconds())) {
            o.put("serverCpuSeconds", p.serverCpuSeconds());
        }
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
    }

    static Machine machine(String loadAtStart) {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst()
                    .orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep "unknown CPU"
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu,
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory(), java.util.concurrent.ForkJoinPool.getCommonPoolParallelism(), loadAtStart,
                loadAverage());
    }

    /** The 1, 5 and 15 minute load averages, e.g. "0.12 0.30 0.25", or "?" off Linux. */
    static String loadAverage() {
        return io.dpuvpc.simulator.bench.CpuTimes.loadAverage();
    }
}
