package io.dpuvpc.actors.entity;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * The directory of a test: spawns each entity on first use, as sharding would, and can stop one
 * so that the next use recovers it from the journal.
 */
final class TestDirectory implements EntityDirectory {
  private final ActorTestKit testKit;
  private final Clock clock;
  private final Map<String, ActorRef<?>> entities = new ConcurrentHashMap<>();

  TestDirectory(ActorTestKit testKit, Clock clock) {
    this.testKit = testKit;
    this.clock = clock;
  }

  @Override
  @SuppressWarnings("unchecked")
  public RecipientRef<IsolationClassEntity.Command> isolationClass(String name) {
    return (ActorRef<IsolationClassEntity.Command>) entities.computeIfAbsent("ic/" + name,
        k -> testKit.spawn(IsolationClassEntity.create(name)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public ActorRef<DpuVpcEntity.Command> vpc(String namespace, String name) {
    return (ActorRef<DpuVpcEntity.Command>) entities.computeIfAbsent("vpc/" + namespace + "/" + name,
        k -> testKit.spawn(DpuVpcEntity.create(namespace, name, this, clock)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public ActorRef<DpuVirtualNetworkEntity.Command> network(String namespace, String name) {
    return (ActorRef<DpuVirtualNetworkEntity.Command>) entities.computeIfAbsent("net/" + namespace + "/" + name,
        k -> testKit.spawn(DpuVirtualNetworkEntity.create(namespace, name, this, clock)));
  }

  /** Stops the network's actor; the next {@link #network} recovers it from the journal. */
  void restartNetwork(String namespace, String name) {
    ActorRef<?> ref = entities.remove("net/" + namespace + "/" + name);
    if (ref != null) {
      testKit.stop(ref);
    }
  }

  /** Stops the VPC's actor; the next {@link #vpc} starts a new one that recovers from the journal. */
  void restartVpc(String namespace, String name) {
    ActorRef<?> ref = entities.remove("vpc/" + namespace + "/" + name);
    if (ref != null) {
      testKit.stop(ref);
    }
  }
}
