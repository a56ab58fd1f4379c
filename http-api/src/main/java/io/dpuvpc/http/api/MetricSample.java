package io.dpuvpc.http.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * One value of one metric, as Prometheus' text format carries it: {@code name{labels} value}.
 * {@code type} ({@code counter}, {@code gauge}, {@code histogram}) and {@code help} are the
 * family's; a histogram is given as its {@code _bucket} (with an {@code le} label), {@code _sum}
 * and {@code _count} samples under the family's name.
 */
public record MetricSample(String family, String type, String help, String name, Map<String, String> labels, double value) {
    public MetricSample {
        labels = labels == null ? Map.of() : new TreeMap<>(labels);
    }

    public static MetricSample gauge(String name, String help, Map<String, String> labels, double value) {
        return new MetricSample(name, "gauge", help, name, labels, value);
    }

    public static MetricSample counter(String name, String help, Map<String, String> labels, double value) {
        return new MetricSample(name, "counter", help, name, labels, value);
    }
}
