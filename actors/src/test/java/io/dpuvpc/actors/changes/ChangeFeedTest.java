package io.dpuvpc.actors.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed with a real entity on the in-memory journal: what a subscriber is told, what it
 * is not (queries, other kinds and namespaces), and that nothing is told once nobody listens.
 */
class ChangeFeedTest {
  private final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString("""
      pekko.actor.serialization-bindings { "io.dpuvpc.actors.CborSerializable" = jackson-cbor }
      pekko.actor.serialize-messages = on
      pekko.actor.no-serialization-verification-needed-class-prefix = ["org.apache.pekko."]
      """).withFallback(PersistenceTestKitPlugin.getInstance().config()).withFallback(ConfigFactory.load()));
  private final ChangeFeed.Handle feed = ChangeFeed.start(testKit.system());
  private final BlockingQueue<ResourceKey> told = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  private ActorRef<IsolationClassEntity.Command> isolationClass(String name) {
    return testKit.spawn(ChangeNotifier.notifying(ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, name), feed,
        IsolationClassEntity.Command.class, IsolationClassEntity.create(name)));
  }

  private static IsolationClassSpec spec(String port) {
    return new IsolationClassSpec(IsolationClassSpec.PROVISIONER, Map.of("ovn-nb-endpoint", "tcp:127.0.0.1:" + port));
  }

  private ChangeSubscription subscribe(ChangeFeed.Filter filter) throws Exception {
    ChangeSubscription subscription = ChangeSubscription.open(testKit.system(), filter, told::addAll);
    subscription.ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return subscription;
  }

  private ApplyReply apply(ActorRef<IsolationClassEntity.Command> entity, String port) {
    TestProbe<ApplyReply> reply = testKit.createTestProbe();
    entity.tell(new IsolationClassEntity.Apply(spec(port), reply.getRef()));
    return reply.receiveMessage();
  }

  private List<ResourceKey> toldWithin(Duration wait) throws InterruptedException {
    List<ResourceKey> keys = new ArrayList<>();
    ResourceKey first = told.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (first != null) {
      keys.add(first);
      Thread.sleep(3 * ChangeFeed.FLUSH.toMillis());
      told.drainTo(keys);
    }
    return keys;
  }

  @Test
  void aChangeIsToldOnceQueriesAreNotAndNothingIsToldWithoutASubscriber() throws Exception {
    ActorRef<IsolationClassEntity.Command> blue = isolationClass("blue");
    assertThat(apply(blue, "6641")).isInstanceOf(ApplyReply.Accepted.class);
    assertThat(feed.listened()).as("nobody subscribed yet").isFalse();

    try (ChangeSubscription subscription = subscribe(new ChangeFeed.Filter(ResourceKind.ISOLATION_CLASS, null))) {
      assertThat(feed.listened()).isTrue();
      apply(blue, "6642");
      apply(blue, "6643");
      // Once per flush at most (so once or twice here); the reads below are not changes at all.
      assertThat(toldWithin(Duration.ofSeconds(5))).hasSizeBetween(1, 2)
          .containsOnly(ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "blue"));
      TestProbe<IsolationClassEntity.Status> status = testKit.createTestProbe();
      for (int i = 0; i < 5; i++) {
        blue.tell(new IsolationClassEntity.Get(status.getRef()));
        status.receiveMessage();
      }
      assertThat(toldWithin(Duration.ofMillis(500))).as("queries are not changes").isEmpty();
    }
    TestProbe<Void> gone = testKit.createTestProbe();
    gone.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(feed.listened()).as("the feed forgets a closed subscription").isFalse();
      return null;
    });
    apply(blue, "6644");
    assertThat(toldWithin(Duration.ofMillis(500))).isEmpty();
  }

  @Test
  void aSubscriberIsToldOnlyWhatItsFilterSelects() throws Exception {
    ChangeFeed.Filter onlyTenantA = new ChangeFeed.Filter(ResourceKind.SERVICE_INTERFACE, "tenant-a");
    try (ChangeSubscription subscription = subscribe(onlyTenantA)) {
      ResourceKey a = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "tenant-a", "si-1");
      ResourceKey b = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "tenant-b", "si-1");
      ResourceKey network = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "tenant-a", "net");
      feed.ref().tell(new ChangeFeed.Touched(b));
      feed.ref().tell(new ChangeFeed.Touched(network));
      feed.ref().tell(new ChangeFeed.Touched(a));
      assertThat(toldWithin(Duration.ofSeconds(5))).containsExactly(a);
    }
  }

  @Test
  void aBurstIsToldInMessagesOfBoundedSize() throws Exception {
    List<ChangeFeed.Changes> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    TestProbe<ChangeFeed.Subscribed> ack = testKit.createTestProbe();
    ActorRef<ChangeFeed.Changes> subscriber = testKit.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.receiveMessage(m -> {
      messages.add(m);
      return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
    }));
    feed.ref().tell(new ChangeFeed.Subscribe(new ChangeFeed.Filter(ResourceKind.SERVICE_INTERFACE, ""), subscriber,
        ack.getRef()));
    ack.receiveMessage();
    int burst = 2 * ChangeFeed.KEYS_PER_MESSAGE + 500;
    for (int i = 0; i < burst; i++) {
      ResourceKey key = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "ns", "si-" + i);
      feed.ref().tell(new ChangeFeed.Touched(key));
      feed.ref().tell(new ChangeFeed.Touched(key));
    }
    ack.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(messages.stream().flatMap(m -> m.keys().stream()).distinct().count()).isEqualTo(burst);
      return null;
    });
    assertThat(messages).allSatisfy(m -> assertThat(m.keys()).hasSizeLessThanOrEqualTo(ChangeFeed.KEYS_PER_MESSAGE)
        .doesNotHaveDuplicates());
  }
}
