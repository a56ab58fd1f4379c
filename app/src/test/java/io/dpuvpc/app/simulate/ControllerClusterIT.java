package io.dpuvpc.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation's controllers as a supervisor keeps them: a controller JVM that exits without
 * being killed by the run (here: SIGKILLed from outside, as the kernel's OOM killer would) is
 * started again in place and reported with the end of its log; one the run killed itself is left
 * for the run to replace. Real Cassandra and a real controller JVM.
 */
class ControllerClusterIT {
  @TempDir
  Path tmp;

  @Test
  @Timeout(300)
  void aControllerThatExitsOnItsOwnIsStartedAgainAndReportedButOneKilledByTheRunIsNot() throws Exception {
    List<String> progress = new ArrayList<>();
    try (ControllerCluster cluster = ControllerCluster.start(Files.createDirectories(tmp.resolve("work")), 1, "384m",
        Duration.ofSeconds(120), progress::add)) {
      assertThat(cluster.restartExited(Duration.ofSeconds(120))).as("nobody exited yet").isEmpty();

      ControllerCluster.Controller first = cluster.controllers().get(0);
      ProcessHandle process = ProcessHandle.of(first.pid()).orElseThrow();
      process.destroyForcibly();
      process.onExit().get(30, TimeUnit.SECONDS);
      assertThat(cluster.alive()).isEmpty();

      List<ControllerCluster.Exit> exits = cluster.restartExited(Duration.ofSeconds(120));
      assertThat(exits).extracting(ControllerCluster.Exit::name).containsExactly(first.name());
      assertThat(exits.get(0).lastWords()).as("the end of its log").isNotBlank();
      ControllerCluster.Controller second = cluster.controllers().get(0);
      assertThat(second.name()).isEqualTo(first.name() + ".1");
      assertThat(second.apiPort()).as("in place, on its ports").isEqualTo(first.apiPort());
      assertThat(cluster.alive()).containsExactly(0);
      assertThat(second.api().send("GET", "/readyz", null, null, "text/plain").code()).isEqualTo(200);

      cluster.kill(0);
      assertThat(cluster.restartExited(Duration.ofSeconds(120))).as("killed by the run: the run replaces it").isEmpty();
      assertThat(cluster.alive()).isEmpty();
      cluster.replace(0, Duration.ofSeconds(120));
      assertThat(cluster.alive()).containsExactly(0);
    }
  }
}
