package io.dpuvpc.simulator.report;

import static io.dpuvpc.simulator.report.SimulationFixtures.result;
import static io.dpuvpc.simulator.report.SimulationFixtures.sample;
import static io.dpuvpc.simulator.report.SimulationFixtures.threeSamples;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesTheFourFilesIntoANewFolder() throws IOException {
        Path out = dir.resolve("run-1");
        List<Path> written = SimulationReportWriter.write(out, result(true, threeSamples(), new double[] {5, 10}, List.of()));

        assertThat(written).containsExactly(out.resolve("timeline.csv"), out.resolve("latencies.csv"),
            out.resolve("summary.csv"), out.resolve("report.html"));
        assertThat(written).allMatch(Files::isRegularFile);
    }

    @Test
    void timelineHasEverySampleAndEachIntervalsRates() throws IOException {
        SimulationReportWriter.write(dir, result(true, threeSamples(), new double[0], List.of()));

        List<Map<String, String>> rows = table(dir.resolve("timeline.csv"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsEntry("seconds", "0").containsEntry("interfaces_total", "10")
            .containsEntry("nb_txn_per_s", "").containsEntry("cpu_seconds", "-1");
        assertThat(rows.get(1)).containsEntry("nb_txn_per_s", "100").containsEntry("nb_rows_per_s", "1000")
            .containsEntry("sb_txn_per_s", "10").containsEntry("sb_rows_per_s", "100").containsEntry("heap_bytes", "300")
            .containsEntry("heap_after_gc_bytes", "150");
        assertThat(rows.get(2)).containsEntry("seconds", "3").containsEntry("interfaces_ready", "10")
            .containsEntry("nb_transactions", "500").containsEntry("nb_txn_per_s", "200")
            .containsEntry("events_persisted", "350").containsEntry("rss_bytes", "3000");
        assertThat(rows.get(0)).hasSize(22);
    }

    @Test
    void latenciesArePercentilesOfTheCdf() throws IOException {
        double[] cdf = IntStream.rangeClosed(1, 1000).mapToDouble(i -> i / 10.0).toArray();
        SimulationReportWriter.write(dir, result(true, threeSamples(), cdf, List.of()));

        Map<String, String> byPercentile = new LinkedHashMap<>();
        table(dir.resolve("latencies.csv")).forEach(row -> byPercentile.put(row.get("percentile"), row.get("millis")));
        assertThat(byPercentile.keySet()).containsExactly("0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "95",
            "99", "99.9", "100");
        assertThat(byPercentile).containsEntry("0", "0.1").containsEntry("50", "50").containsEntry("99", "99")
            .containsEntry("99.9", "99.9").containsEntry("100", "100");
    }

    @Test
    void summaryHasParametersLatenciesPeaksAndFiguresInOrder() throws IOException {
        SimulationReportWriter.write(dir, result(true, threeSamples(), new double[] {5, 10, 20}, List.of()));

        Map<String, String> summary = keyValues(dir.resolve("summary.csv"));
        assertThat(new ArrayList<>(summary.keySet()).subList(0, 5))
            .containsExactly("dpus", "vpcs", "controllers", "converged", "converged seconds");
        assertThat(summary).containsEntry("dpus", "1000").containsEntry("controllers", "a,b")
            .containsEntry("converged", "true").containsEntry("converged seconds", "3")
            .containsEntry("ready latency count", "3").containsEntry("ready latency p50 ms", "10")
            .containsEntry("ready latency max ms", "20").containsEntry("peak NB txn/s", "200")
            .containsEntry("mean NB rows/s", "1666.67").containsEntry("peak SB rows/s", "200")
            .containsEntry("peak heap bytes", "300").containsEntry("peak heap after GC bytes", "150").containsEntry("peak RSS bytes", "3000")
            .containsEntry("mean events/s", "116.667").containsEntry("samples", "3")
            .containsEntry("idle single-change p99 ms", "12.5");
        assertThat(new ArrayList<>(summary.keySet())).last().isEqualTo("idle single-change p99 ms");
    }

    @Test
    void reportHasTheSummaryAndFourPlots() throws IOException {
        SimulationReportWriter.write(dir, result(true, threeSamples(), new double[] {5, 10, 20}, List.of("spread 3/3/4")));

        String html = Files.readString(dir.resolve("report.html"));
        assertThat(count(html, "<svg ")).isEqualTo(4);
        assertThat(html).contains("Converged in 3 s", "<td>peak NB txn/s</td><td class=\"v\">200</td>",
            "Convergence: objects Ready", "Apply-to-Ready latency CDF", "OVN Northbound and Southbound write rates",
            "Controller memory (summed)", "interfaces (10)", "NB rows/s", "<li>spread 3/3/4</li>")
            .doesNotContain("NOT CONVERGED", "no data", "<script", "<link", "src=", "href=", "@import", "url(");
    }

    @Test
    void notConvergedIsSaidInRedWithItsNotesEscaped() throws IOException {
        SimulationReportWriter.write(dir, result(false, threeSamples(), new double[] {5},
            List.of("3 interfaces <never> Ready & \"stuck\"")));

        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<p class=\"not-converged\" style=\"color:#fff;background:#c00\">NOT CONVERGED</p>",
            "<li>3 interfaces &lt;never&gt; Ready &amp; &quot;stuck&quot;</li>").doesNotContain("<never>", "Converged in");
        assertThat(keyValues(dir.resolve("summary.csv"))).containsEntry("converged", "false")
            .containsEntry("converged seconds", "-1");
    }

    @Test
    void emptyRunStillWritesEveryFile() throws IOException {
        SimulationReportWriter.write(dir, result(false, List.of(), new double[0], List.of()));

        assertThat(Files.readAllLines(dir.resolve("timeline.csv"))).hasSize(1).first().asString().startsWith("seconds,");
        assertThat(Files.readAllLines(dir.resolve("latencies.csv"))).containsExactly("percentile,millis");
        assertThat(keyValues(dir.resolve("summary.csv"))).containsEntry("samples", "0")
            .containsEntry("ready latency count", "0").containsEntry("peak NB txn/s", "0")
            .containsEntry("mean events/s", "-1");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(count(html, "<svg ")).isEqualTo(4);
        assertThat(count(html, ">no data</text>")).isEqualTo(4);
        assertThat(html).doesNotContain("NaN", "Infinity").endsWith("</body></html>\n");
    }

    @Test
    void oneSampleDrawsDotsAndNoRates() throws IOException {
        SimulationReportWriter.write(dir, result(true, List.of(sample(2, 10, 5, 5, 5, 5, 1 << 20, 2 << 20, 1)),
            new double[] {7}, List.of()));

        assertThat(table(dir.resolve("timeline.csv"))).singleElement().satisfies(row ->
            assertThat(row).containsEntry("nb_txn_per_s", "").containsEntry("seconds", "2"));
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(count(html, "<svg ")).isEqualTo(4);
        // Rates need two samples: only that plot is empty; memory and convergence draw one dot per series.
        assertThat(count(html, ">no data</text>")).isEqualTo(1);
        assertThat(count(html, "<circle ")).isGreaterThanOrEqualTo(6);
        assertThat(html).doesNotContain("NaN");
    }

    @Test
    void largeCdfIsThinnedAndGoesLogAcrossDecades() {
        double[] cdf = IntStream.rangeClosed(1, 100_000).mapToDouble(i -> i / 100.0).toArray();

        String svg = SimulationReportWriter.latencyCdf(cdf).svg();
        Matcher points = Pattern.compile("points=\"([^\"]*)\"").matcher(svg);
        assertThat(points.find()).isTrue();
        assertThat(points.group(1).split(" ")).hasSize(SimulationReportWriter.MAX_CDF_POINTS);
        assertThat(svg).contains("milliseconds (log scale)", ">0.01</text>", ">1000</text>");
        assertThat(SimulationReportWriter.latencyCdf(new double[] {10, 20, 900}).svg()).contains(">milliseconds</text>");
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenNeeded() {
        assertThat(SimulationReportWriter.csvField("plain")).isEqualTo("plain");
        assertThat(SimulationReportWriter.csvField("a,b")).isEqualTo("\"a,b\"");
        assertThat(SimulationReportWriter.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /** The CSV as maps by header name, in row order. */
    private static List<Map<String, String>> table(Path csv) throws IOException {
        List<List<String>> lines = Files.readAllLines(csv).stream().map(SimulationReportWriterTest::fields).toList();
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> line : lines.subList(1, lines.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            IntStream.range(0, line.size()).forEach(i -> row.put(lines.get(0).get(i), line.get(i)));
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, String> keyValues(Path csv) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        table(csv).forEach(row -> map.put(row.get("key"), row.get("value")));
        return map;
    }

    /** One RFC 4180 line: commas split unless quoted, doubled quotes inside quotes. */
    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
