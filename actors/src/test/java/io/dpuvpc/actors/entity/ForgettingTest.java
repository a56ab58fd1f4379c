package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Entities that hold no resource ask to be passivated after {@code forget-absent-after} (200 ms
 * here): a deleted one, and one started only by a look-up; one that holds a resource never does,
 * and an apply within the delay cancels it. Under sharding the passivation also removes the entity
 * from remember-entities (ShardedRecoveryIT shows that part).
 */
class ForgettingTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(ConfigFactory.parseString("dpuvpc.entities.forget-absent-after = 200ms")
        .withFallback(EntityTestConfig.config()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static final IsolationClassSpec OVN = new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
      Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.1:6641"));

  /** A passivation that reports who asked. */
  static <C> Passivation<C> reportingTo(TestProbe<ActorRef<?>> probe) {
    return probe.getRef()::tell;
  }

  <R> R ask(ActorRef<IsolationClassEntity.Command> entity, java.util.function.Function<ActorRef<R>, IsolationClassEntity.Command> command) {
    TestProbe<R> reply = testKit.createTestProbe();
    entity.tell(command.apply(reply.getRef()));
    return reply.receiveMessage(Duration.ofSeconds(5));
  }

  @Test
  void aLookedUpNameThatDoesNotExistIsForgotten() {
    TestProbe<ActorRef<?>> passivated = testKit.createTestProbe();
    var entity = testKit.spawn(IsolationClassEntity.create("never", reportingTo(passivated)));
    assertThat(this.<IsolationClassEntity.Status>ask(entity, IsolationClassEntity.Get::new).spec()).isNull();
    assertThat(passivated.receiveMessage(Duration.ofSeconds(3))).isEqualTo(entity);
  }

  @Test
  void aLiveResourceStaysAndADeletedOneIsForgotten() {
    TestProbe<ActorRef<?>> passivated = testKit.createTestProbe();
    var entity = testKit.spawn(IsolationClassEntity.create("kept", reportingTo(passivated)));
    // Applied at once after start: the forget timer of the empty recovery is cancelled.
    assertThat(this.<ApplyReply>ask(entity, r -> new IsolationClassEntity.Apply(OVN, r))).isInstanceOf(ApplyReply.Accepted.class);
    passivated.expectNoMessage(Duration.ofMillis(600));

    assertThat(this.<DeleteReply>ask(entity, IsolationClassEntity.Delete::new)).isInstanceOf(DeleteReply.Deleted.class);
    assertThat(passivated.receiveMessage(Duration.ofSeconds(3))).isEqualTo(entity);
  }

  @Test
  void aVpcDeletedIsForgottenAfterItToldItsNetworks() {
    TestProbe<ActorRef<?>> passivated = testKit.createTestProbe();
    var vpc = testKit.spawn(DpuVpcEntity.create("default", "red", new DeadLetterDirectory(testKit.system()), Clock.systemUTC(),
        reportingTo(passivated)));
    TestProbe<ApplyReply> applied = testKit.createTestProbe();
    vpc.tell(new DpuVpcEntity.Apply(new DpuVpcSpec("t", "ovn", true, LabelSelector.EVERYTHING), applied.getRef()));
    assertThat(applied.receiveMessage()).isInstanceOf(ApplyReply.Accepted.class);
    passivated.expectNoMessage(Duration.ofMillis(600));
    TestProbe<DeleteReply> deleted = testKit.createTestProbe();
    vpc.tell(new DpuVpcEntity.Delete(deleted.getRef()));
    assertThat(deleted.receiveMessage()).isInstanceOf(DeleteReply.Deleted.class);
    assertThat(passivated.receiveMessage(Duration.ofSeconds(3))).isEqualTo(vpc);
  }
}
