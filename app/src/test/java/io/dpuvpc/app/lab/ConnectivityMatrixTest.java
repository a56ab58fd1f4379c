package io.dpuvpc.app.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.app.lab.ConnectivityMatrix.Egress;
import io.dpuvpc.app.lab.ConnectivityMatrix.Host;
import io.dpuvpc.app.lab.ConnectivityMatrix.Probe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table a demo prints: what each cell says, and when the whole is as expected. */
class ConnectivityMatrixTest {
  private static final Host RED = host("red", "a", "192.178.0.2");
  private static final Host BLUE = host("blue", "b", "192.178.0.10");

  @Test
  void cellsSayWhetherEachProbeCameOutAsExpected() {
    ConnectivityMatrix matrix = ConnectivityMatrix.of(List.of(RED, BLUE), List.of(
        new Probe("red", "blue", false, false, 2000, false),
        new Probe("blue", "red", false, true, 15, false)), List.of());
    String[] lines = matrix.render().split("\n");

    assertThat(lines[0]).containsSubsequence("from\\to", "red", "blue");
    assertThat(lines[1]).containsSubsequence("red", "-", "no");
    assertThat(lines[2]).containsSubsequence("blue", "YES!", "-");
    assertThat(lines[3]).isEqualTo("2 probes, 1 as expected; slowest answer 15 ms");
    assertThat(matrix.asExpected()).isFalse();
  }

  @Test
  void aProbeThatShouldHaveAnsweredIsMarkedAndEveryProbeAsExpectedMakesTheWhole() {
    ConnectivityMatrix unanswered = ConnectivityMatrix.of(List.of(RED, BLUE), List.of(
        new Probe("red", "blue", true, false, 10000, false),
        new Probe("blue", "red", true, true, 1020, false)), List.of());
    assertThat(unanswered.render()).contains("NO!");
    assertThat(unanswered.asExpected()).isFalse();

    ConnectivityMatrix fine = ConnectivityMatrix.of(List.of(RED, BLUE), List.of(
        new Probe("red", "blue", true, true, 30, false),
        new Probe("blue", "red", true, true, 1020, false)), List.of());
    assertThat(fine.render()).doesNotContain("!");
    assertThat(fine.asExpected()).isTrue();
  }

  @Test
  void egressComparesTheSourceExtSawWithTheExpectedOne() {
    List<Probe> none = List.of();
    ConnectivityMatrix snatted = ConnectivityMatrix.of(List.of(RED), none,
        List.of(new Egress("red", true, 20, "172.16.1.1", "172.16.1.1")));
    assertThat(snatted.asExpected()).isTrue();
    assertThat(snatted.render()).contains("ext saw 172.16.1.1, expected 172.16.1.1: ok");

    ConnectivityMatrix leaked = ConnectivityMatrix.of(List.of(RED), none,
        List.of(new Egress("red", true, 20, "172.16.1.1", "192.178.0.2")));
    assertThat(leaked.asExpected()).isFalse();
    assertThat(leaked.render()).contains("ext saw 192.178.0.2, expected 172.16.1.1: WRONG");

    ConnectivityMatrix silent = ConnectivityMatrix.of(List.of(RED), none,
        List.of(new Egress("red", false, 10000, "172.16.1.1", null)));
    assertThat(silent.asExpected()).isFalse();
    assertThat(silent.render()).contains("NO ANSWER").contains("ext saw nothing");
  }

  @Test
  void aPairWhoseTargetHoldsTheSourcesOwnAddressIsNotProbedAndSaysSo() {
    ConnectivityMatrix apart = ConnectivityMatrix.of(List.of(RED, BLUE), List.of(
        new Probe("red", "blue", false, false, 0, true),
        new Probe("blue", "red", false, false, 2000, false)), List.of());
    assertThat(apart.render()).contains("(own)").contains("not probed");
    assertThat(apart.asExpected()).isTrue();

    // Hosts that should reach each other cannot share an address: that is a failure, not a skip.
    ConnectivityMatrix clash = ConnectivityMatrix.of(List.of(RED, BLUE), List.of(
        new Probe("red", "blue", true, false, 0, true),
        new Probe("blue", "red", true, false, 0, true)), List.of());
    assertThat(clash.render()).contains("NO!");
    assertThat(clash.asExpected()).isFalse();
  }

  /** A host whose namespace is never entered: the table only needs its name. */
  private static Host host(String name, String dpu, String ip) {
    return new Host(name, new LabHost("t-h-" + dpu + "-vf2", dpu, 2, Path.of("/nonexistent"), "t-ext"), ip, null);
  }
}
