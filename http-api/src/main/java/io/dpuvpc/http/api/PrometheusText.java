package io.dpuvpc.http.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders samples in Prometheus' text exposition format (version 0.0.4), families in first-seen order. */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    public static String render(List<MetricSample> samples) {
        Map<String, StringBuilder> families = new LinkedHashMap<>();
        for (MetricSample s : samples) {
            StringBuilder family = families.computeIfAbsent(s.family(), f -> new StringBuilder()
                    .append("# HELP ").append(f).append(' ').append(escapeHelp(s.help())).append('\n')
                    .append("# TYPE ").append(f).append(' ').append(s.type()).append('\n'));
            family.append(s.name());
            if (!s.labels().isEmpty()) {
                family.append('{');
                boolean first = true;
                for (Map.Entry<String, String> label : s.labels().entrySet()) {
                    family.append(first ? "" : ",").append(label.getKey()).append("=\"").append(escapeLabel(label.getValue()))
                            .append('"');
                    first = false;
                }
                family.append('}');
            }
            family.append(' ').append(number(s.value())).append('\n');
        }
        StringBuilder out = new StringBuilder();
        families.values().forEach(out::append);
        return out.toString();
    }

    private static String number(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
