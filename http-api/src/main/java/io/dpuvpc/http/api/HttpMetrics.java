package io.dpuvpc.http.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The admin API's own metrics: requests by method and code, and their latency as a histogram. */
final class HttpMetrics {
    /** Upper bounds of the latency buckets, in seconds. */
    static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder[] buckets = new LongAdder[BOUNDS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();

    HttpMetrics() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(String method, int code, long nanos) {
        requests.computeIfAbsent(method + " " + code, k -> new LongAdder()).increment();
        double seconds = nanos / 1e9;
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                buckets[i].increment();
            }
        }
        count.increment();
        sumMicros.add(nanos / 1000);
    }

    List<MetricSample> samples() {
        List<MetricSample> samples = new ArrayList<>();
        requests.forEach((key, n) -> {
            String[] parts = key.split(" ");
            samples.add(MetricSample.counter("dpuvpc_api_requests_total", "Admin API requests by method and HTTP code.",
                    Map.of("method", parts[0], "code", parts[1]), n.sum()));
        });
        String family = "dpuvpc_api_request_seconds";
        String help = "Admin API request latency.";
        for (int i = 0; i < BOUNDS.length; i++) {
            samples.add(new MetricSample(family, "histogram", help, family + "_bucket", Map.of("le", Double.toString(BOUNDS[i])),
                    buckets[i].sum()));
        }
        samples.add(new MetricSample(family, "histogram", help, family + "_bucket", Map.of("le", "+Inf"), count.sum()));
        samples.add(new MetricSample(family, "histogram", help, family + "_sum", Map.of(), sumMicros.sum() / 1e6));
        samples.add(new MetricSample(family, "histogram", help, family + "_count", Map.of(), count.sum()));
        return samples;
    }
}
