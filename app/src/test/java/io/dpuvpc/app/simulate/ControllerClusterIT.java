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
 * The simulation's controllers as a supervisor keeps them: controller JVMs that exit without being
 * killed by the run (here: both SIGKILLed from outside, as the kernel's OOM killer would) are
 * started again in place, each reported with the end of its log; one the run killed itself is left
 * for the run to replace. Real Cassandra and two real controller JVMs.
 */
class ControllerClusterIT {
  @TempDir
  Path tmp;

  @Test
  @Timeout(420)
  void controllersThatExitOnTheirOwnAreStartedAgainAndReportedButOneKilledByTheRunIsNot() throws Exception {
    List<String> progress = new ArrayList<>();
    try (ControllerCluster cluster = ControllerCluster.start(Files.createDirectories(tmp.resolve("work")), 2, "384m",
        Duration.ofSeconds(120), progress::add)) {
      assertThat(cluster.restartExited(Duration.ofSeconds(120))).as("nobody exited yet").isEmpty();

      // Both at once, from outside: starting the first again must not wait on the second.
      List<ControllerCluster.Controller> before = List.copyOf(cluster.controllers());
      for (ControllerCluster.Controller c : before) {
        ProcessHandle process = ProcessHandle.of(c.pid()).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
      }
      assertThat(cluster.alive()).isEmpty();

      List<ControllerCluster.Exit> exits = cluster.restartExited(Duration.ofSeconds(120));
      assertThat(exits).extracting(ControllerCluster.Exit::name).containsExactly("controller-1", "controller-2");
      assertThat(exits).allSatisfy(e -> assertThat(e.lastWords()).as("the end of its log").isNotBlank());
      assertThat(cluster.alive()).containsExactly(0, 1);
      for (int i = 0; i < 2; i++) {
        ControllerCluster.Controller again = cluster.controllers().get(i);
        assertThat(again.name()).isEqualTo(before.get(i).name() + ".1");
        assertThat(again.apiPort()).as("in place, on its ports").isEqualTo(before.get(i).apiPort());
        assertThat(again.api().send("GET", "/readyz", null, null, "text/plain").code()).isEqualTo(200);
      }

      cluster.kill(0);
      assertThat(cluster.restartExited(Duration.ofSeconds(120))).as("killed by the run: the run replaces it").isEmpty();
      assertThat(cluster.alive()).containsExactly(1);
      cluster.replace(0, Duration.ofSeconds(120));
      assertThat(cluster.alive()).containsExactly(0, 1);
    }
  }
}
