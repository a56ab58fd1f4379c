package io.dpuvpc.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunCpuTest {
  @Test
  void readsTheCpuOfLiveProcessesAndLeavesOutTheOnesItCannotRead() {
    long self = ProcessHandle.current().pid();
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("simulator", self);
    pids.put("gone", Long.MAX_VALUE);
    RunCpu cpu = new RunCpu(() -> pids);

    Map<String, Double> before = cpu.now();
    long spin = System.nanoTime() + 300_000_000L;
    double sink = 0;
    while (System.nanoTime() < spin) {
      sink += Math.sqrt(sink + 1);
    }
    Map<String, Double> used = RunCpu.since(before, cpu.now());

    assertThat(before).containsOnlyKeys("simulator");
    assertThat(sink).isPositive();
    // 300 ms of spinning on this thread, in clock ticks of 10 ms; other threads may add some.
    assertThat(used.get("simulator")).isGreaterThanOrEqualTo(0.2);
  }

  @Test
  void aProcessMissingAtEitherEndOrRestartedIsLeftOut() {
    Map<String, Double> start = Map.of("controller-1", 10.0, "Cassandra", 50.0, "ovn-northd", 7.0);
    Map<String, Double> end = Map.of("controller-1", 160.25, "Cassandra", 3.0, "simulator", 40.0);

    assertThat(RunCpu.since(start, end)).containsExactly(Map.entry("controller-1", 150.25));
  }

  @Test
  void describesTheLargestFirstAndTheSumAgainstTheCores() {
    Map<String, Double> used = new LinkedHashMap<>();
    used.put("simulator", 40.0);
    used.put("controller-1", 150.2);
    used.put("Cassandra", 98.1);

    assertThat(RunCpu.describe(used, 219.0, 2))
        .isEqualTo("controller-1 150.2 s, Cassandra 98.1 s, simulator 40.0 s; 288.3 s of the 2 cores' 438.0 s");
  }

  @Test
  void waitsForAQuietProcessAndGivesUpOnABusyOneOrOneItCannotRead() throws Exception {
    Process idle = new ProcessBuilder("sleep", "30").start();
    Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
    try {
      RunCpu cpu = new RunCpu(() -> Map.of("idle", idle.pid(), "busy", busy.pid(), "gone", Long.MAX_VALUE));
      Duration window = Duration.ofMillis(200);

      assertThat(cpu.awaitQuiet("idle", window, 0.05, Duration.ofSeconds(5))).isBetween(0.2, 4.0);
      // A shell spinning uses a whole core: never under 5% of one within the cap.
      assertThat(cpu.awaitQuiet("busy", window, 0.05, Duration.ofSeconds(1))).isNaN();
      assertThat(cpu.awaitQuiet("gone", window, 0.05, Duration.ofSeconds(1))).isNaN();
      assertThat(cpu.awaitQuiet("unknown", window, 0.05, Duration.ofSeconds(1))).isNaN();
    } finally {
      idle.destroyForcibly();
      busy.destroyForcibly();
    }
  }
}
