package io.dpuvpc.simulator.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * What a simulation run measured, as {@link SimulationReportWriter} writes it.
 *
 * <p>{@code parameters} and {@code figures} keep the caller's order (the report shows them in it);
 * {@code convergedSeconds} is -1 when the run did not converge; {@code latencyCdfMillis} is the
 * ascending apply-to-Ready latencies ({@link LatencyRecorder#sortedMillis}); {@code notes} are free
 * text lines, such as why the run did not converge. The rates below come from consecutive samples:
 * the counters are cumulative, so an interval's rate is its difference over its duration.
 */
public record SimulationResult(Map<String, String> parameters, boolean converged, double convergedSeconds,
                               LatencyRecorder.Latencies latencies, double[] latencyCdfMillis, List<Sample> samples,
                               Map<String, Double> figures, List<String> notes) {

    public SimulationResult {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        Objects.requireNonNull(latencies, "latencies");
        latencyCdfMillis = latencyCdfMillis.clone();
        samples = List.copyOf(samples);
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        notes = List.copyOf(notes);
    }

    /** A copy: the record's own array must not change under the report. */
    @Override
    public double[] latencyCdfMillis() {
        return latencyCdfMillis.clone();
    }

    /**
     * The rate of a cumulative counter over each interval between consecutive samples, as
     * {@code [endSeconds, perSecond]} pairs. An interval is left out when it has no duration or
     * either end of the counter is unknown (negative).
     */
    public List<double[]> ratePerInterval(ToLongFunction<Sample> counter) {
        List<double[]> rates = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            double rate = rate(samples.get(i - 1), samples.get(i), counter);
            if (!Double.isNaN(rate)) {
                rates.add(new double[] {samples.get(i).seconds(), rate});
            }
        }
        return rates;
    }

    public double peakNbTransactionsPerSecond() {
        return peakRate(Sample::nbTransactions);
    }

    public double peakNbRowsPerSecond() {
        return peakRate(Sample::nbRows);
    }

    public double meanNbTransactionsPerSecond() {
        return meanRate(Sample::nbTransactions);
    }

    public double meanNbRowsPerSecond() {
        return meanRate(Sample::nbRows);
    }

    public double peakSbTransactionsPerSecond() {
        return peakRate(Sample::sbTransactions);
    }

    public double peakSbRowsPerSecond() {
        return peakRate(Sample::sbRows);
    }

    public double meanSbTransactionsPerSecond() {
        return meanRate(Sample::sbTransactions);
    }

    public double meanSbRowsPerSecond() {
        return meanRate(Sample::sbRows);
    }

    /** Events persisted per second from the first sample to the last; -1 when unknown at either end or under two samples. */
    public double meanEventsPerSecond() {
        double rate = firstToLast(Sample::eventsPersisted);
        return Double.isNaN(rate) ? -1 : rate;
    }

    /** The largest summed heap of any sample; 0 with no samples. */
    public long peakHeapBytes() {
        return samples.stream().mapToLong(Sample::heapBytes).max().orElse(0);
    }

    /** The largest summed heap just after a collection of any sample (the live set's bound); 0 with none known. */
    public long peakHeapAfterGcBytes() {
        return samples.stream().mapToLong(Sample::heapAfterGcBytes).max().orElse(0);
    }

    /** The largest summed RSS of any sample; 0 with no samples. */
    public long peakRssBytes() {
        return samples.stream().mapToLong(Sample::rssBytes).max().orElse(0);
    }

    /** The fastest interval; 0 with fewer than two samples. */
    private double peakRate(ToLongFunction<Sample> counter) {
        return ratePerInterval(counter).stream().mapToDouble(r -> r[1]).max().orElse(0);
    }

    /** From the first sample to the last, so idle stretches count; 0 with fewer than two samples. */
    private double meanRate(ToLongFunction<Sample> counter) {
        double rate = firstToLast(counter);
        return Double.isNaN(rate) ? 0 : rate;
    }

    private double firstToLast(ToLongFunction<Sample> counter) {
        return samples.size() < 2 ? Double.NaN : rate(samples.get(0), samples.get(samples.size() - 1), counter);
    }

    /** The counter's rate from one sample to a later one; NaN with no duration or either end unknown. */
    static double rate(Sample from, Sample to, ToLongFunction<Sample> counter) {
        long a = counter.applyAsLong(from);
        long b = counter.applyAsLong(to);
        double dt = to.seconds() - from.seconds();
        return a < 0 || b < 0 || dt <= 0 ? Double.NaN : (b - a) / dt;
    }
}
