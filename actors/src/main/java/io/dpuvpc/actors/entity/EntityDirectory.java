package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * How an entity reaches another by its name. The entities know nothing of sharding: the wiring
 * (app) answers with sharded entity refs, tests with actors they spawn.
 */
public interface EntityDirectory {

  RecipientRef<IsolationClassEntity.Command> isolationClass(String name);

  RecipientRef<DpuVpcEntity.Command> vpc(String namespace, String name);

  RecipientRef<DpuVirtualNetworkEntity.Command> network(String namespace, String name);

  /** The one {@link FleetEntity} (id {@value FleetEntity#ID}). */
  RecipientRef<FleetEntity.Command> fleet();

  RecipientRef<DpuNodeEntity.Command> node(String name);

  RecipientRef<ServiceInterfaceEntity.Command> serviceInterface(String namespace, String name);

  RecipientRef<DpuServiceInterfaceEntity.Command> dpuServiceInterface(String namespace, String name);

  /** The {@link ResourceIndexEntity} of {@code kind}: which resources of it exist. */
  RecipientRef<ResourceIndexEntity.Command> index(ResourceKind kind);

  /**
   * The Northbound bridge router of this node (not sharded): each node writes the OVN rows of the
   * entities it hosts, and an entity that moves publishes again from its new node.
   */
  RecipientRef<Northbound.Command> northbound();
}
