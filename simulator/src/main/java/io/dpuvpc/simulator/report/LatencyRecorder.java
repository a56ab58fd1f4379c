package io.dpuvpc.simulator.report;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Apply-to-Ready latency per object of a simulation run, keyed by the caller's object key.
 *
 * <p>An object is pending from its first {@link #applied} until its first {@link #ready}; only the
 * pending ones keep their apply time, so a run of 100,000 objects holds one map entry per object
 * still on its way and one set entry per key seen (needed to ignore a late duplicate). Each latency
 * is also kept exactly, as nanoseconds in a growing array (8 bytes an object), because the summary
 * and the CDF are read off the exact values; the HdrHistogram copy is for callers who want to merge
 * or export it. All methods are synchronized: the poller marks objects Ready while the applier is
 * still applying others.
 */
public final class LatencyRecorder {

    /** Apply-to-Ready latencies in milliseconds; all zero when {@code count} is 0. */
    public record Latencies(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {
        public static final Latencies NONE = new Latencies(0, 0, 0, 0, 0, 0);
    }

    private static final int SIGNIFICANT_DIGITS = 3;
    private static final double NANOS_PER_MILLI = 1e6;

    private final long t0Nanos;
    private final Map<String, Long> pending = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final Histogram micros = new Histogram(SIGNIFICANT_DIGITS);
    private long[] latencyNanos = new long[1024];
    private int readyCount;
    private long lastReadyNanos;
    private String slowest;
    private long slowestNanos = -1;

    /** {@code t0Nanos}: the run's start on the same clock as every later call, for {@link #lastReadySeconds}. */
    public LatencyRecorder(long t0Nanos) {
        this.t0Nanos = t0Nanos;
        micros.setAutoResize(true);
    }

    /** The object was applied at {@code nanos}; a second apply of the same key (a retry) keeps the first time. */
    public synchronized void applied(String key, long nanos) {
        if (seen.add(key)) {
            pending.put(key, nanos);
        }
    }

    /**
     * The object was seen Ready at {@code nanos}. Returns whether that recorded a latency: false for
     * a key never applied or already Ready, which a poller that re-reads every object will send.
     */
    public synchronized boolean ready(String key, long nanos) {
        Long appliedAt = pending.remove(key);
        if (appliedAt == null) {
            return false;
        }
        // A Ready seen in the same clock tick as its apply, or read from a coarser clock, is no
        // reason to drop the object from the count: it took no measurable time.
        long latency = Math.max(0, nanos - appliedAt);
        if (readyCount == latencyNanos.length) {
            latencyNanos = Arrays.copyOf(latencyNanos, readyCount * 2);
        }
        latencyNanos[readyCount++] = latency;
        if (latency > slowestNanos) {
            slowestNanos = latency;
            slowest = key;
        }
        micros.recordValue(latency / 1_000);
        lastReadyNanos = readyCount == 1 ? nanos : Math.max(lastReadyNanos, nanos);
        return true;
    }

    /** The key of the slowest latency recorded (the first of equals); null before any. */
    public synchronized String slowest() {
        return slowest;
    }

    public synchronized int appliedCount() {
        return seen.size();
    }

    public synchronized int readyCount() {
        return readyCount;
    }

    /** The keys applied and not yet Ready: for the report's note on what never converged. */
    public synchronized Set<String> notReady() {
        return new HashSet<>(pending.keySet());
    }

    /** A copy of the latencies in microseconds, 3 significant digits. */
    public synchronized Histogram histogram() {
        return micros.copy();
    }

    /** Percentiles by nearest rank over the exact latencies. */
    public synchronized Latencies summary() {
        if (readyCount == 0) {
            return Latencies.NONE;
        }
        double[] sorted = sortedMillis();
        double sum = 0;
        for (double ms : sorted) {
            sum += ms;
        }
        return new Latencies(sorted.length, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
            sorted[sorted.length - 1], sum / sorted.length);
    }

    /** Every latency in milliseconds, ascending: the CDF's points. */
    public synchronized double[] sortedMillis() {
        long[] sorted = Arrays.copyOf(latencyNanos, readyCount);
        Arrays.sort(sorted);
        double[] ms = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            ms[i] = sorted[i] / NANOS_PER_MILLI;
        }
        return ms;
    }

    /** Seconds from t0 to the latest Ready; -1 if nothing is Ready yet. */
    public synchronized double lastReadySeconds() {
        return readyCount == 0 ? -1 : (lastReadyNanos - t0Nanos) / 1e9;
    }

    /**
     * The nearest-rank {@code percent} percentile (0 to 100) of ascending {@code sorted}: the
     * smallest value with at least that share of values at or below it, so every percentile is a
     * latency that really happened. NaN when empty.
     */
    public static double percentile(double[] sorted, double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // Less a hair, or 99.9% of 1,000 (999.0000000000001 in doubles) would round up to the maximum.
        int rank = (int) Math.ceil(percent / 100 * sorted.length - 1e-9);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
}
