package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.changes.ChangeFeed;
import io.dpuvpc.actors.changes.ChangeNotifier;
import io.dpuvpc.actors.changes.ChangeSubscription;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A watcher of a real VPC entity, told by the change feed and reading the entity as a watch does,
 * sees the entity's last state: each change of its Ready condition (the Northbound bridge's answer
 * after a spec change included) is told, so the last read equals a read made afterwards.
 */
class ChangeNotifierEntityTest {
  private final ActorTestKit testKit = ActorTestKit.create(EntityTestConfig.config());
  private final TestDirectory directory = new TestDirectory(testKit, Clock.systemUTC());
  private final ChangeFeed.Handle feed = ChangeFeed.start(testKit.system());

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  private DpuVpcEntity.Status read(ActorRef<DpuVpcEntity.Command> vpc) {
    TestProbe<DpuVpcEntity.Status> probe = testKit.createTestProbe();
    vpc.tell(new DpuVpcEntity.GetStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  private static String ready(DpuVpcEntity.Status status) {
    return status.generation() + " " + status.conditions().get(ConditionTypes.READY).map(c -> c.status().toString()).orElse("-");
  }

  @RepeatedTest(3)
  void theLastReadAfterTheLastChangeToldShowsTheEntitysState() throws Exception {
    TestProbe<ApplyReply> applied = testKit.createTestProbe();
    directory.isolationClass("ic").tell(new IsolationClassEntity.Apply(
        new IsolationClassSpec(IsolationClassSpec.PROVISIONER, Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.1:6641")),
        applied.getRef()));
    applied.receiveMessage();
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "watched");
    ActorRef<DpuVpcEntity.Command> vpc = testKit.spawn(ChangeNotifier.notifying(key, feed, DpuVpcEntity.Command.class,
        DpuVpcEntity.create("default", "watched", directory, Clock.systemUTC())));
    BlockingQueue<ResourceKey> told = new LinkedBlockingQueue<>();
    try (ChangeSubscription subscription = ChangeSubscription.open(testKit.system(),
        new ChangeFeed.Filter(ResourceKind.DPU_VPC, ""), told::addAll)) {
      subscription.ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<String> seen = new ArrayList<>();
      for (boolean access : new boolean[] {true, false, true}) {
        vpc.tell(new DpuVpcEntity.Apply(new DpuVpcSpec("t", "ic", access, LabelSelector.EVERYTHING), applied.getRef()));
        applied.receiveMessage();
      }
      // Read on every key told, as a watch does, until nothing is told for a second.
      String last = null;
      for (ResourceKey k = told.poll(5, TimeUnit.SECONDS); k != null; k = told.poll(1, TimeUnit.SECONDS)) {
        last = ready(read(vpc));
        seen.add(last);
      }
      assertThat(last).as("reads made on what was told: %s", seen).isEqualTo(ready(read(vpc))).startsWith("3 ");
    }
  }
}
