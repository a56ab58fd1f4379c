package io.dpuvpc.simulator.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Samples and results for the report tests; the counts not under test are fixed. */
final class SimulationFixtures {

    private SimulationFixtures() {}

    /** 10 interfaces, 4 networks, 2 VPCs, 3 nodes in all; CPU unknown. */
    static Sample sample(double seconds, long interfacesReady, long nbTransactions, long nbRows, long sbTransactions,
                         long sbRows, long heapBytes, long rssBytes, long eventsPersisted) {
        return new Sample(seconds, interfacesReady, 10, Math.min(4, interfacesReady), 4, Math.min(2, interfacesReady), 2,
            3, 3, nbTransactions, nbRows, sbTransactions, sbRows, heapBytes, heapBytes / 2, rssBytes, eventsPersisted, -1);
    }

    /** 0 s, 1 s and 3 s: NB 100 then 200 txn/s, SB 10 then 20 txn/s, rows ten times that. */
    static List<Sample> threeSamples() {
        return List.of(
            sample(0, 0, 0, 0, 0, 0, 100, 1_000, 0),
            sample(1, 4, 100, 1_000, 10, 100, 300, 2_000, 50),
            sample(3, 10, 500, 5_000, 50, 500, 200, 3_000, 350));
    }

    static SimulationResult result(boolean converged, List<Sample> samples, double[] cdf, List<String> notes) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("dpus", "1000");
        parameters.put("vpcs", "2");
        parameters.put("controllers", "a,b");
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("idle single-change p99 ms", 12.5);
        LatencyRecorder.Latencies latencies = cdf.length == 0 ? LatencyRecorder.Latencies.NONE
            : new LatencyRecorder.Latencies(cdf.length, LatencyRecorder.percentile(cdf, 50),
                LatencyRecorder.percentile(cdf, 90), LatencyRecorder.percentile(cdf, 99), cdf[cdf.length - 1], 0);
        return new SimulationResult(parameters, converged, converged ? 3.0 : -1, latencies, cdf, samples, figures, notes);
    }
}
