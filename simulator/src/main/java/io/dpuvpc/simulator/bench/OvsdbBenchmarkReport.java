package io.dpuvpc.simulator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one run of {@link OvsdbWriteBenchmark} measured, with the machine and settings it ran on.
 * The same figures go to the table and to JSON.
 *
 * @param warmupRounds untimed rounds of (1), (2) and (3) run before the timed rows
 */
public record OvsdbBenchmarkReport(Instant started, Machine machine, OvsdbWriteBenchmark.Settings settings, int warmupRounds,
                                   List<BenchmarkRow> rows) {

    /**
     * Where the figures come from. The load averages say whether something else ran meanwhile:
     * client and server share the cores.
     */
    public record Machine(int cores, String cpu, String os, String java, String ovsdbServer, String loadAverageAtStart,
                          String loadAverageAtEnd) {
    }

    public OvsdbBenchmarkReport {
        rows = List.copyOf(rows);
    }

    public Optional<BenchmarkRow> row(String key) {
        return rows.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    /** (1) over (3) in transactions per second: how close the client comes to the wire. */
    public Optional<Double> pipelinedToRawTransactions() {
        return ratio(OvsdbWriteBenchmark.CLIENT_PIPELINED, OvsdbWriteBenchmark.RAW_JSONRPC, false);
    }

    /** (2) over (3) in rows per second: what batching buys. */
    public Optional<Double> batchedToRawRows() {
        return ratio(OvsdbWriteBenchmark.CLIENT_BATCHED, OvsdbWriteBenchmark.RAW_JSONRPC, true);
    }

    private Optional<Double> ratio(String top, String bottom, boolean rowsPerSecond) {
        Optional<BenchmarkRow> a = row(top);
        Optional<BenchmarkRow> b = row(bottom);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(rowsPerSecond ? a.get().rowsPerSecond() / b.get().rowsPerSecond()
            : a.get().transactionsPerSecond() / b.get().transactionsPerSecond());
    }

    /** The human-readable table, with the settings above it and the ratios below. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "OVSDB write benchmark, %s%n", started));
        out.append("work: create N logical switches with one port each (2 rows per object) in a fresh OVN_Northbound\n");
        out.append(String.format(Locale.ROOT, "machine: %d cores, %s, %s, Java %s, %s%n", machine.cores(), machine.cpu(),
            machine.os(), machine.java(), machine.ovsdbServer()));
        out.append(String.format(Locale.ROOT, "load average (1/5/15 min): %s at start, %s at end%n", machine.loadAverageAtStart(),
            machine.loadAverageAtEnd()));
        out.append(String.format(Locale.ROOT, "settings: client maxInFlight %d, batch %d objects per transaction, "
                + "raw writer %d in flight,%n          (1)-(3) run %d times each, interleaved, after %d warm-up rounds of %d objects "
                + "through (1)-(3)%n%n", settings.maxInFlight(), settings.batchSize(), settings.rawInFlight(), settings.repeats(),
            warmupRounds, settings.warmupObjects()));
        out.append(String.format(Locale.ROOT, "%-44s %8s %8s %9s %9s %11s %11s  %s%n", "row", "objects", "seconds", "txn/s",
            "rows/s", "client CPU", "server CPU", "txn/s of each run"));
        for (BenchmarkRow r : rows) {
            String each = r.runs().stream().map(run -> String.format(Locale.ROOT, "%.0f", r.transactions() / run.seconds()))
                .collect(Collectors.joining(" "));
            out.append(String.format(Locale.ROOT, "%-44s %8d %8.3f %9.0f %9.0f %10.2fs %10.2fs  %s%n", r.label(), r.objects(),
                r.seconds(), r.transactionsPerSecond(), r.rowsPerSecond(), r.clientCpuSeconds(), r.serverCpuSeconds(), each));
        }
        out.append("figures are those of the median run; each run starts on an empty database and is verified by counting rows\n");
        out.append("client CPU: this JVM plus the ovn-nbctl processes it ran (not the nbctl daemon's own); "
            + "server CPU: the NB ovsdb-server\n");
        out.append('\n');
        pipelinedToRawTransactions().ifPresent(x -> out.append(String.format(Locale.ROOT,
            "(1)/(3) txn/s:  %.2f  (our client, one object per transaction, against the raw writer)%n", x)));
        batchedToRawRows().ifPresent(x -> out.append(String.format(Locale.ROOT,
            "(2)/(3) rows/s: %.2f  (our client, %d objects per transaction, against the raw writer)%n", x, settings.batchSize())));
        return out.toString();
    }

    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("benchmark", "ovsdb-write");
        root.put("started", started.toString());
        root.put("work", "create N logical switches with one port each (2 rows per object) in a fresh OVN_Northbound");
        ObjectNode m = root.putObject("machine");
        m.put("cores", machine.cores());
        m.put("cpu", machine.cpu());
        m.put("os", machine.os());
        m.put("java", machine.java());
        m.put("ovsdbServer", machine.ovsdbServer());
        m.put("loadAverageAtStart", machine.loadAverageAtStart());
        m.put("loadAverageAtEnd", machine.loadAverageAtEnd());
        ObjectNode s = root.putObject("settings");
        s.put("objects", settings.objects());
        s.put("nbctlObjects", settings.nbctlObjects());
        s.put("maxInFlight", settings.maxInFlight());
        s.put("batchSize", settings.batchSize());
        s.put("rawInFlight", settings.rawInFlight());
        s.put("repeats", settings.repeats());
        s.put("warmupObjects", settings.warmupObjects());
        s.put("warmupRounds", warmupRounds);
        ArrayNode list = root.putArray("rows");
        for (BenchmarkRow r : rows) {
            ObjectNode row = list.addObject();
            row.put("key", r.key());
            row.put("label", r.label());
            row.put("objects", r.objects());
            row.put("transactions", r.transactions());
            row.put("rows", r.rows());
            row.put("seconds", r.seconds());
            row.put("transactionsPerSecond", r.transactionsPerSecond());
            row.put("rowsPerSecond", r.rowsPerSecond());
            row.put("clientCpuSeconds", r.clientCpuSeconds());
            row.put("serverCpuSeconds", r.serverCpuSeconds());
            row.put("verifiedSwitches", r.verifiedSwitches());
            row.put("verifiedPorts", r.verifiedPorts());
            ArrayNode runs = row.putArray("runs");
            for (BenchmarkRow.Run run : r.runs()) {
                ObjectNode o = runs.addObject();
                o.put("seconds", run.seconds());
                o.put("transactionsPerSecond", r.transactions() / run.seconds());
                o.put("rowsPerSecond", r.rows() / run.seconds());
                o.put("clientCpuSeconds", run.clientCpuSeconds());
                o.put("serverCpuSeconds", run.serverCpuSeconds());
                o.put("verifiedSwitches", run.verifiedSwitches());
                o.put("verifiedPorts", run.verifiedPorts());
            }
        }
        ObjectNode ratios = root.putObject("ratios");
        pipelinedToRawTransactions().ifPresent(x -> ratios.put("pipelinedToRawTransactionsPerSecond", x));
        batchedToRawRows().ifPresent(x -> ratios.put("batchedToRawRowsPerSecond", x));
        return root;
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
    }
}
