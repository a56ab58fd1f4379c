package io.dpuvpc.ovn.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ExternalCommandTest {
    @Test
    void aMissingToolNamesItsDebianPackage() {
        assertThatThrownBy(() -> ExternalCommand.locate("no-such-tool-xyz"))
                .isInstanceOf(MissingToolException.class)
                .hasMessageContaining("no-such-tool-xyz not found");
        assertThat(ExternalCommand.debianPackageOf("ovn-northd")).isEqualTo("ovn-central");
        assertThat(ExternalCommand.debianPackageOf("ovsdb-server")).isEqualTo("openvswitch-common");
    }

    @Test
    void capturesOutputAndExitCode() {
        ExternalCommand.Result result = ExternalCommand.run(Duration.ofSeconds(10),
                List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThatThrownBy(result::orThrow).isInstanceOf(OvnLabException.class).hasMessageContaining("exited with 3");
    }

    @Test
    void killsAToolThatRunsTooLong() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> ExternalCommand.run(Duration.ofMillis(300), List.of("sleep", "30")))
                .isInstanceOf(OvnLabException.class).hasMessageContaining("did not finish within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aDetachedDaemonDoesNotHoldTheRunOpen() {
        // The shell forks a background child that keeps stdout open; output goes to a file, so run() returns.
        long started = System.nanoTime();
        ExternalCommand.Result result = ExternalCommand.run(Duration.ofSeconds(10),
                List.of("sh", "-c", "sleep 3 & echo started"));
        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
}
