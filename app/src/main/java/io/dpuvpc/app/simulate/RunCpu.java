package io.dpuvpc.app.simulate;

import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.simulator.bench.CpuTimes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CPU seconds each process of a simulation has used: the controllers, Cassandra, ovn-northd,
 * the two ovsdb-servers and the simulator's own JVM (its simulated agents and ovn-controllers, its
 * admin client, its OVSDB monitors). On a machine whose cores all of them share, this says where a
 * run's time went, which the "say where the time goes" asks; the controllers' share alone
 * (the timeline's {@code cpu_seconds}) cannot.
 */
final class RunCpu {
    private final Supplier<Map<String, Long>> pids;

    /** {@code pids}: each process's label and pid, read at every reading (a restarted daemon has a new one). */
    RunCpu(Supplier<Map<String, Long>> pids) {
        this.pids = pids;
    }

    /** The processes of {@code cluster} and {@code ovn}, and this JVM, labelled as a report shows them. */
    static RunCpu of(ControllerCluster cluster, OvnCentral ovn) {
        return new RunCpu(() -> {
            Map<String, Long> pids = new LinkedHashMap<>();
            cluster.controllers().forEach(c -> pids.put(c.name(), c.pid()));
            cluster.cassandra().pid().ifPresent(pid -> pids.put("Cassandra", pid));
            ovn.status().forEach(d -> d.pid().ifPresent(pid -> pids.put(d.name(), pid)));
            pids.put("simulator", ProcessHandle.current().pid());
            return pids;
        });
    }

    /** CPU seconds used so far, by label; a process that cannot be read is left out. */
    Map<String, Double> now() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        pids.get().forEach((label, pid) -> {
            double s = CpuTimes.ofProcess(pid);
            if (!Double.isNaN(s)) {
                seconds.put(label, s);
            }
        });
        return seconds;
    }

    /**
     * Waits until the process labelled {@code label} has used at most {@code maxShare} of a core
     * over one whole {@code window}, e.g. ovn-northd between two recomputes. Returns the seconds
     * waited, or NaN if it was not that quiet within {@code cap} or cannot be read.
     */
    double awaitQuiet(String label, Duration window, double maxShare, Duration cap) {
        return CpuTimes.awaitQuiet(() -> pids.get().get(label), window, maxShare, cap);
    }

    /** What each process used since {@code start} (both from {@link #now()}); labels missing from either are left out. */
    static Map<String, Double> since(Map<String, Double> start, Map<String, Double> end) {
        Map<String, Double> used = new LinkedHashMap<>();
        end.forEach((label, s) -> {
            Double before = start.get(label);
            if (before != null && s >= before) {
                used.put(label, Math.round((s - before) * 100) / 100.0);
            }
        });
        return used;
    }

    /**
     * One line: each process's seconds, largest first, then their sum against what the machine's
     * cores could give in {@code wallSeconds}, e.g. "controller-1 150.2 s, Cassandra 98.1 s; 248.3 s
     * of the 2 cores' 438.0 s".
     */
    static String describe(Map<String, Double> used, double wallSeconds, int cores) {
        StringBuilder line = new StringBuilder();
        used.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> {
            if (line.length() > 0) {
                line.append(", ");
            }
            line.append(String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()));
        });
        double sum = used.values().stream().mapToDouble(Double::doubleValue).sum();
        return line + String.format(Locale.ROOT, "; %.1f s of the %d cores' %.1f s", sum, cores, cores * wallSeconds);
    }
}
