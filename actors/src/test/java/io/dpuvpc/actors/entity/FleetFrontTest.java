package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
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

  /**
   * A burst of changes is written in batches: a thousand VPCs registered at once over a hundred
   * nodes take a few dozen journal writes, not a thousand, none over the batch limit, and every
   * VPC is told its own nodes; what the journal holds replays to the same claims.
   */
  @Test
  void aBurstOfChangesIsWrittenInBatchesAndEveryPartyIsToldItsAnswer() {
    String persistenceId = "Fleet|" + FleetEntity.ID;
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    List<Integer> writes = JournalWrites.of(journal, persistenceId);
    try {
      // The VPCs' entities are one probe here: what matters is what each VPC is told.
      TestProbe<DpuVpcEntity.Command> told = testKit.createTestProbe();
      ActorRef<FleetEntity.Command> fleet = testKit.spawn(FleetEntity.create(vpcsTo(told.getRef())));
      int vpcs = 1_000;
      for (int n = 0; n < 100; n++) {
        fleet.tell(new FleetEntity.NodeLabelsChanged("n" + n, Map.of("vpc", "v" + (n % 10))));
      }
      for (int v = 0; v < vpcs; v++) {
        fleet.tell(new FleetEntity.RegisterVpc(ResourceKey.namespaced(ResourceKind.DPU_VPC, "t", "v" + v),
            LabelSelector.ofLabels(Map.of("vpc", "v" + v))));
      }
      TestProbe<FleetEntity.Claims> claims = testKit.createTestProbe();
      fleet.tell(new FleetEntity.GetClaims(claims.getRef()));
      Map<String, Set<String>> byVpc = claims.receiveMessage(Duration.ofSeconds(30)).nodesByVpc();
      assertThat(byVpc).hasSize(vpcs);
      assertThat(byVpc.get(ResourceKey.namespaced(ResourceKind.DPU_VPC, "t", "v3").toString()))
          .containsExactlyInAnyOrder("n3", "n13", "n23", "n33", "n43", "n53", "n63", "n73", "n83", "n93");
      assertThat(byVpc.get(ResourceKey.namespaced(ResourceKind.DPU_VPC, "t", "v999").toString())).isEmpty();
      assertThat(writes).as("writes of at most %d events", FleetFront.MAX_CHANGES_PER_BATCH)
          .allMatch(n -> n <= FleetFront.MAX_CHANGES_PER_BATCH);
      assertThat(writes.stream().mapToInt(Integer::intValue).sum()).as("one event per change").isEqualTo(100 + vpcs);
      assertThat(writes.size()).as("far fewer writes than changes").isLessThan((100 + vpcs) / 5);
      // Every VPC was told its claim, at least once (the last ones registered were told theirs last).
      List<DpuVpcEntity.Command> messages = told.receiveSeveralMessages(vpcs, Duration.ofSeconds(30));
      assertThat(messages).allMatch(m -> m instanceof DpuVpcEntity.NodesClaimed);
    } finally {
      journal.resetPolicy();
    }
  }

  /** A directory whose every VPC is {@code vpcs}; the fleet needs no other entity here. */
  private static EntityDirectory vpcsTo(ActorRef<DpuVpcEntity.Command> vpcs) {
    return (EntityDirectory) Proxy.newProxyInstance(EntityDirectory.class.getClassLoader(),
        new Class<?>[] {EntityDirectory.class}, (proxy, method, args) -> {
          if (method.getName().equals("vpc")) {
            return vpcs;
          }
          throw new UnsupportedOperationException("the fleet asked for " + method.getName());
        });
  }

  private Set<String> silent(ActorRef<FleetEntity.Command> fleet) {
    TestProbe<FleetEntity.SilentNodes> probe = testKit.createTestProbe();
    fleet.tell(new FleetEntity.GetSilentNodes(probe.getRef()));
    return new TreeSet<>(probe.receiveMessage().nodes());
  }
}
