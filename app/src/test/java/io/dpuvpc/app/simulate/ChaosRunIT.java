package io.dpuvpc.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vpc chaos} with every real part (OVN central, three controller JVMs, embedded Cassandra,
 * the simulated fleet): 10 SIGKILLs of a random controller during a burst of 120
 * ServiceInterfaces, Cassandra stopped 30 s under writes, the Northbound restarted and wiped.
 * Nothing acknowledged is lost, no Northbound row is duplicated or orphaned, everything is Ready
 * again after each fault. Prints the table. A controller that exits without being killed by the
 * run is started again, as its supervisor would, and named in the table's notes (see
 * {@link ControllerClusterIT}).
 */
class ChaosRunIT {
  @TempDir
  Path tmp;

  @Test
  @Timeout(1500)
  void tenControllerKillsACassandraOutageAndANorthboundRestartAndWipeLoseNothingAndLeaveNothing() throws Exception {
    SimulationSettings fleet = new SimulationSettings(12, 3, 2, 20, 0, Duration.ZERO, 3, tmp.resolve("report"),
        Duration.ofSeconds(2), Duration.ofSeconds(300), "512m", 0, 1, 8, 0);
    ChaosRun.Settings settings = new ChaosRun.Settings(fleet, 10, Duration.ofSeconds(30), true, 7);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ChaosRun.Outcome outcome;
    // Kept for the assertions and printed as it comes, so that a failed run shows how far it got.
    OutputStream both = new OutputStream() {
      @Override
      public void write(int b) {
        progress.write(b);
        System.out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        progress.write(b, off, len);
        System.out.write(b, off, len);
      }
    };
    try (PrintStream print = new PrintStream(both, true, StandardCharsets.UTF_8)) {
      outcome = ChaosRun.run(settings, Files.createDirectories(tmp.resolve("work")), print);
    }
    String lines = progress.toString(StandardCharsets.UTF_8);
    assertThat(outcome.rows()).extracting(ChaosRun.Row::fault).containsExactly("controller SIGKILL during the burst",
        "Cassandra stopped 30 s under writes", "Northbound restarted (data kept)", "Northbound wiped (restarted empty)");
    for (ChaosRun.Row row : outcome.rows()) {
      assertThat(row.lost()).as("%s: lost (%s)", row.fault(), row.notes()).isZero();
      assertThat(row.duplicates()).as("%s: duplicate rows (%s)", row.fault(), row.notes()).isZero();
      assertThat(row.orphans()).as("%s: orphan owners (%s)", row.fault(), row.notes()).isZero();
      assertThat(row.recoverSeconds()).as("%s: everything Ready again", row.fault()).isPositive();
    }
    ChaosRun.Row kills = outcome.rows().get(0);
    assertThat(kills.count()).isEqualTo(10);
    assertThat(kills.acknowledged()).isEqualTo(120);
    assertThat(lines).containsPattern("kill 10 of 10: SIGKILL to controller-\\d");
    ChaosRun.Row outage = outcome.rows().get(1);
    assertThat(outage.acknowledged()).as("the writes during the outage, applied again after it, are all there")
        .isGreaterThan(120);
    assertThat(outcome.clean()).isTrue();
    assertThat(Files.readString(outcome.report())).contains("| fault | count | acknowledged | lost | duplicates | orphans |");
  }
}
