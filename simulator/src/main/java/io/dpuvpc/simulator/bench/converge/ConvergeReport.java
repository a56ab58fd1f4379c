package io.dpuvpc.simulator.bench.converge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one run of {@link ConvergeBenchmark} measured; the same figures go to the table and to JSON. */
public record ConvergeReport(Instant started, Machine machine, ConvergeBenchmark.Settings settings, String bridgeSettings,
                             EndToEnd endToEnd, Ours ours, Reference reference, Raw raw) {

    public record Machine(int cores, String cpu, String os, String java, String ovsdbServer, String northd,
                          String loadAverageAtStart, String loadAverageAtEnd) {}

    /**
     * (0): the fleet applied to the entities ({@code applies}: the IsolationClass, {@code nodes}
     * DPU node reports, the VPCs, networks and interfaces), all accepted after {@code appliedSeconds};
     * {@code seconds} until every VPC, network and interface had its reconciled condition True (as
     * polled, in {@code pollWaves} waves at most every 500 ms); {@code rowsInSeconds} until the NB
     * row count first reached its final value; {@code eventsPersisted} written to the journal;
     * {@code entitiesStarted} by the directory (with the IsolationClass, the nodes and the fleet).
     */
    public record EndToEnd(int vpcs, int networks, int interfaces, int nodes, int applies, double appliedSeconds,
                           double seconds, long rows, Map<String, Long> rowsByTable, long transactions, long operations,
                           long failedTransactions, long eventsPersisted, double rowsInSeconds, double vpcsSeconds,
                           double networksSeconds, double interfacesSeconds, int pollWaves, long asks, int entitiesStarted,
                           Map<String, Double> cpuSeconds, long ownersPlanned) {
        public int owners() {
            return vpcs + networks + interfaces;
        }

        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * (1): {@code seconds} until every owner was RECONCILED; {@code rowsInSeconds} until the NB row
     * count first reached its final value; {@code otherRowsSeconds} until every row but the
     * interfaces' reroute policies was in; {@code addressesSeconds} until the last port had its
     * address from northd; the three kinds' times until all of that kind were RECONCILED.
     */
    public record Ours(int owners, long rows, long transactions, long operations, long failedTransactions, double seconds,
                       double rowsInSeconds, double otherRowsSeconds, double addressesSeconds, long reroutePolicies,
                       long addressedPorts, double vpcsSeconds, double networksSeconds, double interfacesSeconds,
                       long observations, Map<String, Double> cpuSeconds, String addressBursts,
                       Map<String, Long> rowsByTable, long ownersPlanned, Map<String, Long> plannedBecause,
                       IdleChanges idle) {
        public double rowsPerSecond() {
            return rows / seconds;
        }

        Ours withIdle(IdleChanges changes) {
            return new Ours(owners, rows, transactions, operations, failedTransactions, seconds, rowsInSeconds,
                    otherRowsSeconds, addressesSeconds, reroutePolicies, addressedPorts, vpcsSeconds, networksSeconds,
                    interfacesSeconds, observations, cpuSeconds, addressBursts, rowsByTable, ownersPlanned, plannedBecause,
                    changes);
        }
    }

    /**
     * Lone VPC changes on the converged bridge of (1), one at a time: publish to RECONCILED
     * (nearest-rank percentiles), and the bridge's plans and transactions over all of them.
     */
    public record IdleChanges(int changes, double p50Ms, double p99Ms, double maxMs, long plans, double planMeanMs,
                              long transactions, List<Double> inOrderMs, int northdNotQuiet, long parts, long rowsPlanned) {
        public IdleChanges {
            inOrderMs = List.copyOf(inOrderMs);
        }

        String describe(int owners) {
            return String.format(Locale.ROOT, "%d lone VPC changes at %d owners, one at a time (interNetworkAccess flipped), "
                    + "each on a quiet ovn-northd%s: publish to RECONCILED p50 %.1f ms, p99 %.1f ms, max %.1f ms (change %d); "
                    + "bridge: %d plans of %.2f ms mean (%d of them parts: only the rows the change changed; %d rows "
                    + "planned in all), %d transactions", changes, owners,
                    northdNotQuiet == 0 ? "" : " (" + northdNotQuiet + " of them not: it stayed busy 30 s)", p50Ms, p99Ms,
                    maxMs, inOrderMs.indexOf(maxMs) + 1, plans, planMeanMs, parts, rowsPlanned, transactions);
        }
    }

    /**
     * (2) on a sample: {@code rows} counted in NB afterwards; {@code fullRows} the rows of (1),
     * {@code extrapolatedSeconds} what they would take at the sample's rows/s.
     */
    public record Reference(int sampleVpcs, int sampleOwners, int ownersDone, long rows, long transactions, long reconciles,
                            int passes, double seconds, boolean budgetHit, double connectAndMonitorSeconds,
                            double planSeconds, double transactSeconds, double waitingSeconds, long fullRows,
                            double extrapolatedSeconds, Map<String, Double> cpuSeconds) {
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /** (3): the median run. */
    public record Raw(int objects, long rows, long transactions, double seconds, List<Double> runSeconds) {
        public Raw {
            runSeconds = List.copyOf(runSeconds);
        }

        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /** (0) over raw in rows/s. */
    public double endToEndToRaw() {
        return endToEnd.rowsPerSecond() / raw.rowsPerSecond();
    }

    /** (0) over the reference in rows/s. */
    public double endToEndToReference() {
        return endToEnd.rowsPerSecond() / reference.rowsPerSecond();
    }

    /** The tables whose row counts differ, as {@code table a vs b}; empty when none. */
    public static String rowDifference(Map<String, Long> a, Map<String, Long> b) {
        StringBuilder text = new StringBuilder();
        java.util.SortedSet<String> tables = new java.util.TreeSet<>(a.keySet());
        tables.addAll(b.keySet());
        tables.forEach(table -> {
            long x = a.getOrDefault(table, 0L);
            long y = b.getOrDefault(table, 0L);
            if (x != y) {
                text.append(text.length() == 0 ? "" : ", ").append(table).append(' ').append(x).append(" vs ").append(y);
            }
        });
        return text.toString();
    }

    /** Ours over raw in rows/s (goal at least 0.5). */
    public double oursToRaw() {
        return ours.rowsPerSecond() / raw.rowsPerSecond();
    }

    /** Ours over the reference in rows/s (goal at least 20). */
    public double oursToReference() {
        return ours.rowsPerSecond() / reference.rowsPerSecond();
    }

    public String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "topology: %d VPCs x %d networks x %d interfaces = %d owners; bridge %s%n",
                settings.vpcs(), settings.networksPerVpc(), settings.interfacesPerNetwork(), ours.owners(), bridgeSettings));
        t.append(String.format(Locale.ROOT, "machine: %d cores, %s, %s, Java %s, %s, %s; load %s -> %s%n%n", machine.cores(),
                machine.cpu(), machine.os(), machine.java(), machine.ovsdbServer(), machine.northd(),
                machine.loadAverageAtStart(), machine.loadAverageAtEnd()));
        String header = "%-62s %7s %7s %7s %9s %9s%n";
        String line = "%-62s %7d %7d %7d %9.3f %9.0f%s%n";
        t.append(String.format(Locale.ROOT, header, "row", "owners", "rows", "txns", "seconds", "rows/s"));
        t.append(String.format(Locale.ROOT, line, "(0) ours end to end: the entities, their router and bridge",
                endToEnd.owners(), endToEnd.rows(), endToEnd.transactions(), endToEnd.seconds(), endToEnd.rowsPerSecond(), ""));
        t.append(String.format(Locale.ROOT, line, "    ... until the NB row count reached its final value", endToEnd.owners(),
                endToEnd.rows(), endToEnd.transactions(), endToEnd.rowsInSeconds(), endToEnd.rows() / endToEnd.rowsInSeconds(),
                ""));
        t.append(String.format(Locale.ROOT, line, "(1) ours: all intents to one NorthboundBridge, until RECONCILED",
                ours.owners(), ours.rows(), ours.transactions(), ours.seconds(), ours.rowsPerSecond(), ""));
        t.append(String.format(Locale.ROOT, line, "    ... until the NB row count reached its final value", ours.owners(),
                ours.rows(), ours.transactions(), ours.rowsInSeconds(), ours.rows() / ours.rowsInSeconds(), ""));
        t.append(String.format(Locale.ROOT, line, "(2) reference: 1 owner/txn, new connection + full monitor each",
                reference.ownersDone(), reference.rows(), reference.transactions(), reference.seconds(),
                reference.rowsPerSecond(), "  (sample)"));
        t.append(String.format(Locale.ROOT, "%-62s %7s %7d %7s %9.0f %9.0f  (extrapolated)%n",
                "    ... the rows of (1) at the sample's rows/s", "", reference.fullRows(), "", reference.extrapolatedSeconds(),
                reference.rowsPerSecond()));
        t.append(String.format(Locale.ROOT, "%-62s %7s %7d %7d %9.3f %9.0f%s%n",
                "(3) raw JSON-RPC: 1 switch + 1 port per txn, 100 in flight", "-", raw.rows(), raw.transactions(),
                raw.seconds(), raw.rowsPerSecond(), "  (median of " + raw.runSeconds().size() + ")"));
        t.append('\n');
        t.append(String.format(Locale.ROOT, "(0)/(3) rows/s: %6.2f  (goal >= 0.50)%n", endToEndToRaw()));
        t.append(String.format(Locale.ROOT, "(0)/(2) rows/s: %6.1f  (goal >= 20)%n", endToEndToReference()));
        t.append(String.format(Locale.ROOT, "(1)/(3) rows/s: %6.2f  (goal >= 0.50)%n", oursToRaw()));
        t.append(String.format(Locale.ROOT, "(1)/(2) rows/s: %6.1f  (goal >= 20)%n", oursToReference()));
        t.append('\n');
        t.append("where the time of (0) went (seconds from the first apply):\n");
        t.append(String.format(Locale.ROOT, "  %8.3f  all %d applies accepted (1 IsolationClass, %d DPU node reports, %d VPCs, %d "
                        + "networks, %d interfaces), %d asks in flight%n", endToEnd.appliedSeconds(), endToEnd.applies(),
                endToEnd.nodes(), endToEnd.vpcs(), endToEnd.networks(), endToEnd.interfaces(), EndToEndRun.MAX_IN_FLIGHT));
        t.append(String.format(Locale.ROOT, "  %8.3f  every row in NB (all %d)%n", endToEnd.rowsInSeconds(), endToEnd.rows()));
        t.append(String.format(Locale.ROOT, "  %8.3f  all VPCs reconciled, %8.3f all networks, %8.3f all interfaces (as polled: "
                        + "%d waves, %d asks in all)%n", endToEnd.vpcsSeconds(), endToEnd.networksSeconds(),
                endToEnd.interfacesSeconds(), endToEnd.pollWaves(), endToEnd.asks()));
        t.append(String.format(Locale.ROOT, "            %d entities started, %d events persisted (in-memory journal), bridge: %d "
                        + "operations, %d failed transactions, %d owners planned (%.1f per owner)%n", endToEnd.entitiesStarted(),
                endToEnd.eventsPersisted(), endToEnd.operations(), endToEnd.failedTransactions(), endToEnd.ownersPlanned(),
                endToEnd.ownersPlanned() / (double) endToEnd.owners()));
        t.append("  CPU during (0): ").append(cpu(endToEnd.cpuSeconds(), endToEnd.seconds())).append('\n');
        if (endToEnd.rows() != ours.rows()) {
            t.append("  NB rows of (0) vs (1) differ: ").append(rowDifference(endToEnd.rowsByTable(), ours.rowsByTable()))
                    .append('\n');
        }
        t.append("where the time of (1) went (seconds from the first publish):\n");
        t.append(String.format(Locale.ROOT, "  %8.3f  every row but the %d reroute policies in NB (the bridge's writes)%n",
                ours.otherRowsSeconds(), ours.reroutePolicies()));
        t.append(String.format(Locale.ROOT, "  %8.3f  every one of %d ports has its address from northd's IPAM%n",
                ours.addressesSeconds(), ours.addressedPorts()));
        t.append("            ports with an address after each of northd's bursts (count@seconds): ")
                .append(ours.addressBursts()).append('\n');
        t.append(String.format(Locale.ROOT, "  %8.3f  every reroute policy in NB (all %d rows)%n", ours.rowsInSeconds(),
                ours.rows()));
        t.append(String.format(Locale.ROOT, "  %8.3f  all VPCs RECONCILED, %8.3f all networks, %8.3f all interfaces%n",
                ours.vpcsSeconds(), ours.networksSeconds(), ours.interfacesSeconds()));
        t.append(String.format(Locale.ROOT, "  %8.3f  every owner RECONCILED (%d operations, %d failed transactions, %d "
                + "observations sent, %d owners planned: %.1f per owner)%n", ours.seconds(), ours.operations(),
                ours.failedTransactions(), ours.observations(), ours.ownersPlanned(), ours.ownersPlanned() / (double) ours.owners()));
        t.append("            owners planned by why: ").append(ours.plannedBecause().entrySet().stream()
                .filter(e -> e.getValue() > 0).map(e -> e.getKey() + " " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "))).append('\n');
        t.append("  CPU during (1): ").append(cpu(ours.cpuSeconds(), ours.seconds())).append('\n');
        if (ours.idle() != null) {
            t.append("  after (1): ").append(ours.idle().describe(ours.owners())).append('\n');
        }
        t.append(String.format(Locale.ROOT, "(2) sample: first %d VPCs, %d of %d owners done%s, %d reconciles in %d passes; "
                        + "connect + monitor %.1f s, plan %.1f s, transact %.1f s, waiting for northd %.1f s%n",
                reference.sampleVpcs(), reference.ownersDone(), reference.sampleOwners(),
                reference.budgetHit() ? " (time budget of " + settings.referenceBudget().toSeconds() + " s reached)" : "",
                reference.reconciles(), reference.passes(), reference.connectAndMonitorSeconds(), reference.planSeconds(),
                reference.transactSeconds(), reference.waitingSeconds()));
        t.append("  CPU during (2): ").append(cpu(reference.cpuSeconds(), reference.seconds())).append('\n');
        return t.toString();
    }

    private static String cpu(Map<String, Double> seconds, double wall) {
        StringBuilder text = new StringBuilder();
        seconds.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.2f s (%.0f%%)", k, v, 100 * v / wall)));
        return text.toString();
    }

    public ObjectNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("benchmark", "converge");
        root.put("started", started.toString());
        root.set("machine", json.valueToTree(machine));
        ObjectNode s = root.putObject("settings");
        s.put("vpcs", settings.vpcs());
        s.put("networksPerVpc", settings.networksPerVpc());
        s.put("interfacesPerNetwork", settings.interfacesPerNetwork());
        s.put("referenceVpcs", settings.referenceVpcs());
        s.put("referenceBudgetSeconds", settings.referenceBudget().toSeconds());
        s.put("rawObjects", settings.rawObjects());
        s.put("rawRepeats", settings.rawRepeats());
        s.put("warmupVpcs", settings.warmupVpcs());
        s.put("timeoutSeconds", settings.timeout().toSeconds());
        s.put("bridge", bridgeSettings);
        ObjectNode e = json.valueToTree(endToEnd);
        e.put("owners", endToEnd.owners());
        e.put("rowsPerSecond", endToEnd.rowsPerSecond());
        root.set("endToEnd", e);
        ObjectNode o = json.valueToTree(ours);
        o.put("rowsPerSecond", ours.rowsPerSecond());
        root.set("ours", o);
        ObjectNode r = json.valueToTree(reference);
        r.put("rowsPerSecond", reference.rowsPerSecond());
        root.set("reference", r);
        ObjectNode w = json.valueToTree(raw);
        w.put("rowsPerSecond", raw.rowsPerSecond());
        root.set("raw", w);
        ObjectNode ratios = root.putObject("ratios");
        ratios.put("endToEndToRawRowsPerSecond", endToEndToRaw());
        ratios.put("endToEndToReferenceRowsPerSecond", endToEndToReference());
        ratios.put("oursToRawRowsPerSecond", oursToRaw());
        ratios.put("oursToReferenceRowsPerSecond", oursToReference());
        return root;
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
    }
}
