package io.dpuvpc.app.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dpuvpc.simulator.bench.converge.ConvergeBenchmark;
import io.dpuvpc.simulator.bench.converge.ConvergeReport;
import io.dpuvpc.simulator.report.SimulationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code vpc bench scale}: the whole product at fleet scale ({@link FleetSimulation}: simulated
 * DPUs, controllers with Cassandra, resources through the admin API, real OVN) beside the two
 * baselines of {@code bench converge} ({@link ConvergeBenchmark#baselines}) for the same number of
 * VPCs, networks and interfaces: the reference's way (one transaction per owner, a new
 * connection and a full monitor per reconcile, on a sample, extrapolated) and the raw NB write
 * limit; in rows/s of the Northbound, with their ratios.
 */
public final class ScaleBenchmark {
    /** The three rows. */
    public record Result(SimulationResult ours, long nbRows, ConvergeBenchmark.Baselines baselines) {
        public boolean converged() {
            return ours.converged();
        }

        /** Ours: the NB rows of the whole fleet over the seconds from the first apply until everything was Ready. */
        public double oursRowsPerSecond() {
            return converged() ? nbRows / ours.convergedSeconds() : 0;
        }

        public double oursToRaw() {
            return oursRowsPerSecond() / baselines.raw().rowsPerSecond();
        }

        public double oursToReference() {
            return oursRowsPerSecond() / baselines.reference().rowsPerSecond();
        }

        /** The busiest second of our NB writes against the raw limit. */
        public double peakToRaw() {
            return ours.peakNbRowsPerSecond() / baselines.raw().rowsPerSecond();
        }
    }

    private ScaleBenchmark() {
    }

    /** Ours first (on its own central, controllers and Cassandra), then the baselines, each on a central of its own. */
    public static Result run(SimulationSettings settings, ConvergeBenchmark.Settings baselines, Path work, PrintStream progress)
        throws Exception {
        FleetSimulation.Outcome outcome = FleetSimulation.run(settings, work, progress);
        long rows = Math.round(outcome.result().figures().getOrDefault(FleetSimulation.NB_ROWS, 0.0));
        progress.println("baselines: the reference's way on a sample, then the raw NB write limit");
        ConvergeBenchmark.Baselines b = ConvergeBenchmark.baselines(baselines, rows, line -> {
            progress.println(line);
            progress.flush();
        });
        return new Result(outcome.result(), rows, b);
    }

    public static String table(Result r) {
        SimulationResult o = r.ours();
        ConvergeReport.Reference ref = r.baselines().reference();
        ConvergeReport.Raw raw = r.baselines().raw();
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%-72s %8s %10s %9s%n", "row", "rows", "seconds", "rows/s"));
        t.append(String.format(Locale.ROOT, "%-72s %8d %10s %9.0f%n", "(0) ours: simulated fleet, controllers + Cassandra,"
            + " admin API, until all Ready", r.nbRows(), r.converged() ? String.format(Locale.ROOT, "%.3f", o.convergedSeconds())
            : "NOT CONV.", r.oursRowsPerSecond()));
        t.append(String.format(Locale.ROOT, "%-72s %8s %10s %9.0f%n", "    ... its busiest second of NB writes", "", "",
            o.peakNbRowsPerSecond()));
        t.append(String.format(Locale.ROOT, "%-72s %8d %10.3f %9.0f  (sample of %d owners)%n",
            "(2) reference: 1 owner/txn, new connection + full monitor each", ref.rows(), ref.seconds(), ref.rowsPerSecond(),
            ref.sampleOwners()));
        t.append(String.format(Locale.ROOT, "%-72s %8d %10.0f %9.0f  (extrapolated)%n",
            "    ... the rows of (0) at the sample's rows/s", r.nbRows(), ref.extrapolatedSeconds(), ref.rowsPerSecond()));
        t.append(String.format(Locale.ROOT, "%-72s %8d %10.3f %9.0f  (median of %d)%n",
            "(3) raw JSON-RPC: 1 switch + 1 port per txn, 100 in flight", raw.rows(), raw.seconds(), raw.rowsPerSecond(),
            raw.runSeconds().size()));
        t.append('\n');
        t.append(String.format(Locale.ROOT, "(0)/(3) rows/s: %6.3f  (goal >= 0.50)%n", r.oursToRaw()));
        t.append(String.format(Locale.ROOT, "(0)/(2) rows/s: %6.1f%n", r.oursToReference()));
        t.append(String.format(Locale.ROOT, "busiest second of (0) / (3): %6.3f%n", r.peakToRaw()));
        t.append(String.format(Locale.ROOT, "apply->Ready of (0): p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms"
            + " (as polled)%n", o.latencies().p50Ms(), o.latencies().p90Ms(), o.latencies().p99Ms(), o.latencies().maxMs()));
        Double p99 = o.figures().get("idle single change p99 (ms)");
        if (p99 != null) {
            t.append(String.format(Locale.ROOT, "idle single change p99: %.1f ms (goal <= 100)%n", p99));
        }
        t.append(String.format(Locale.ROOT, "controller heap at most %d MiB, RSS at most %d MiB%n", o.peakHeapBytes() >> 20,
            o.peakRssBytes() >> 20));
        o.notes().forEach(n -> t.append("note: ").append(n).append('\n'));
        return t.toString();
    }

    public static void writeJson(Path file, Result r) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("parameters", r.ours().parameters());
        json.put("converged", r.converged());
        json.put("convergedSeconds", r.ours().convergedSeconds());
        json.put("nbRows", r.nbRows());
        json.put("oursRowsPerSecond", r.oursRowsPerSecond());
        json.put("oursPeakNbRowsPerSecond", r.ours().peakNbRowsPerSecond());
        json.put("latencies", r.ours().latencies());
        json.put("figures", r.ours().figures());
        json.put("peakHeapBytes", r.ours().peakHeapBytes());
        json.put("peakRssBytes", r.ours().peakRssBytes());
        json.put("reference", r.baselines().reference());
        json.put("raw", r.baselines().raw());
        json.put("oursToRaw", r.oursToRaw());
        json.put("oursToReference", r.oursToReference());
        json.put("peakToRaw", r.peakToRaw());
        json.put("notes", r.ours().notes());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
