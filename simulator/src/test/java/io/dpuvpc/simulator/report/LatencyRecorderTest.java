package io.dpuvpc.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000L;

    /** Objects 1..100 applied a millisecond apart, object i Ready i ms after its apply. */
    private static LatencyRecorder oneToHundredMillis() {
        LatencyRecorder recorder = new LatencyRecorder(T0);
        for (int i = 1; i <= 100; i++) {
            recorder.applied("if-" + i, T0 + i * MS);
        }
        for (int i = 100; i >= 1; i--) {
            assertThat(recorder.ready("if-" + i, T0 + 2 * i * MS)).isTrue();
        }
        return recorder;
    }

    @Test
    void percentilesAreNearestRankOverTheExactLatencies() {
        LatencyRecorder.Latencies l = oneToHundredMillis().summary();

        assertThat(l.count()).isEqualTo(100);
        assertThat(l.p50Ms()).isEqualTo(50.0);
        assertThat(l.p90Ms()).isEqualTo(90.0);
        assertThat(l.p99Ms()).isEqualTo(99.0);
        assertThat(l.maxMs()).isEqualTo(100.0);
        assertThat(l.meanMs()).isCloseTo(50.5, within(1e-9));
    }

    @Test
    void theSlowestKeyIsNamed() {
        assertThat(new LatencyRecorder(T0).slowest()).isNull();
        assertThat(oneToHundredMillis().slowest()).isEqualTo("if-100");
    }

    @Test
    void sortedMillisHistogramAndLastReadyAgree() {
        LatencyRecorder recorder = oneToHundredMillis();

        double[] sorted = recorder.sortedMillis();
        assertThat(sorted).hasSize(100);
        assertThat(sorted[0]).isEqualTo(1.0);
        assertThat(sorted[99]).isEqualTo(100.0);
        Histogram micros = recorder.histogram();
        assertThat(micros.getTotalCount()).isEqualTo(100);
        assertThat((double) micros.getValueAtPercentile(50)).isCloseTo(50_000, within(50.0));
        assertThat((double) micros.getMaxValue()).isCloseTo(100_000, within(100.0));
        // The last Ready is object 100's, at 200 ms after t0.
        assertThat(recorder.lastReadySeconds()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void histogramIsACopy() {
        LatencyRecorder recorder = oneToHundredMillis();
        recorder.histogram().recordValue(1);

        assertThat(recorder.histogram().getTotalCount()).isEqualTo(100);
    }

    @Test
    void firstApplyWinsAndDuplicateOrUnknownReadiesAreIgnored() {
        LatencyRecorder recorder = new LatencyRecorder(0);
        recorder.applied("a", 10 * MS);
        recorder.applied("a", 30 * MS);

        assertThat(recorder.ready("unknown", 40 * MS)).isFalse();
        assertThat(recorder.ready("a", 40 * MS)).isTrue();
        assertThat(recorder.ready("a", 90 * MS)).isFalse();
        // A re-apply after Ready (a retried request) must not start a second measurement.
        recorder.applied("a", 100 * MS);
        assertThat(recorder.ready("a", 120 * MS)).isFalse();

        assertThat(recorder.appliedCount()).isEqualTo(1);
        assertThat(recorder.readyCount()).isEqualTo(1);
        assertThat(recorder.sortedMillis()).containsExactly(30.0);
        assertThat(recorder.lastReadySeconds()).isCloseTo(0.04, within(1e-12));
    }

    @Test
    void notReadyIsACopyOfThePendingKeys() {
        LatencyRecorder recorder = new LatencyRecorder(0);
        recorder.applied("a", 0);
        recorder.applied("b", 0);
        recorder.applied("c", 0);
        recorder.ready("b", MS);

        assertThat(recorder.notReady()).containsExactlyInAnyOrder("a", "c");
        recorder.notReady().clear();
        assertThat(recorder.notReady()).hasSize(2);
        assertThat(recorder.appliedCount()).isEqualTo(3);
        assertThat(recorder.readyCount()).isEqualTo(1);
    }

    @Test
    void emptyRecorderHasNoLatencies() {
        LatencyRecorder recorder = new LatencyRecorder(0);

        assertThat(recorder.summary()).isEqualTo(LatencyRecorder.Latencies.NONE);
        assertThat(recorder.sortedMillis()).isEmpty();
        assertThat(recorder.lastReadySeconds()).isEqualTo(-1);
        assertThat(recorder.histogram().getTotalCount()).isZero();
    }

    @Test
    void readyBeforeItsApplyOnTheClockCountsAsZero() {
        LatencyRecorder recorder = new LatencyRecorder(0);
        recorder.applied("a", 10 * MS);

        assertThat(recorder.ready("a", 9 * MS)).isTrue();
        assertThat(recorder.sortedMillis()).containsExactly(0.0);
    }

    @Test
    void manyKeysGrowTheStore() {
        LatencyRecorder recorder = new LatencyRecorder(0);
        for (int i = 0; i < 5_000; i++) {
            recorder.applied("k" + i, 0);
            recorder.ready("k" + i, (i + 1) * 1_000L);
        }

        assertThat(recorder.readyCount()).isEqualTo(5_000);
        assertThat(recorder.summary().maxMs()).isEqualTo(5.0);
        assertThat(recorder.notReady()).isEmpty();
    }

    @Test
    void percentileIsNearestRank() {
        double[] sorted = {1, 2, 3, 4};

        assertThat(LatencyRecorder.percentile(sorted, 0)).isEqualTo(1);
        assertThat(LatencyRecorder.percentile(sorted, 50)).isEqualTo(2);
        assertThat(LatencyRecorder.percentile(sorted, 51)).isEqualTo(3);
        assertThat(LatencyRecorder.percentile(sorted, 100)).isEqualTo(4);
        assertThat(LatencyRecorder.percentile(new double[0], 50)).isNaN();
    }
}
