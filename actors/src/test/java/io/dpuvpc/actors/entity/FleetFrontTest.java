package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet as sharding runs it ({@link FleetFront} before the journaled {@link FleetEntity}), on
 * the in-memory journal: the silent nodes are answered from memory, even while the journal is busy.
 */
class FleetFrontTest {
  static final ResourceKey RED = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "red");

  private final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(EntityTestConfig.config()));
  private final TestDirectory directory = new TestDirectory(testKit, Clock.systemUTC());

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void fleetAnswersTheSilentNodesAsTheyAreNowThoughTheAnswerIsKeptBetweenChanges() {
    ActorRef<FleetEntity.Command> fleet = testKit.spawn(FleetEntity.create(directory));
    assertThat(silent(fleet)).isEmpty();
    fleet.tell(new FleetEntity.NodeSilent("n1"));
    fleet.tell(new FleetEntity.NodeSilent("n2"));
    assertThat(silent(fleet)).containsExactly("n1", "n2");
    fleet.tell(new FleetEntity.NodeSilent("n2")); // already silent: the same answer
    assertThat(silent(fleet)).containsExactly("n1", "n2");
    fleet.tell(new FleetEntity.NodeHeard("n1"));
    assertThat(silent(fleet)).containsExactly("n2");
    fleet.tell(new FleetEntity.NodeHeard("n3")); // never silent
    assertThat(silent(fleet)).containsExactly("n2");
    fleet.tell(new FleetEntity.NodeSilent("n1"));
    assertThat(silent(fleet)).containsExactly("n1", "n2");
  }

  @Test
  void fleetAnswersTheSilentNodesWhileItsJournalIsBusy() {
    ActorRef<FleetEntity.Command> fleet = testKit.spawn(FleetEntity.create(directory));
    fleet.tell(new FleetEntity.NodeSilent("n1"));
    // Thousands of label changes, each a write the journaled part stashes commands behind, then
    // asks told after them: the front answers each from memory, none waits in that stash.
    for (int i = 0; i < 5_000; i++) {
      fleet.tell(new FleetEntity.NodeLabelsChanged("n" + i, Map.of("seq", Integer.toString(i))));
    }
    TestProbe<FleetEntity.SilentNodes> probe = testKit.createTestProbe();
    for (int i = 0; i < 1_000; i++) {
      fleet.tell(new FleetEntity.GetSilentNodes(probe.getRef()));
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(probe.receiveMessage().nodes()).containsExactly("n1");
    }
    // The label changes went to the journaled part all the same.
    TestProbe<FleetEntity.Claims> claims = testKit.createTestProbe();
    fleet.tell(new FleetEntity.RegisterVpc(RED, LabelSelector.ofLabels(Map.of("seq", "4999"))));
    fleet.tell(new FleetEntity.GetClaims(claims.getRef()));
    assertThat(claims.receiveMessage(Duration.ofSeconds(30)).nodesByVpc())
        .containsEntry(RED.toString(), Set.of("n4999"));
  }

  private Set<String> silent(ActorRef<FleetEntity.Command> fleet) {
    TestProbe<FleetEntity.SilentNodes> probe = testKit.createTestProbe();
    fleet.tell(new FleetEntity.GetSilentNodes(probe.getRef()));
    return new TreeSet<>(probe.receiveMessage().nodes());
  }
}
