package io.dpuvpc.simulator.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Writes a {@link SimulationResult} as files in one folder: {@code timeline.csv} (the samples and
 * each interval's OVN rates), {@code latencies.csv} (apply-to-Ready percentiles), {@code summary.csv}
 * (key, value) and {@code report.html}, which holds the summary and four inline SVG plots so that it
 * opens anywhere without the network. Numbers are written without locale so the CSVs read back the
 * same everywhere; an empty run still gives every file, with headers and "no data" plots.
 */
public final class SimulationReportWriter {

    static final String TIMELINE = "timeline.csv";
    static final String LATENCIES = "latencies.csv";
    static final String SUMMARY = "summary.csv";
    static final String REPORT = "report.html";
    static final double[] PERCENTILES = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.9, 100};
    /** A 100,000-object CDF drawn point by point would make megabytes of SVG for no visible gain. */
    static final int MAX_CDF_POINTS = 2_000;
    private static final double MIB = 1024 * 1024;
    /** The cumulative OVN counters by their rate's name, in the timeline's and the plot's order. */
    private static final Map<String, ToLongFunction<Sample>> OVN_COUNTERS = ovnCounters();

    private SimulationReportWriter() {}

    /** Creates {@code dir} if needed and writes the four files; returns them in that order. */
    public static List<Path> write(Path dir, SimulationResult result) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(TIMELINE, timelineCsv(result));
        files.put(LATENCIES, latenciesCsv(result.latencyCdfMillis()));
        files.put(SUMMARY, summaryCsv(result));
        files.put(REPORT, html(result));
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            written.add(Files.writeString(dir.resolve(file.getKey()), file.getValue()));
        }
        return written;
    }

    static String timelineCsv(SimulationResult result) {
        StringBuilder csv = new StringBuilder("seconds,interfaces_ready,interfaces_total,networks_ready,networks_total,"
            + "vpcs_ready,vpcs_total,nodes_ready,nodes_total,nb_transactions,nb_rows,sb_transactions,sb_rows,heap_bytes,"
            + "heap_after_gc_bytes,rss_bytes,events_persisted,cpu_seconds,nb_txn_per_s,nb_rows_per_s,sb_txn_per_s,sb_rows_per_s\n");
        List<Sample> samples = result.samples();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            csv.append(Numbers.plain(s.seconds()));
            for (long v : new long[] {s.interfacesReady(), s.interfacesTotal(), s.networksReady(), s.networksTotal(),
                s.vpcsReady(), s.vpcsTotal(), s.nodesReady(), s.nodesTotal(), s.nbTransactions(), s.nbRows(),
                s.sbTransactions(), s.sbRows(), s.heapBytes(), s.heapAfterGcBytes(), s.rssBytes(), s.eventsPersisted()}) {
                csv.append(',').append(v);
            }
            csv.append(',').append(Numbers.plain(s.cpuSeconds()));
            for (ToLongFunction<Sample> counter : OVN_COUNTERS.values()) {
                // The first sample has no interval before it: its rates are left empty, not 0.
                double rate = i == 0 ? Double.NaN : SimulationResult.rate(samples.get(i - 1), s, counter);
                csv.append(',').append(Double.isNaN(rate) ? "" : Numbers.plain(rate));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    private static Map<String, ToLongFunction<Sample>> ovnCounters() {
        Map<String, ToLongFunction<Sample>> counters = new LinkedHashMap<>();
        counters.put("NB txn/s", Sample::nbTransactions);
        counters.put("NB rows/s", Sample::nbRows);
        counters.put("SB txn/s", Sample::sbTransactions);
        counters.put("SB rows/s", Sample::sbRows);
        return counters;
    }

    static String latenciesCsv(double[] sortedMillis) {
        StringBuilder csv = new StringBuilder("percentile,millis\n");
        if (sortedMillis.length > 0) {
            for (double p : PERCENTILES) {
                csv.append(Numbers.plain(p)).append(',').append(Numbers.plain(LatencyRecorder.percentile(sortedMillis, p)))
                    .append('\n');
            }
        }
        return csv.toString();
    }

    /** The summary's rows in order, shared by summary.csv and the HTML table. */
    static Map<String, String> summary(SimulationResult r) {
        Map<String, String> rows = new LinkedHashMap<>(r.parameters());
        rows.put("converged", Boolean.toString(r.converged()));
        rows.put("converged seconds", Numbers.plain(r.convergedSeconds()));
        LatencyRecorder.Latencies l = r.latencies();
        rows.put("ready latency count", Long.toString(l.count()));
        rows.put("ready latency p50 ms", Numbers.plain(l.p50Ms()));
        rows.put("ready latency p90 ms", Numbers.plain(l.p90Ms()));
        rows.put("ready latency p99 ms", Numbers.plain(l.p99Ms()));
        rows.put("ready latency max ms", Numbers.plain(l.maxMs()));
        rows.put("ready latency mean ms", Numbers.plain(l.meanMs()));
        rows.put("peak NB txn/s", Numbers.plain(r.peakNbTransactionsPerSecond()));
        rows.put("mean NB txn/s", Numbers.plain(r.meanNbTransactionsPerSecond()));
        rows.put("peak NB rows/s", Numbers.plain(r.peakNbRowsPerSecond()));
        rows.put("mean NB rows/s", Numbers.plain(r.meanNbRowsPerSecond()));
        rows.put("peak SB txn/s", Numbers.plain(r.peakSbTransactionsPerSecond()));
        rows.put("mean SB txn/s", Numbers.plain(r.meanSbTransactionsPerSecond()));
        rows.put("peak SB rows/s", Numbers.plain(r.peakSbRowsPerSecond()));
        rows.put("mean SB rows/s", Numbers.plain(r.meanSbRowsPerSecond()));
        rows.put("peak heap bytes", Long.toString(r.peakHeapBytes()));
        rows.put("peak heap after GC bytes", Long.toString(r.peakHeapAfterGcBytes()));
        rows.put("peak RSS bytes", Long.toString(r.peakRssBytes()));
        rows.put("mean events/s", Numbers.plain(r.meanEventsPerSecond()));
        rows.put("samples", Integer.toString(r.samples().size()));
        r.figures().forEach((name, value) -> rows.put(name, Numbers.plain(value)));
        return rows;
    }

    static String summaryCsv(SimulationResult r) {
        StringBuilder csv = new StringBuilder("key,value\n");
        summary(r).forEach((k, v) -> csv.append(csvField(k)).append(',').append(csvField(v)).append('\n'));
        return csv.toString();
    }

    /** RFC 4180 quoting, for keys and parameter values that the caller may write with commas. */
    static String csvField(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
            ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    static String html(SimulationResult r) {
        StringBuilder html = new StringBuilder("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>VPC simulation report</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
            td.v { text-align: right; font-family: monospace; }
            .not-converged { color: #fff; background: #c00; font-size: 1.5em; font-weight: bold; padding: 0.5em; }
            .converged { color: #060; font-size: 1.2em; font-weight: bold; }
            figure { margin: 1em 0; }
            </style></head><body>
            <h1>VPC simulation report</h1>
            """);
        if (r.converged()) {
            html.append(String.format(Locale.ROOT, "<p class=\"converged\">Converged in %s s</p>%n",
                Numbers.plain(r.convergedSeconds())));
        } else {
            html.append("<p class=\"not-converged\" style=\"color:#fff;background:#c00\">NOT CONVERGED</p>\n");
        }
        if (!r.notes().isEmpty()) {
            html.append("<h2>Notes</h2>\n<ul>\n");
            r.notes().forEach(note -> html.append("<li>").append(SvgLineChart.escape(note)).append("</li>\n"));
            html.append("</ul>\n");
        }
        html.append("<h2>Summary</h2>\n<table>\n<tr><th>key</th><th>value</th></tr>\n");
        summary(r).forEach((k, v) -> html.append("<tr><td>").append(SvgLineChart.escape(k)).append("</td><td class=\"v\">")
            .append(SvgLineChart.escape(v)).append("</td></tr>\n"));
        html.append("</table>\n<h2>Plots</h2>\n");
        for (SvgLineChart chart : List.of(convergence(r), latencyCdf(r.latencyCdfMillis()), ovnRates(r), memory(r))) {
            html.append("<figure>\n").append(chart.svg()).append("</figure>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    /** Each kind's Ready share; kinds with no object are left out, and the total is the dashed line at 1. */
    static SvgLineChart convergence(SimulationResult r) {
        SvgLineChart chart = new SvgLineChart("Convergence: objects Ready", "seconds", "fraction Ready").yRange(0, 1);
        List<Sample> samples = r.samples();
        double[] x = samples.stream().mapToDouble(Sample::seconds).toArray();
        addKind(chart, "interfaces", samples, x, Sample::interfacesReady, Sample::interfacesTotal);
        addKind(chart, "networks", samples, x, Sample::networksReady, Sample::networksTotal);
        addKind(chart, "VPCs", samples, x, Sample::vpcsReady, Sample::vpcsTotal);
        addKind(chart, "nodes", samples, x, Sample::nodesReady, Sample::nodesTotal);
        if (!samples.isEmpty()) {
            chart.add(new SvgLineChart.Series("total", new double[] {x[0], x[x.length - 1]}, new double[] {1, 1}, "#777",
                true));
        }
        return chart;
    }

    private static void addKind(SvgLineChart chart, String kind, List<Sample> samples, double[] x,
                                ToLongFunction<Sample> ready, ToLongFunction<Sample> total) {
        long last = samples.isEmpty() ? 0 : total.applyAsLong(samples.get(samples.size() - 1));
        if (last > 0) {
            chart.line(String.format(Locale.ROOT, "%s (%,d)", kind, last), x, values(samples, s -> {
                long t = total.applyAsLong(s);
                return t > 0 ? (double) ready.applyAsLong(s) / t : Double.NaN;
            }));
        }
    }

    /** Log x when the latencies span more than two decades; at most {@link #MAX_CDF_POINTS} points. */
    static SvgLineChart latencyCdf(double[] sortedMillis) {
        int n = sortedMillis.length;
        int points = Math.min(n, MAX_CDF_POINTS);
        double[] x = new double[points];
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            // Evenly spaced ranks from the first to the last, so the minimum and maximum are always drawn.
            int rank = points == n ? i + 1 : 1 + (int) Math.round((double) i * (n - 1) / (points - 1));
            x[i] = sortedMillis[rank - 1];
            y[i] = (double) rank / n;
        }
        double minPositive = Arrays.stream(sortedMillis).filter(v -> v > 0).min().orElse(0);
        boolean log = minPositive > 0 && sortedMillis[n - 1] / minPositive > 100;
        return new SvgLineChart("Apply-to-Ready latency CDF", log ? "milliseconds (log scale)" : "milliseconds",
            "fraction of objects").yRange(0, 1).logX(log).line("Ready latency", x, y);
    }

    static SvgLineChart ovnRates(SimulationResult r) {
        SvgLineChart chart = new SvgLineChart("OVN Northbound and Southbound write rates", "seconds", "per second");
        OVN_COUNTERS.forEach((name, counter) -> {
            List<double[]> rates = r.ratePerInterval(counter);
            chart.line(name, rates.stream().mapToDouble(p -> p[0]).toArray(), rates.stream().mapToDouble(p -> p[1]).toArray());
        });
        return chart;
    }

    /** In MiB; an unknown (negative) reading is left out. */
    static SvgLineChart memory(SimulationResult r) {
        List<Sample> samples = r.samples();
        double[] x = samples.stream().mapToDouble(Sample::seconds).toArray();
        return new SvgLineChart("Controller memory (summed)", "seconds", "MiB")
            .line("heap", x, values(samples, s -> s.heapBytes() < 0 ? Double.NaN : s.heapBytes() / MIB))
            .line("heap after GC", x, values(samples, s -> s.heapAfterGcBytes() < 0 ? Double.NaN : s.heapAfterGcBytes() / MIB))
            .line("RSS", x, values(samples, s -> s.rssBytes() < 0 ? Double.NaN : s.rssBytes() / MIB));
    }

    private static double[] values(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return samples.stream().mapToDouble(f).toArray();
    }
}
