package io.dpuvpc.ovn.northbound;

import java.util.List;

/**
 * Round-trip times in fixed buckets, cumulative as Prometheus histograms are. Owned by one actor
 * (not thread safe); {@link #snapshot()} is the immutable copy others read.
 */
public final class LatencyHistogram {
    /** Upper bounds of the buckets, in seconds. */
    public static final List<Double> BOUNDS = List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    /** {@code cumulativeCounts.get(i)}: observations at or under {@code BOUNDS.get(i)}; {@code count} all of them. */
    public record Snapshot(List<Long> cumulativeCounts, long count, double sumSeconds, double maxSeconds) {
        public Snapshot {
            cumulativeCounts = List.copyOf(cumulativeCounts);
        }

        public static final Snapshot EMPTY = new LatencyHistogram().snapshot();
    }

    private final long[] counts = new long[BOUNDS.size()];
    private long count;
    private double sumSeconds;
    private double maxSeconds;

    public void record(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < counts.length; i++) {
            if (seconds <= BOUNDS.get(i)) {
                counts[i]++;
            }
        }
        count++;
        sumSeconds += seconds;
        maxSeconds = Math.max(maxSeconds, seconds);
    }

    public Snapshot snapshot() {
        Long[] copy = new Long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i];
        }
        return new Snapshot(List.of(copy), count, sumSeconds, maxSeconds);
    }
}
