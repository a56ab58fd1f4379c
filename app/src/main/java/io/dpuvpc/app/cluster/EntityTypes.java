package io.dpuvpc.app.cluster;

import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.FleetEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.entity.ResourceIndexEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.util.List;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The sharded entity types, one per resource kind, and their entity ids.
 *
 * <p>A type key's name is the Kubernetes kind ({@code DPUVPC}); it names the shard regions and
 * the remember-entities store's persistence ids in Cassandra, so it must never change once a
 * cluster has run. An entity id is the resource's {@link ResourceKey#toString()} ({@code
 * DPUVPC/default/blue}, {@code IsolationClass/ovn}): the factory turns it back into namespace and
 * name with {@link ResourceKey#parse}. The one {@link FleetEntity} is type {@code Fleet}, id
 * {@value FleetEntity#ID}; the {@link ResourceIndexEntity} of each kind is type {@code ResourceIndex},
 * id the kind's name ({@link ResourceIndexEntity#entityId}).
 */
public final class EntityTypes {
  public static final EntityTypeKey<IsolationClassEntity.Command> ISOLATION_CLASS =
      key(IsolationClassEntity.Command.class, ResourceKind.ISOLATION_CLASS);
  public static final EntityTypeKey<DpuVpcEntity.Command> DPU_VPC =
      key(DpuVpcEntity.Command.class, ResourceKind.DPU_VPC);
  public static final EntityTypeKey<DpuVirtualNetworkEntity.Command> DPU_VIRTUAL_NETWORK =
      key(DpuVirtualNetworkEntity.Command.class, ResourceKind.DPU_VIRTUAL_NETWORK);
  public static final EntityTypeKey<DpuServiceInterfaceEntity.Command> DPU_SERVICE_INTERFACE =
      key(DpuServiceInterfaceEntity.Command.class, ResourceKind.DPU_SERVICE_INTERFACE);
  public static final EntityTypeKey<ServiceInterfaceEntity.Command> SERVICE_INTERFACE =
      key(ServiceInterfaceEntity.Command.class, ResourceKind.SERVICE_INTERFACE);
  public static final EntityTypeKey<DpuNodeEntity.Command> DPU_NODE =
      key(DpuNodeEntity.Command.class, ResourceKind.DPU_NODE);
  /** The fleet is no resource: one entity of its own type. */
  public static final EntityTypeKey<FleetEntity.Command> FLEET = EntityTypeKey.create(FleetEntity.Command.class, "Fleet");
  /** Nor are the indexes: one entity per kind, of one type. */
  public static final EntityTypeKey<ResourceIndexEntity.Command> RESOURCE_INDEX =
      EntityTypeKey.create(ResourceIndexEntity.Command.class, "ResourceIndex");

  /** The role of the members that host the entities (set in {@code dpuvpc-cluster.conf}). */
  public static final String CONTROLLER_ROLE = "controller";
  /** The role of a node agent's process: a member that only reaches entities, never hosts them. */
  public static final String DPU_ROLE = "dpu";

  /** Every type this node shards. */
  public static final List<EntityTypeKey<?>> ALL = List.of(ISOLATION_CLASS, DPU_VPC, DPU_VIRTUAL_NETWORK,
      DPU_SERVICE_INTERFACE, SERVICE_INTERFACE, DPU_NODE, FLEET, RESOURCE_INDEX);

  private EntityTypes() {}

  private static <M> EntityTypeKey<M> key(Class<M> command, ResourceKind kind) {
    return EntityTypeKey.create(command, kind.kindName());
  }

  /** The entity id of a resource. */
  public static String entityId(ResourceKey key) {
    return key.toString();
  }

  /** The entity id of a resource, checked to be of the type's kind (a wrong id is a wiring bug). */
  static ResourceKey resourceKey(EntityTypeKey<?> type, String entityId) {
    ResourceKey key = ResourceKey.parse(entityId);
    if (!key.kind().kindName().equals(type.name())) {
      throw new IllegalArgumentException("entity id \"" + entityId + "\" is not a " + type.name());
    }
    return key;
  }
}
