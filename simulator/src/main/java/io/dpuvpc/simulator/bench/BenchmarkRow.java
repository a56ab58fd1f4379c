package io.dpuvpc.simulator.bench;

import java.util.Comparator;
import java.util.List;

/**
 * One way of creating {@code objects} switch-plus-port objects, measured one or more times, each
 * time on a fresh database. The figures are those of the median run (by wall time).
 *
 * @param key          a stable name for JSON and scripts, e.g. {@code client-pipelined}
 * @param label        what the row is, for the table
 * @param objects      logical switches created per run, each with one port
 * @param transactions OVSDB transactions per run that carried them
 * @param rows         rows written per run (switches plus ports)
 * @param runs         every run, in the order they ran
 */
public record BenchmarkRow(String key, String label, int objects, long transactions, long rows, List<Run> runs) {

    /**
     * One verified run.
     *
     * @param seconds          wall time from the first request to the last reply
     * @param clientCpuSeconds CPU time of the benchmark JVM and of the tool processes it ran and
     *                         waited for, meanwhile (not an ovn-nbctl daemon's own)
     * @param serverCpuSeconds CPU time of the NB ovsdb-server, meanwhile
     * @param verifiedSwitches Logical_Switch rows counted in the database afterwards
     * @param verifiedPorts    Logical_Switch_Port rows counted in the database afterwards
     */
    public record Run(double seconds, double clientCpuSeconds, double serverCpuSeconds, long verifiedSwitches, long verifiedPorts) {
    }

    public BenchmarkRow {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a benchmark row needs at least one run");
        }
    }

    /** The run whose wall time is the median (the faster of the middle two for an even count). */
    public Run median() {
        List<Run> sorted = runs.stream().sorted(Comparator.comparingDouble(Run::seconds)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    public double seconds() {
        return median().seconds();
    }

    public double transactionsPerSecond() {
        return transactions / seconds();
    }

    public double rowsPerSecond() {
        return rows / seconds();
    }

    public double clientCpuSeconds() {
        return median().clientCpuSeconds();
    }

    public double serverCpuSeconds() {
        return median().serverCpuSeconds();
    }

    /** The fewest switches any run left (every run is checked; this is for reports). */
    public long verifiedSwitches() {
        return runs.stream().mapToLong(Run::verifiedSwitches).min().orElse(0);
    }

    /** The fewest ports any run left. */
    public long verifiedPorts() {
        return runs.stream().mapToLong(Run::verifiedPorts).min().orElse(0);
    }
}
