package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A DPUServiceInterface whose fleet pushes 500 nodes joining one by one, all at once: the writes
 * stay a handful, a small stash that drops most of the pushes does not change the outcome, and a
 * lost push or a child that does not answer is repaired by the rematch without outside help.
 */
class DpuServiceInterfaceEntityBurstTest {
  static final int NODES = 500;
  static final String NS = "default";
  static final String PID = ResourceKind.DPU_SERVICE_INTERFACE.kindName() + "|"
      + ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, NS, "pf0");

  ActorTestKit testKit;

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  void start(int stashCapacity, Duration rematch) {
    testKit = ActorTestKit.create(ConfigFactory.parseString(
            "pekko.persistence.typed.stash-capacity = " + stashCapacity + "\n"
                + "dpuvpc.entities.dpu-service-interface-rematch = " + rematch.toMillis() + "ms")
        .withFallback(EntityTestConfig.config()));
  }

  static Set<String> nodes(int count) {
    Set<String> nodes = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      nodes.add(String.format("n-%03d", i));
    }
    return nodes;
  }

  /**
   * The fleet and the children of one DPUServiceInterface. On its first watch the fleet pushes the
   * nodes joining one by one ({@link #burst} pushes, or loses that first answer if
   * {@link #loseFirstPush}); on a later watch it pushes the whole set once. Children accept every
   * apply at once, except the first apply to each child in {@link #silentOnce}, which they ignore.
   */
  final class Fleet implements EntityDirectory {
    final AtomicReference<ActorRef<DpuServiceInterfaceEntity.Command>> dsi = new AtomicReference<>();
    final AtomicInteger watches = new AtomicInteger();
    final Map<String, AtomicInteger> applies = new ConcurrentHashMap<>();
    final Set<String> silentOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, ActorRef<ServiceInterfaceEntity.Command>> children = new ConcurrentHashMap<>();
    final int burst;
    final boolean loseFirstPush;

    Fleet(int burst, boolean loseFirstPush) {
      this.burst = burst;
      this.loseFirstPush = loseFirstPush;
    }

    @Override
    public RecipientRef<FleetEntity.Command> fleet() {
      return message -> {
        if (!(message instanceof FleetEntity.WatchNodes)) {
          return;
        }
        int watch = watches.incrementAndGet();
        if (watch > 1) {
          dsi.get().tell(new DpuServiceInterfaceEntity.NodesMatched(nodes(burst)));
        } else if (!loseFirstPush) {
          for (int i = 1; i <= burst; i++) {
            dsi.get().tell(new DpuServiceInterfaceEntity.NodesMatched(nodes(i)));
          }
        }
      };
    }

    @Override
    public RecipientRef<ServiceInterfaceEntity.Command> serviceInterface(String namespace, String name) {
      return children.computeIfAbsent(name, n -> testKit.spawn(child(n)));
    }

    private Behavior<ServiceInterfaceEntity.Command> child(String name) {
      ResourceKey key = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, name);
      return Behaviors.receive(ServiceInterfaceEntity.Command.class)
          .onMessage(ServiceInterfaceEntity.Apply.class, apply -> {
            applies.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            if (!silentOnce.remove(name)) {
              apply.replyTo().tell(new ApplyReply.Accepted(key, 1, true));
            }
            return Behaviors.same();
          })
          .onMessage(ServiceInterfaceEntity.GetStatus.class, get -> {
            get.replyTo().tell(new ServiceInterfaceEntity.Status(key, null, 1, Conditions.EMPTY, false, null, null));
            return Behaviors.same();
          })
          .build();
    }

    @Override
    public RecipientRef<DpuServiceInterfaceEntity.Command> dpuServiceInterface(String namespace, String name) {
      return dsi.get();
    }

    // Not part of these tests: the network's look-up simply times out (an ask needs an actor).
    @Override
    public RecipientRef<IsolationClassEntity.Command> isolationClass(String name) {
      return message -> {};
    }

    @Override
    public RecipientRef<DpuVpcEntity.Command> vpc(String namespace, String name) {
      return message -> {};
    }

    @Override
    public RecipientRef<DpuVirtualNetworkEntity.Command> network(String namespace, String name) {
      return testKit.system().deadLetters();
    }

    @Override
    public RecipientRef<DpuNodeEntity.Command> node(String name) {
      return message -> {};
    }

    @Override
    public RecipientRef<ResourceIndexEntity.Command> index(ResourceKind kind) {
      return message -> {};
    }

    @Override
    public RecipientRef<Northbound.Command> northbound() {
      return message -> {};
    }
  }

  /** Spawns the DPUServiceInterface "pf0" over {@code fleet} and applies it (every node selected). */
  ActorRef<DpuServiceInterfaceEntity.Command> apply(Fleet fleet) {
    ActorRef<DpuServiceInterfaceEntity.Command> dsi = testKit.spawn(
        DpuServiceInterfaceEntity.create(NS, "pf0", fleet, Clock.systemUTC()));
    fleet.dsi.set(dsi);
    var probe = testKit.<ApplyReply>createTestProbe();
    dsi.tell(new DpuServiceInterfaceEntity.Apply(DpuServiceInterfaceEntityTest.workers("net"), probe.getRef()));
    assertThat(probe.receiveMessage()).isInstanceOf(ApplyReply.Accepted.class);
    return dsi;
  }

  DpuServiceInterfaceEntity.Status status(ActorRef<DpuServiceInterfaceEntity.Command> dsi) {
    var probe = testKit.<DpuServiceInterfaceEntity.Status>createTestProbe();
    dsi.tell(new DpuServiceInterfaceEntity.GetStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  /** Waits until every one of {@code count} children accepted its spec, and the set says so. */
  void awaitReconciled(ActorRef<DpuServiceInterfaceEntity.Command> dsi, int count) {
    EntityTestConfig.eventually(() -> {
      DpuServiceInterfaceEntity.Status status = status(dsi);
      assertThat(status.children()).hasSize(count);
      assertThat(status.conditions().get(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED))
          .hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo("Success"));
    });
  }

  List<Object> events() {
    return PersistenceTestKit.create(testKit.system()).persistedInStorage(PID);
  }

  @Test
  void aBurstOfPushesIsWrittenAsTwoDecisionsAndEachChildIsAskedOnce() {
    start(4096, Duration.ofSeconds(30));
    Fleet fleet = new Fleet(NODES, false);
    var dsi = apply(fleet);

    awaitReconciled(dsi, NODES);
    // The spec, the first push, and the other 499 folded into one: not one write per push.
    assertThat(events()).hasSize(3);
    assertThat(events().get(2)).isInstanceOfSatisfying(DpuServiceInterfaceEntity.ChildrenChosen.class,
        chosen -> assertThat(chosen.children()).hasSize(NODES));
    // And not one apply of every child per push (which was 500 * 501 / 2 asks).
    assertThat(fleet.applies).hasSize(NODES);
    assertThat(fleet.applies.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }

  @Test
  void aStashThatDropsMostOfTheBurstStillEndsWithEveryChild() {
    // 64: the pushes that arrive during the first write mostly overflow it and are dropped.
    start(64, Duration.ofSeconds(1));
    Fleet fleet = new Fleet(NODES, false);
    var dsi = apply(fleet);

    awaitReconciled(dsi, NODES);
    assertThat(fleet.applies).hasSize(NODES);
    assertThat(events()).hasSizeLessThanOrEqualTo(5);
  }

  @Test
  void aLostPushAndAChildThatDidNotAnswerAreRepairedByTheRematch() {
    start(4096, Duration.ofSeconds(1));
    Fleet fleet = new Fleet(3, true);
    fleet.silentOnce.add("pf0-n-001");
    var dsi = apply(fleet);

    // The fleet's first answer was lost; the rematch asks again and every child is applied,
    // pf0-n-001 twice, since it ignored its first apply.
    awaitReconciled(dsi, 3);
    assertThat(fleet.watches.get()).isGreaterThan(1);
    assertThat(fleet.applies.get("pf0-n-001").get()).isGreaterThanOrEqualTo(2);
  }
}
