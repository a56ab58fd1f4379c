package io.dpuvpc.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.persistence.cassandra.LoopbackPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vpc lab up --dpus} end to end, as a user runs it: the OVN central, a controller process
 * (embedded Cassandra in the lab folder), a lab DPU and its {@code vpc node} process, all in the
 * background; {@code lab status} lists them, {@code lab down} leaves no process nor namespace.
 */
class LabFleetCommandIT {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();

  @AfterEach
  void down() {
    run("lab", "down", "--work", dir.toString());
  }

  @Test
  void upWithADpuRunsAControllerAndAnAgentProcessThatReportsItAndDownRemovesEverything() throws Exception {
    int apiPort = LoopbackPorts.free();
    int clusterPort = LoopbackPorts.free();
    // A prefix of its own: another lab (a developer's, another test) may use the default one.
    String prefix = "f" + ProcessHandle.current().pid() % 1000;
    int code = run("lab", "up", "--work", dir.toString(), "--nb-port", "0", "--sb-port", "0", "--prefix", prefix, "--dpus", "q",
        "--label", "q:vpc.dpu.nvidia.com/tenant=red", "--vfs", "1", "--api-port", Integer.toString(apiPort),
        "--cluster-port", Integer.toString(clusterPort));
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString()).contains("Controller up in", "admin API http://127.0.0.1:" + apiPort)
        .containsPattern("q +vtep 192\\.168\\.100\\.1 +external 172\\.16\\.1\\.1/16 +labels \\{vpc\\.dpu\\.nvidia\\.com/tenant=red\\}")
        .contains(prefix + "-h-q-vf0");

    assertThat(run("lab", "status", "--work", dir.toString())).isZero();
    assertThat(out.toString()).containsPattern("controller +alive").containsPattern("node-q +alive")
        .contains("ovn-controller q pid", "netns " + prefix + "-dpu-q present");

    assertThat(run("lab", "down", "--work", dir.toString())).isZero();
    assertThat(out.toString()).contains("Stopped node-q", "Stopped controller", "Stopped netns " + prefix + "-dpu-q");
    assertThat(ExternalCommand.run("ip", "netns", "list").stdout()).doesNotContain(prefix + "-dpu-q", prefix + "-h-q");
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains(dir.toString())).toList()).as("processes of the lab left").isEmpty();
  }

  @Test
  void aLabelForAnUnknownDpuIsAUsageErrorNamingIt() {
    // A prefix of its own: another lab (a developer's, another test) may use the default one.
    String prefix = "f" + ProcessHandle.current().pid() % 1000;
    int code = run("lab", "up", "--work", dir.toString(), "--nb-port", "0", "--sb-port", "0", "--prefix", prefix, "--dpus", "q",
        "--label", "z:tenant=red");
    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).contains("--label z:tenant=red: no DPU named z");
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(args);
  }
}
