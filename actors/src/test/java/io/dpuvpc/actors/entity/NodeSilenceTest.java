package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose agent stops reporting is told to the fleet as silent once its grace has passed
 * (here 1 s, through {@value DpuNodeEntity#SILENCE_GRACE_SETTING}), and no longer when it reports
 * again or is deleted; a node never silent is never listed. Its readiness has a grace of its own
 * (here 2 s, through {@value DpuNodeEntity#HEARTBEAT_GRACE_SETTING}).
 */
class NodeSilenceTest {
  private final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
      DpuNodeEntity.SILENCE_GRACE_SETTING + " = 1s\n" + DpuNodeEntity.HEARTBEAT_GRACE_SETTING + " = 2s")
      .withFallback(EntityTestConfig.config()));
  private final TestDirectory directory = new TestDirectory(testKit, Clock.systemUTC());

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  private Set<String> silent() {
    TestProbe<FleetEntity.SilentNodes> probe = testKit.createTestProbe();
    directory.fleet().tell(new FleetEntity.GetSilentNodes(probe.getRef()));
    return probe.receiveMessage().nodes();
  }

  private void report(String node) {
    TestProbe<ApplyReply> probe = testKit.createTestProbe();
    directory.node(node).tell(new DpuNodeEntity.Report(DpuNodeEntityTest.facts(node, "10.0.100.1"), probe.getRef()));
    assertThat(probe.receiveMessage()).isInstanceOf(ApplyReply.Accepted.class);
  }

  @Test
  void aNodeUnheardForItsGraceIsSilentUntilItReportsAgainOrIsDeleted() {
    report("dpu-1");
    report("dpu-2");
    assertThat(silent()).isEmpty();

    // dpu-2 keeps reporting, dpu-1 stops.
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < Duration.ofMillis(1800).toNanos()) {
      report("dpu-2");
      sleep(300);
    }
    eventually(() -> silent().equals(Set.of("dpu-1")));

    report("dpu-1");
    eventually(() -> silent().isEmpty());

    // Silent again, then deleted: a deleted node is no one's to clean up through this list.
    eventually(() -> silent().containsAll(Set.of("dpu-1", "dpu-2")));
    TestProbe<DeleteReply> deleted = testKit.createTestProbe();
    directory.node("dpu-1").tell(new DpuNodeEntity.Delete(deleted.getRef()));
    assertThat(deleted.receiveMessage()).isInstanceOf(DeleteReply.Deleted.class);
    eventually(() -> silent().equals(Set.of("dpu-2")));
  }

  @Test
  void theHeartbeatGraceIsASettingAndTheStatusSaysWhyTheNodeIsNotReady() {
    report("dpu-1");
    assertThat(status("dpu-1").node().ready()).isTrue();
    eventually(() -> !status("dpu-1").node().ready()); // within 5 s: not the default 30 s
    DpuNodeEntity.NotReady why = status("dpu-1").notReady();
    assertThat(why.reason()).isEqualTo(DpuNodeEntity.AGENT_SILENT);
    assertThat(why.message()).contains("(grace 2 s)");

    report("dpu-1");
    assertThat(status("dpu-1").node().ready()).isTrue();
    assertThat(status("dpu-1").notReady()).isNull();
  }

  private DpuNodeEntity.Status status(String node) {
    TestProbe<DpuNodeEntity.Status> probe = testKit.createTestProbe();
    directory.node(node).tell(new DpuNodeEntity.GetStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  /** Polls {@code condition} every 100 ms for up to 5 s (the actors module has no awaitility). */
  private static void eventually(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      sleep(100);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
