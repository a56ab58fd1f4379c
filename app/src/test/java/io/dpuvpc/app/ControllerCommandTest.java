package io.dpuvpc.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.app.cluster.ControllerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vpc controller}'s Kubernetes options: what reaches the controller's settings, and usage errors. */
class ControllerCommandTest {
  @TempDir
  Path dir;

  private ControllerProcess.Settings parse(String... args) {
    ControllerCommand command = new ControllerCommand();
    new CommandLine(command).parseArgs(args);
    return ControllerProcess.Settings.from(command.settings(), dir);
  }

  @Test
  void withoutKubernetesOptionsTheControllerWatchesNoCluster() {
    assertThat(parse().kubernetes()).isEmpty();
  }

  @Test
  void kubeconfigsReachTheKubernetesIngressWithItsDefaults() throws IOException {
    Path host = Files.writeString(dir.resolve("host.kubeconfig"), "apiVersion: v1\nkind: Config\n");
    Path dpu = Files.writeString(dir.resolve("dpu.kubeconfig"), "apiVersion: v1\nkind: Config\n");

    var only = parse("--kubeconfig", host.toString()).kubernetes().orElseThrow();
    assertThat(only.kubeconfig()).contains(host.toAbsolutePath());
    assertThat(only.dpuKubeconfig()).isEmpty();
    assertThat(only.publisher().period()).isEqualTo(Duration.ofMillis(500));
    assertThat(only.publisher().writesPerSecond()).isEqualTo(50.0);

    var both = parse("--kubeconfig", host.toString(), "--dpu-kubeconfig", dpu.toString()).kubernetes().orElseThrow();
    assertThat(both.dpuKubeconfig()).contains(dpu.toAbsolutePath());

    var inCluster = parse("--in-cluster").kubernetes().orElseThrow();
    assertThat(inCluster.kubeconfig()).isEmpty();
  }

  @Test
  void badKubernetesOptionsAreUsageErrorsNamingTheOption() throws IOException {
    Path dpu = Files.writeString(dir.resolve("dpu.kubeconfig"), "apiVersion: v1\n");
    assertThatThrownBy(() -> parse("--dpu-kubeconfig", dpu.toString()))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--dpu-kubeconfig needs --kubeconfig");
    assertThatThrownBy(() -> parse("--kubeconfig", dir.resolve("missing").toString()))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("missing").hasMessageContaining("no such readable file");
  }
}
