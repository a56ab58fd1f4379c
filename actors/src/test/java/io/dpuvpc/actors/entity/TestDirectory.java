package io.dpuvpc.actors.entity;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * The directory of a test: spawns each entity on first use, as sharding would, and can stop one
 * so that the next use recovers it from the journal.
 */
final class TestDirectory implements EntityDirectory {
  private final ActorTestKit testKit;
  private final Clock clock;
  private final Map<String, ActorRef<?>> entities = new ConcurrentHashMap<>();
  /** The Northbound bridge the entities publish to: tests assert what it got and choose its answers. */
  final FakeNorthbound bridge = new FakeNorthbound();

  TestDirectory(ActorTestKit testKit, Clock clock) {
    this.testKit = testKit;
    this.clock = clock;
  }

  @Override
  public RecipientRef<IsolationClassEntity.Command> isolationClass(String name) {
    return entity("ic/" + name, () -> IsolationClassEntity.create(name, this, clock));
  }

  @Override
  public ActorRef<DpuVpcEntity.Command> vpc(String namespace, String name) {
    return entity("vpc/" + namespace + "/" + name, () -> DpuVpcEntity.create(namespace, name, this, clock));
  }

  @Override
  public ActorRef<DpuVirtualNetworkEntity.Command> network(String namespace, String name) {
    return entity("net/" + namespace + "/" + name, () -> DpuVirtualNetworkEntity.create(namespace, name, this, clock));
  }

  @Override
  public ActorRef<FleetEntity.Command> fleet() {
    return entity("fleet", () -> FleetEntity.create(this));
  }

  @Override
  public ActorRef<DpuNodeEntity.Command> node(String name) {
    return entity("node/" + name, () -> DpuNodeEntity.create(name, this, clock));
  }

  @Override
  public ActorRef<ServiceInterfaceEntity.Command> serviceInterface(String namespace, String name) {
    return entity("si/" + namespace + "/" + name, () -> ServiceInterfaceEntity.create(namespace, name, this, clock));
  }

  @Override
  public ActorRef<DpuServiceInterfaceEntity.Command> dpuServiceInterface(String namespace, String name) {
    return entity("dsi/" + namespace + "/" + name, () -> DpuServiceInterfaceEntity.create(namespace, name, this, clock));
  }

  @Override
  public ActorRef<ResourceIndexEntity.Command> index(ResourceKind kind) {
    return entity("index/" + kind.kindName(), () -> ResourceIndexEntity.create(kind));
  }

  @Override
  public ActorRef<Northbound.Command> northbound() {
    return entity("northbound", bridge::behavior);
  }

  /** Stops the fleet's actor; the next {@link #fleet} recovers it from the journal. */
  void restartFleet() {
    restart("fleet");
  }

  /** Stops the index's actor; the next {@link #index} recovers it from its snapshot and journal. */
  void restartIndex(ResourceKind kind) {
    restart("index/" + kind.kindName());
  }

  void restartIsolationClass(String name) {
    restart("ic/" + name);
  }

  void restartNode(String name) {
    restart("node/" + name);
  }

  void restartServiceInterface(String namespace, String name) {
    restart("si/" + namespace + "/" + name);
  }

  void restartDpuServiceInterface(String namespace, String name) {
    restart("dsi/" + namespace + "/" + name);
  }

  @SuppressWarnings("unchecked")
  private <T> ActorRef<T> entity(String id, Supplier<Behavior<T>> behavior) {
    return (ActorRef<T>) entities.computeIfAbsent(id, k -> testKit.spawn(behavior.get()));
  }

  private void restart(String id) {
    ActorRef<?> ref = entities.remove(id);
    if (ref != null) {
      testKit.stop(ref);
    }
  }

  /** Stops the network's actor; the next {@link #network} recovers it from the journal. */
  void restartNetwork(String namespace, String name) {
    restart("net/" + namespace + "/" + name);
  }

  /** Stops the VPC's actor; the next {@link #vpc} starts a new one that recovers from the journal. */
  void restartVpc(String namespace, String name) {
    restart("vpc/" + namespace + "/" + name);
  }
}
