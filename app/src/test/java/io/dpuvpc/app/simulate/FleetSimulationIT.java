package io.dpuvpc.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.northbound.PlanCause;
import io.dpuvpc.simulator.report.Sample;
import io.dpuvpc.simulator.report.SimulationResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vpc simulate} at its smallest, with every real part: OVN central, embedded Cassandra, a
 * controller JVM, the simulated fleet as a member of its cluster, resources through the admin API.
 * 6 DPUs, 2 VPCs x 2 networks x 2 interfaces; heartbeat 1 s; churn 2/s for 3 s; 2 DPUs rebooted;
 * 3 idle probes of each kind (a VPC flipped, a new interface).
 */
class FleetSimulationIT {
  @TempDir
  Path tmp;

  @Test
  @Timeout(420)
  void aSmallFleetConvergesThroughTheAdminApiAndTheReportHoldsItsFigures() throws Exception {
    Path out = tmp.resolve("report");
    SimulationSettings settings = new SimulationSettings(6, 2, 2, 2, 2.0, Duration.ofSeconds(3), 1, out,
        Duration.ofSeconds(1), Duration.ofSeconds(180), "512m", 3, 3, 4, 2);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    FleetSimulation.Outcome outcome;
    try (PrintStream print = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
      outcome = FleetSimulation.run(settings, Files.createDirectories(tmp.resolve("work")), print);
    }
    String lines = progress.toString(StandardCharsets.UTF_8);
    SimulationResult result = outcome.result();
    assertThat(outcome.converged()).as(lines).isTrue();
    assertThat(result.convergedSeconds()).isPositive();
    // One latency per ServiceInterface of the plan, each from its apply until seen Ready.
    assertThat(result.latencies().count()).isEqualTo(8);
    assertThat(result.latencies().maxMs()).isPositive().isLessThanOrEqualTo(result.convergedSeconds() * 1000 + 1);
    assertThat(lines).contains("every DPU reported ready", "converged: 8 ServiceInterfaces, 4 networks, 2 VPCs Ready");

    Sample last = result.samples().get(result.samples().size() - 1);
    assertThat(last.interfacesReady()).isEqualTo(8);
    assertThat(last.nodesReady()).isEqualTo(6);
    assertThat(last.nbTransactions()).as("the bridge wrote the topology").isPositive();
    assertThat(last.nbRows()).isGreaterThan(last.nbTransactions());
    assertThat(last.sbTransactions()).as("northd and the simulated ovn-controllers wrote the Southbound").isPositive();
    assertThat(last.heapBytes()).as("read over JMX").isPositive();
    assertThat(last.heapAfterGcBytes()).as("after the controller's latest collection").isPositive();
    assertThat(last.rssBytes()).isGreaterThan(last.heapBytes() / 4);
    assertThat(last.cpuSeconds()).isPositive();
    assertThat(last.eventsPersisted()).as("at least one event per resource applied").isGreaterThanOrEqualTo(1 + 2 + 4 + 8);

    // Churn: 2/s for 3 s, every one Ready (heartbeat 1 s), all deleted again.
    assertThat(result.figures().get("churn: created")).isBetween(5.0, 7.0);
    assertThat(result.figures().get("churn: Ready")).isEqualTo(result.figures().get("churn: created"));
    assertThat(result.figures().get("churn: deleted")).isEqualTo(result.figures().get("churn: created"));
    // Two DPUs rebooted at once: chassis gone and back, ports bound again, every interface Ready again.
    assertThat(result.figures().get("reboot: DPUs")).isEqualTo(2.0);
    assertThat(result.figures().get("reboot: every ServiceInterface Ready again (s)")).isPositive();
    assertThat(lines).contains("reboot of 2 DPUs at once: registered again in");
    assertThat(result.figures().get("idle single change: count")).isEqualTo(3.0);
    assertThat(result.figures().get("idle single change p99 (ms)")).isPositive();
    assertThat(lines).contains("each once ovn-northd had used under 5% of a core for 250 ms");
    // The slowest probe is named: which change of the series it was.
    assertThat(lines).containsPattern("idle single changes \\(.*\\): 3 of 3, p50 [0-9.]+ ms, p99 [0-9.]+ ms, max [0-9.]+ ms "
        + "\\(sim-vpc-\\d+#[0-2]\\)");
    assertThat(result.figures().get("back-to-back single change: count")).isEqualTo(3.0);
    assertThat(result.figures().get("back-to-back single change p99 (ms)")).isPositive();
    // Each new interface is Ready: plugged by its agent, bound, and marked up by ovn-northd.
    assertThat(result.figures().get("idle new interface: count")).isEqualTo(3.0);
    assertThat(result.figures().get("idle new interface p99 (ms)")).isPositive();
    // ovn-northd's own times, read off its stopwatch: it recomputed at least once on the way.
    assertThat(result.figures().get("northd until convergence: ovnnb_db_run runs")).isPositive();
    assertThat(result.figures()).containsKey("northd after convergence: build_lflows mean (ms)");
    // The bridge's plans, read from the controller's /metrics: every owner (2 VPCs, 4 networks, 8
    // interfaces) planned at least once because it was published, and the causes add up.
    Map<String, Double> figures = result.figures();
    assertThat(figures.get("bridge until convergence: owners")).isEqualTo(14.0);
    assertThat(figures.get("bridge until convergence: owner plans (published)")).isGreaterThanOrEqualTo(14.0);
    assertThat(Arrays.stream(PlanCause.values()).mapToDouble(c -> figures.get(
        "bridge until convergence: owner plans (" + c.label() + ")")).sum())
        .isEqualTo(figures.get("bridge until convergence: owner plans"));
    assertThat(figures.get("bridge until convergence: transactions")).isPositive();
    assertThat(lines).containsPattern("Northbound bridge until convergence: \\d+ owner plans for 14 owners");

    assertThat(outcome.files()).extracting(p -> p.getFileName().toString())
        .containsExactly("timeline.csv", "latencies.csv", "summary.csv", "report.html");
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(summary).contains("converged,true", "service-interfaces,8", "dpus,6");
    assertThat(Files.readString(out.resolve("report.html"))).contains("<svg").doesNotContain("NOT CONVERGED");
  }
}
