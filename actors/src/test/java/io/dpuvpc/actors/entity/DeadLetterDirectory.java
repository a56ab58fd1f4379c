package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A directory whose every entity is the system's dead letters: for tests that pin one entity's
 * own behaviour and ignore what it tells its neighbours (an ask to them simply times out).
 */
final class DeadLetterDirectory implements EntityDirectory {
  private final ActorSystem<?> system;

  DeadLetterDirectory(ActorSystem<?> system) {
    this.system = system;
  }

  private <T> ActorRef<T> nobody() {
    return system.deadLetters();
  }

  @Override
  public ActorRef<IsolationClassEntity.Command> isolationClass(String name) {
    return nobody();
  }

  @Override
  public ActorRef<DpuVpcEntity.Command> vpc(String namespace, String name) {
    return nobody();
  }

  @Override
  public ActorRef<DpuVirtualNetworkEntity.Command> network(String namespace, String name) {
    return nobody();
  }

  @Override
  public ActorRef<FleetEntity.Command> fleet() {
    return nobody();
  }

  @Override
  public ActorRef<DpuNodeEntity.Command> node(String name) {
    return nobody();
  }

  @Override
  public ActorRef<ServiceInterfaceEntity.Command> serviceInterface(String namespace, String name) {
    return nobody();
  }

  @Override
  public ActorRef<DpuServiceInterfaceEntity.Command> dpuServiceInterface(String namespace, String name) {
    return nobody();
  }

  @Override
  public ActorRef<ResourceIndexEntity.Command> index(ResourceKind kind) {
    return nobody();
  }

  @Override
  public ActorRef<Northbound.Command> northbound() {
    return nobody();
  }
}
