package io.dpuvpc.simulator.report;

import static io.dpuvpc.simulator.report.SimulationFixtures.result;
import static io.dpuvpc.simulator.report.SimulationFixtures.sample;
import static io.dpuvpc.simulator.report.SimulationFixtures.threeSamples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationResultTest {

    @Test
    void ratesComeFromConsecutiveSamples() {
        SimulationResult r = result(true, threeSamples(), new double[0], List.of());

        assertThat(r.ratePerInterval(Sample::nbTransactions)).containsExactly(new double[] {1, 100}, new double[] {3, 200});
        assertThat(r.peakNbTransactionsPerSecond()).isEqualTo(200);
        assertThat(r.peakNbRowsPerSecond()).isEqualTo(2_000);
        assertThat(r.meanNbTransactionsPerSecond()).isCloseTo(500 / 3.0, within(1e-9));
        assertThat(r.meanNbRowsPerSecond()).isCloseTo(5_000 / 3.0, within(1e-9));
        assertThat(r.peakSbTransactionsPerSecond()).isEqualTo(20);
        assertThat(r.peakSbRowsPerSecond()).isEqualTo(200);
        assertThat(r.meanSbTransactionsPerSecond()).isCloseTo(50 / 3.0, within(1e-9));
        assertThat(r.meanSbRowsPerSecond()).isCloseTo(500 / 3.0, within(1e-9));
        assertThat(r.peakHeapBytes()).isEqualTo(300);
        assertThat(r.peakRssBytes()).isEqualTo(3_000);
        assertThat(r.meanEventsPerSecond()).isCloseTo(350 / 3.0, within(1e-9));
    }

    @Test
    void unknownEventsAndShortRunsGiveNoRate() {
        SimulationResult unknownEvents = result(true, List.of(sample(0, 0, 0, 0, 0, 0, 1, 1, -1),
            sample(2, 10, 4, 4, 0, 0, 1, 1, -1)), new double[0], List.of());
        SimulationResult oneSample = result(true, List.of(sample(0, 0, 7, 7, 7, 7, 5, 6, 9)), new double[0], List.of());
        SimulationResult empty = result(false, List.of(), new double[0], List.of());

        assertThat(unknownEvents.meanEventsPerSecond()).isEqualTo(-1);
        assertThat(unknownEvents.meanNbTransactionsPerSecond()).isEqualTo(2);
        assertThat(oneSample.peakNbTransactionsPerSecond()).isZero();
        assertThat(oneSample.meanNbRowsPerSecond()).isZero();
        assertThat(oneSample.meanEventsPerSecond()).isEqualTo(-1);
        assertThat(oneSample.peakRssBytes()).isEqualTo(6);
        assertThat(empty.peakHeapBytes()).isZero();
        assertThat(empty.ratePerInterval(Sample::sbRows)).isEmpty();
    }

    @Test
    void intervalWithoutDurationIsLeftOut() {
        SimulationResult r = result(true, List.of(sample(1, 0, 0, 0, 0, 0, 0, 0, 0), sample(1, 0, 5, 0, 0, 0, 0, 0, 0),
            sample(2, 0, 9, 0, 0, 0, 0, 0, 0)), new double[0], List.of());

        assertThat(r.ratePerInterval(Sample::nbTransactions)).containsExactly(new double[] {2, 4});
    }

    @Test
    void keepsTheCallersOrderAndCopiesItsArray() {
        double[] cdf = {1, 2, 3};
        SimulationResult r = result(true, threeSamples(), cdf, List.of());
        cdf[0] = 99;
        r.latencyCdfMillis()[1] = 99;

        assertThat(r.latencyCdfMillis()).containsExactly(1, 2, 3);
        assertThat(r.parameters().keySet()).containsExactly("dpus", "vpcs", "controllers");
    }
}
