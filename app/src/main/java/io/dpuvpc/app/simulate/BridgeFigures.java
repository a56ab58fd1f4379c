package io.dpuvpc.app.simulate;

import io.dpuvpc.app.client.AdminClient;
import io.dpuvpc.ovn.northbound.PlanCause;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Northbound bridges did, read from the controllers' {@code /metrics} as an operator's
 * Prometheus would and summed over controllers and isolation classes: the owner plans by why
 * ({@link PlanCause}), the owners, the transactions, and the time spent planning. Where a run's
 * bridge time goes, and how much of it was planning the same owners again.
 */
record BridgeFigures(Map<String, Double> plansByCause, double owners, double transactions, double planSeconds,
                     double planBatches, double rowsPlanned, double parts) {
    private static final Pattern SAMPLE = Pattern.compile("^(dpuvpc_nb_[a-z_]+)(\\{[^}]*\\})? (\\S+)$");
    private static final Pattern CAUSE = Pattern.compile("cause=\"([a-z_]+)\"");

    /** Summed over the given {@code /metrics} texts. */
    static BridgeFigures parse(List<String> metricsTexts) {
        Map<String, Double> byCause = new LinkedHashMap<>();
        for (PlanCause cause : PlanCause.values()) {
            byCause.put(cause.label(), 0.0);
        }
        double[] sums = new double[6];
        for (String text : metricsTexts) {
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line.trim());
                if (!m.matches()) {
                    continue;
                }
                double value = Double.parseDouble(m.group(3));
                switch (m.group(1)) {
                    case "dpuvpc_nb_owner_plans_total" -> {
                        Matcher cause = CAUSE.matcher(m.group(2) == null ? "" : m.group(2));
                        if (cause.find()) {
                            byCause.merge(cause.group(1), value, Double::sum);
                        }
                    }
                    case "dpuvpc_nb_owners" -> sums[0] += value;
                    case "dpuvpc_nb_transactions_total" -> sums[1] += value;
                    case "dpuvpc_nb_plan_seconds_sum" -> sums[2] += value;
                    case "dpuvpc_nb_plan_seconds_count" -> sums[3] += value;
                    case "dpuvpc_nb_rows_planned_total" -> sums[4] += value;
                    case "dpuvpc_nb_owner_parts_planned_total" -> sums[5] += value;
                    default -> { }
                }
            }
        }
        return new BridgeFigures(byCause, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]);
    }

    /** Read from every controller now; a controller that does not answer is left out (and said). */
    static BridgeFigures read(List<AdminClient> controllers, List<String> problems) {
        List<String> texts = new ArrayList<>();
        for (AdminClient api : controllers) {
            try {
                AdminClient.Response metrics = api.get("/metrics", "text/plain");
                if (metrics.ok()) {
                    texts.add(metrics.body());
                } else {
                    problems.add(api.server() + "/metrics answered " + metrics.code());
                }
            } catch (RuntimeException e) {
                problems.add(api.server() + "/metrics: " + e.getMessage());
            }
        }
        return parse(texts);
    }

    /** What was done between {@code before} and these figures (the owners as they are now). */
    BridgeFigures since(BridgeFigures before) {
        Map<String, Double> byCause = new LinkedHashMap<>();
        plansByCause.forEach((cause, count) -> byCause.put(cause, count - before.plansByCause.getOrDefault(cause, 0.0)));
        return new BridgeFigures(byCause, owners, transactions - before.transactions, planSeconds - before.planSeconds,
                planBatches - before.planBatches, rowsPlanned - before.rowsPlanned, parts - before.parts);
    }

    double plans() {
        return plansByCause.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The figures for summary.csv, named {@code bridge <when>: ...}. */
    Map<String, Double> figures(String when) {
        Map<String, Double> figures = new LinkedHashMap<>();
        String prefix = "bridge " + when + ": ";
        figures.put(prefix + "owner plans", plans());
        plansByCause.forEach((cause, count) -> figures.put(prefix + "owner plans (" + cause + ")", count));
        figures.put(prefix + "owners", owners);
        figures.put(prefix + "transactions", transactions);
        figures.put(prefix + "planning (s)", planSeconds);
        figures.put(prefix + "plan batches", planBatches);
        figures.put(prefix + "rows planned", rowsPlanned);
        figures.put(prefix + "owner plans as parts", parts);
        return figures;
    }

    /** One line: {@code 7848 owner plans for 2220 owners (3.5 each: published 2053, ...); ... rows planned; 73 transactions; ...}. */
    String describe() {
        if (plans() == 0) {
            return String.format(Locale.ROOT, "no owner planned (%.0f owners, %.0f transactions)", owners, transactions);
        }
        StringBuilder causes = new StringBuilder();
        plansByCause.forEach((cause, count) -> {
            if (count > 0) {
                causes.append(causes.length() == 0 ? "" : ", ").append(cause).append(' ')
                        .append(String.format(Locale.ROOT, "%.0f", count));
            }
        });
        return String.format(Locale.ROOT, "%.0f owner plans for %.0f owners (%.1f each: %s; %.0f of them parts, of"
                + " only the rows a new intent changed); %.0f rows planned; %.0f transactions; %.1f s planning in %.0f"
                + " batches", plans(), owners, owners == 0 ? 0 : plans() / owners, causes, parts, rowsPlanned,
                transactions, planSeconds, planBatches);
    }
}
