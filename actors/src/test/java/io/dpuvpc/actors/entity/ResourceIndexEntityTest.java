package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The index of one kind, command by command with Pekko's {@code EventSourcedBehaviorTestKit}
 * (which also round-trips every command, event and state through Jackson CBOR): what Add and
 * Remove persist (only changes), what List answers, and recovery from a snapshot plus events.
 */
class ResourceIndexEntityTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(EntityTestConfig.config()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  EventSourcedBehaviorTestKit<?, ?, ?> current;

  @AfterEach
  void clear() {
    if (current != null) {
      current.clear();
    }
  }

  EventSourcedBehaviorTestKit<ResourceIndexEntity.Command, ResourceIndexEntity.Event, ResourceIndexEntity.State> kit(
      ResourceKind kind) {
    // The state is not checked for serialization after each command: the entity's FlushAdds to
    // itself changes it while the kit would read it (commands and events still are checked).
    var kit = EventSourcedBehaviorTestKit.<ResourceIndexEntity.Command, ResourceIndexEntity.Event,
        ResourceIndexEntity.State>create(testKit.system(), ResourceIndexEntity.create(kind),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    current = kit;
    return kit;
  }

  static ResourceKey vpc(String namespace, String name) {
    return ResourceKey.namespaced(ResourceKind.DPU_VPC, namespace, name);
  }

  static ResourceIndexEntity.Listing list(
      EventSourcedBehaviorTestKit<ResourceIndexEntity.Command, ResourceIndexEntity.Event, ResourceIndexEntity.State> kit,
      String namespace) {
    return kit.<ResourceIndexEntity.Listing>runCommand(r -> new ResourceIndexEntity.List(namespace, r)).reply();
  }

  /** The events written so far; a listing first, which is answered after any FlushAdds already queued. */
  static List<Object> written(
      EventSourcedBehaviorTestKit<ResourceIndexEntity.Command, ResourceIndexEntity.Event, ResourceIndexEntity.State> kit,
      ResourceKind kind) {
    list(kit, null);
    return kit.persistenceTestKit().persistedInStorage(ResourceIndexEntity.persistenceId(kind).id());
  }

  @Test
  void addsRemovesAndListsSortedByNamespaceThenName() {
    var kit = kit(ResourceKind.DPU_VPC);

    kit.runCommand(new ResourceIndexEntity.Add(vpc("b", "red")));
    assertThat(written(kit, ResourceKind.DPU_VPC)).containsExactly(new ResourceIndexEntity.Added(vpc("b", "red")));
    kit.runCommand(new ResourceIndexEntity.Add(vpc("a", "zeta")));
    kit.runCommand(new ResourceIndexEntity.Add(vpc("b", "blue")));
    kit.runCommand(new ResourceIndexEntity.Add(vpc("a-b", "x")));

    assertThat(list(kit, null)).isEqualTo(new ResourceIndexEntity.Listing(ResourceKind.DPU_VPC, null,
        List.of(vpc("a", "zeta"), vpc("a-b", "x"), vpc("b", "blue"), vpc("b", "red")), null));
    assertThat(list(kit, "b").keys()).containsExactly(vpc("b", "blue"), vpc("b", "red"));
    // A namespace that is a prefix of another's name lists only its own.
    assertThat(list(kit, "a").keys()).containsExactly(vpc("a", "zeta"));
    assertThat(list(kit, "c").keys()).isEmpty();
    assertThat(list(kit, "").keys()).hasSize(4);

    var removed = kit.runCommand(new ResourceIndexEntity.Remove(vpc("b", "red")));
    assertThat(removed.events()).containsExactly(new ResourceIndexEntity.Removed(vpc("b", "red")));
    assertThat(list(kit, "b").keys()).containsExactly(vpc("b", "blue"));
    assertThat(written(kit, ResourceKind.DPU_VPC)).hasSize(5);

    kit.restart();
    assertThat(list(kit, null).keys()).containsExactly(vpc("a", "zeta"), vpc("a-b", "x"), vpc("b", "blue"));
  }

  @Test
  void addAndRemoveAreIdempotentAndWriteNothingWhenNothingChanges() {
    var kit = kit(ResourceKind.DPU_VPC);
    kit.runCommand(new ResourceIndexEntity.Add(vpc("a", "red")));
    assertThat(written(kit, ResourceKind.DPU_VPC)).hasSize(1);

    kit.runCommand(new ResourceIndexEntity.Add(vpc("a", "red")));
    kit.runCommand(new ResourceIndexEntity.Remove(vpc("a", "blue")));
    assertThat(written(kit, ResourceKind.DPU_VPC)).hasSize(1);
    kit.runCommand(new ResourceIndexEntity.Remove(vpc("a", "red")));
    kit.runCommand(new ResourceIndexEntity.Remove(vpc("a", "red")));
    assertThat(written(kit, ResourceKind.DPU_VPC)).hasSize(2);
    // A key of another kind is a wiring bug: never listed, nothing written.
    kit.runCommand(new ResourceIndexEntity.Add(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "a", "red")));
    assertThat(written(kit, ResourceKind.DPU_VPC)).hasSize(2);
    assertThat(list(kit, null).keys()).isEmpty();
  }

  @Test
  void anAddWithAReplyToHearsOnceItsKeyIsWrittenOrAtOnceWhenItAlreadyIs() {
    var kit = kit(ResourceKind.DPU_VPC);
    TestProbe<ResourceIndexEntity.Listed> sender = testKit.createTestProbe();

    kit.runCommand(new ResourceIndexEntity.Add(vpc("a", "red"), sender.getRef()));
    assertThat(sender.receiveMessage()).isEqualTo(new ResourceIndexEntity.Listed(vpc("a", "red")));
    assertThat(written(kit, ResourceKind.DPU_VPC)).containsExactly(new ResourceIndexEntity.Added(vpc("a", "red")));

    // Told again (the sender did not hear, or a recovered entity): answered, nothing written.
    kit.runCommand(new ResourceIndexEntity.Add(vpc("a", "red"), sender.getRef()));
    assertThat(sender.receiveMessage()).isEqualTo(new ResourceIndexEntity.Listed(vpc("a", "red")));
    assertThat(written(kit, ResourceKind.DPU_VPC)).hasSize(1);
  }

  @Test
  void indexListingTellsAgainUntilTheIndexAnswersThenStops() {
    TestProbe<ResourceIndexEntity.Command> index = testKit.createTestProbe();
    ActorRef<Object> listing = testKit.spawn(IndexListing.create(index.getRef(), vpc("a", "red"), Duration.ofMillis(200)));

    // The first two tells go unanswered, as when the index's node dies with them.
    var first = index.expectMessageClass(ResourceIndexEntity.Add.class);
    var second = index.expectMessageClass(ResourceIndexEntity.Add.class, Duration.ofSeconds(2));
    assertThat(second).isEqualTo(first);
    var third = index.expectMessageClass(ResourceIndexEntity.Add.class, Duration.ofSeconds(2));
    third.replyTo().tell(new ResourceIndexEntity.Listed(vpc("a", "red")));

    index.expectTerminated(listing, Duration.ofSeconds(2));
    index.expectNoMessage(Duration.ofMillis(900));
  }

  @Test
  void pagesThroughAKindWithLimitAndContinueAfter() {
    var kit = kit(ResourceKind.DPU_VPC);
    for (String ns : List.of("a", "b")) {
      for (int i = 0; i < 3; i++) {
        kit.runCommand(new ResourceIndexEntity.Add(vpc(ns, "v" + i)));
      }
    }

    var first = kit.<ResourceIndexEntity.Listing>runCommand(r -> new ResourceIndexEntity.List(null, null, 4, r)).reply();
    assertThat(first.keys()).containsExactly(vpc("a", "v0"), vpc("a", "v1"), vpc("a", "v2"), vpc("b", "v0"));
    assertThat(first.continueAfter()).isEqualTo(vpc("b", "v0"));
    var last = kit.<ResourceIndexEntity.Listing>runCommand(
        r -> new ResourceIndexEntity.List(null, first.continueAfter(), 4, r)).reply();
    assertThat(last.keys()).containsExactly(vpc("b", "v1"), vpc("b", "v2"));
    assertThat(last.continueAfter()).isNull();

    // Within a namespace: a cursor from before it starts at its first key, and stops at its end.
    var inB = kit.<ResourceIndexEntity.Listing>runCommand(r -> new ResourceIndexEntity.List("b", vpc("a", "v1"), 2, r))
        .reply();
    assertThat(inB.keys()).containsExactly(vpc("b", "v0"), vpc("b", "v1"));
    assertThat(inB.continueAfter()).isEqualTo(vpc("b", "v1"));
    var restOfA = kit.<ResourceIndexEntity.Listing>runCommand(r -> new ResourceIndexEntity.List("a", vpc("a", "v0"), 5, r))
        .reply();
    assertThat(restOfA.keys()).containsExactly(vpc("a", "v1"), vpc("a", "v2"));
    assertThat(restOfA.continueAfter()).isNull();
  }

  @Test
  void aClusterScopedKindListsEverythingAndNothingInANamespace() {
    var kit = kit(ResourceKind.DPU_NODE);
    ResourceKey node = ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-1");
    kit.runCommand(new ResourceIndexEntity.Add(node));

    assertThat(list(kit, null).keys()).containsExactly(node);
    assertThat(list(kit, "default").keys()).isEmpty();
  }

  @Test
  void snapshotsEveryThousandEventsACopyOfTheKeysThenAndRecovers() {
    var kit = kit(ResourceKind.SERVICE_INTERFACE);
    int total = ResourceIndexEntity.SNAPSHOT_EVERY + 3;
    for (int i = 0; i < total; i++) {
      kit.runCommand(new ResourceIndexEntity.Add(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "ns", "si-" + i)));
    }
    String persistenceId = ResourceIndexEntity.persistenceId(ResourceKind.SERVICE_INTERFACE).id();
    assertThat(written(kit, ResourceKind.SERVICE_INTERFACE)).hasSize(total);
    var snapshots = kit.snapshotTestKit().orElseThrow().persistedInStorage(persistenceId);
    assertThat(snapshots).hasSize(1);
    assertThat(snapshots.get(0).first().sequenceNr()).isEqualTo(ResourceIndexEntity.SNAPSHOT_EVERY);
    assertThat(((ResourceIndexEntity.State) snapshots.get(0).second()).size()).isEqualTo(ResourceIndexEntity.SNAPSHOT_EVERY);

    assertThat(kit.restart().state().size()).isEqualTo(total);
    assertThat(list(kit, "ns").keys()).hasSize(total);

    // The snapshot is a copy, both ways: neither the running entity nor the recovered one changed it.
    assertThat(((ResourceIndexEntity.State) kit.snapshotTestKit().orElseThrow().persistedInStorage(persistenceId)
        .get(0).second()).size()).isEqualTo(ResourceIndexEntity.SNAPSHOT_EVERY);
  }

  @Test
  void aBurstOfAddsIsWrittenInBatchesAndListedAtOnce() {
    ResourceKind kind = ResourceKind.SERVICE_INTERFACE;
    String persistenceId = ResourceIndexEntity.persistenceId(kind).id();
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    List<Integer> writes = JournalWrites.of(journal, persistenceId);
    try {
      ActorRef<ResourceIndexEntity.Command> index = testKit.spawn(ResourceIndexEntity.create(kind));
      TestProbe<ResourceIndexEntity.Listing> probe = testKit.createTestProbe();
      int total = 1_000;
      for (int i = 0; i < total; i++) {
        index.tell(new ResourceIndexEntity.Add(ResourceKey.namespaced(kind, "ns", "si-" + i)));
      }
      ResourceKey gone = ResourceKey.namespaced(kind, "ns", "si-999");
      index.tell(new ResourceIndexEntity.Remove(gone));
      // Listed at once, written or not yet: the resources exist.
      index.tell(new ResourceIndexEntity.List(null, probe.getRef()));
      assertThat(probe.receiveMessage().keys()).hasSize(total - 1).doesNotContain(gone);

      // What the journal holds, replayed, is the same set (the Remove came before or after its Add's write).
      probe.awaitAssert(Duration.ofSeconds(10), () -> {
        Set<ResourceKey> replayed = new HashSet<>();
        for (Object event : journal.persistedInStorage(persistenceId)) {
          if (event instanceof ResourceIndexEntity.Added added) {
            replayed.add(added.key());
          } else if (event instanceof ResourceIndexEntity.Removed removed) {
            replayed.remove(removed.key());
          }
        }
        assertThat(replayed).hasSize(total - 1).doesNotContain(gone);
        return null;
      });
      assertThat(writes).as("writes of at most %d", ResourceIndexEntity.MAX_ADDS_PER_WRITE)
          .allMatch(n -> n <= ResourceIndexEntity.MAX_ADDS_PER_WRITE);
      assertThat(writes.size()).as("far fewer writes than Adds").isLessThan(total / 5);
      testKit.stop(index);
    } finally {
      journal.resetPolicy();
    }
  }

  @Test
  void aHundredThousandKeysRecoverFromASnapshotPlusTheEventsAfterIt() {
    var kit = kit(ResourceKind.SERVICE_INTERFACE);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      keys.add(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "ns-" + (i % 10), "si-" + i).toString());
    }
    ResourceKey late = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "ns-3", "late");
    kit.initialize(new ResourceIndexEntity.State(keys), new ResourceIndexEntity.Added(late));

    long started = System.nanoTime();
    ResourceIndexEntity.State recovered = kit.restart().state();
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(recovered.size()).isEqualTo(100_001);
    assertThat(recovered.contains(late)).isTrue();
    assertThat(millis).as("recovery of 100,000 keys, ms").isLessThan(5_000);
  }
}
