package io.dpuvpc.simulator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * CPU time spent so far, from {@code /proc/PID/stat} (Linux; clock ticks of 10 ms): by this JVM
 * plus the child processes it has waited for (the {@code ovn-nbctl} runs), and by the
 * ovsdb-server. Where a row's wall time went, on a machine whose cores the client and the
 * server share.
 *
 * @param client seconds of this JVM and its reaped children
 * @param server seconds of the server process
 */
public record CpuTimes(double client, double server) {
    private static final double TICK = 0.01;
    private static final double TICKS_PER_SECOND = 100.0;

    static CpuTimes now(long serverPid) {
        return new CpuTimes(selfAndChildren(), serverPid > 0 ? ofProcess(serverPid) : Double.NaN);
    }

    CpuTimes since(CpuTimes start) {
        return new CpuTimes(ticks(client - start.client), ticks(server - start.server));
    }

    /** Whole ticks again, without the binary fraction noise of the subtraction. */
    private static double ticks(double seconds) {
        return Double.isNaN(seconds) ? seconds : Math.round(seconds / TICK) / TICKS_PER_SECOND;
    }

    private static double selfAndChildren() {
        long[] f = fields("self");
        // utime, stime, cutime, cstime
        return f == null ? Double.NaN : (f[0] + f[1] + f[2] + f[3]) * TICK;
    }

    /** User plus system CPU seconds a process has used so far; NaN if unreadable. */
    public static double ofProcess(long pid) {
        long[] f = fields(Long.toString(pid));
        return f == null ? Double.NaN : (f[0] + f[1]) * TICK;
    }

    /**
     * "Quiet" for ovn-northd before a probe of an idle system: at most {@link #QUIET_SHARE} of a
     * core over a whole {@link #QUIET_WINDOW} (it is not recomputing), waited for at most
     * {@link #QUIET_CAP}. Used by {@code vpc simulate} and {@code vpc bench converge}.
     */
    public static final Duration QUIET_WINDOW = Duration.ofMillis(250);
    public static final double QUIET_SHARE = 0.05;
    public static final Duration QUIET_CAP = Duration.ofSeconds(30);

    /**
     * Waits until the process {@code pid} names (asked again at every window: a restarted daemon
     * has a new one; null when there is none) has used at most {@code maxShare} of a core over one
     * whole {@code window}, e.g. ovn-northd between two recomputes. Returns the seconds waited, or
     * NaN if it was not that quiet within {@code cap} or cannot be read.
     */
    public static double awaitQuiet(Supplier<Long> pid, Duration window, double maxShare, Duration cap) {
        long start = System.nanoTime();
        long deadline = start + cap.toNanos();
        while (System.nanoTime() < deadline) {
            Long now = pid.get();
            double before = now == null ? Double.NaN : ofProcess(now);
            if (Double.isNaN(before)) {
                return Double.NaN;
            }
            try {
                Thread.sleep(window.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for process " + now + " to be quiet", e);
            }
            double used = ofProcess(now) - before;
            if (used <= maxShare * window.toNanos() / 1e9) {
                return (System.nanoTime() - start) / 1e9;
            }
        }
        return Double.NaN;
    }

    /** Fields 14-17 of proc(5) stat: utime, stime, cutime, cstime; null if unreadable. */
    private static long[] fields(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // rest[0] is field 3 (state): field n is rest[n - 3]
            return new long[] {Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[13]), Long.parseLong(rest[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The 1, 5 and 15 minute load averages, e.g. "0.12 0.30 0.25", or "?" off Linux. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
