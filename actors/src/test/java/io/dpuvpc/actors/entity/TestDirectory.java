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

  @Override
  @SuppressWarnings("unchecked")
  public ActorRef<FleetEntity.Command> fleet() {
    return (ActorRef<FleetEntity.Command>) entities.computeIfAbsent("fleet", k -> testKit.spawn(FleetEntity.create(this)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public ActorRef<DpuNodeEntity.Command> node(String name) {
    return (ActorRef<DpuNodeEntity.Command>) entities.computeIfAbsent("node/" + name,
        k -> testKit.spawn(DpuNodeEntity.create(name, this, clock)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public ActorRef<ServiceInterfaceEntity.Command> serviceInterface(String namespace, String name) {
    return (ActorRef<ServiceInterfaceEntity.Command>) entities.computeIfAbsent("si/" + namespace + "/" + name,
        k -> testKit.spawn(ServiceInterfaceEntity.create(namespace, name, this, clock)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public ActorRef<DpuServiceInterfaceEntity.Command> dpuServiceInterface(String namespace, String name) {
    return (ActorRef<DpuServiceInterfaceEntity.Command>) entities.computeIfAbsent("dsi/" + namespace + "/" + name,
        k -> testKit.spawn(DpuServiceInterfaceEntity.create(namespace, name, this, clock)));
  }

  /** Stops the fleet's actor; the next {@link #fleet} recovers it from the journal. */
  void restartFleet() {
    restart("fleet");
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
