package io.dpuvpc.app.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which recorded processes are ours and alive, on real processes. */
class VpcProcessesTest {
  @TempDir
  Path tmp;

  @Test
  void aStartedProcessIsAliveFromTheStartAndItsExitCodeIsKnownOnceItExits() throws Exception {
    VpcProcesses processes = new VpcProcesses(tmp);
    // An unknown option: the JVM starts, Main refuses it and exits non-zero.
    VpcProcesses.Status started = processes.start("refused", List.of(), Map.of(), List.of("--no-such-option"));
    assertThat(processes.status("refused")).hasValueSatisfying(s -> assertThat(s.alive()).isTrue());
    assertThat(processes.exitCode("refused")).isEmpty();

    ProcessHandle.of(started.pid()).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    assertThat(processes.status("refused")).hasValueSatisfying(s -> assertThat(s.alive()).isFalse());
    assertThat(processes.exitCode("refused")).hasValueSatisfying(code -> assertThat(code).isNotZero());
    assertThat(Files.readString(processes.log("refused"))).contains("no-such-option");
    assertThat(processes.stop("refused", Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void anotherProgramOnARecordedPidIsNotOursNorIsAZombie() throws Exception {
    // sh leaves a child it never waits for, then becomes sleep, which will not reap it either.
    Process sleeper = new ProcessBuilder("sh", "-c", "true & exec sleep 30").start();
    try {
      ProcessHandle sleep = sleeper.toHandle();
      assertThat(VpcProcesses.isOurs(sleep)).as("sleep").isFalse();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      ProcessHandle zombie = null;
      while (zombie == null && System.nanoTime() < deadline) {
        zombie = sleep.children().findFirst().filter(c -> VpcProcesses.zombie(c.pid())).orElse(null);
        Thread.sleep(20);
      }
      assertThat(zombie).as("the unreaped child").isNotNull();
      assertThat(Files.readAllBytes(Path.of("/proc", Long.toString(zombie.pid()), "cmdline"))).as("a zombie's command line").isEmpty();
      assertThat(VpcProcesses.isOurs(zombie)).as("a zombie").isFalse();
    } finally {
      sleeper.destroyForcibly();
    }
  }
}
