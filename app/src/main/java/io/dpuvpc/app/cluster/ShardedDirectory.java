package io.dpuvpc.app.cluster;

import io.dpuvpc.actors.changes.ChangeFeed;
import io.dpuvpc.actors.changes.ChangeNotifier;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.FleetEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.entity.Passivation;
import io.dpuvpc.actors.entity.ResourceIndexEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.ovn.northbound.NorthboundRouter;
import java.time.Clock;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The {@link EntityDirectory} of a controller node: every entity is a Cluster Sharding entity,
 * reached by name through an {@link EntityRef} wherever in the cluster it lives.
 *
 * <p>Every type runs on members with the role {@value EntityTypes#CONTROLLER_ROLE} only: a node
 * agent's process joins the same cluster (role {@value EntityTypes#DPU_ROLE}) to reach its DPU node
 * entity by name, but a DPU must never host tenants' entities, nor hold their shards when it
 * reboots. {@link #proxy} is its directory.
 *
 * <p>{@link #init} starts this node's shard region for every kind in {@link EntityTypes}; the
 * entities get this directory to reach each other, so the entity code knows nothing of sharding.
 * Remember-entities (configured in {@code dpuvpc-cluster.conf}) makes the regions restart, after
 * a rebalance, a node's crash or a full restart of the cluster, every entity that ever ran, so
 * each recovers and re-verifies its prerequisites without an outside trigger; entities holding no
 * resource (deleted, or started by a look-up of a missing name) passivate themselves, which removes
 * them from that store.
 */
public final class ShardedDirectory implements EntityDirectory {
  private final ClusterSharding sharding;
  // Node-local, not sharded: each node writes the rows of the entities it hosts.
  private volatile ActorRef<Northbound.Command> northbound;
  // The router behind it, for its own messages; null when init was given another Northbound.
  private volatile ActorRef<NorthboundRouter.Message> router;
  // Told by the entities hosted here what may have changed, for watchers; null on a member that hosts none.
  private volatile ChangeFeed.Handle changes;

  private ShardedDirectory(ClusterSharding sharding) {
    this.sharding = sharding;
  }

  /**
   * With this node's Northbound router and {@link NorthboundRouter#defaultBridges()}; the router
   * itself ({@link NorthboundRouter.GetBridge}) is reachable through {@link #northboundRouter()}.
   */
  public static ShardedDirectory init(ActorSystem<?> system, Clock clock) {
    ShardedDirectory directory = new ShardedDirectory(ClusterSharding.get(system));
    ActorRef<NorthboundRouter.Message> router = system.systemActorOf(
        NorthboundRouter.behavior(directory, NorthboundRouter.defaultBridges()), "northbound-router", Props.empty());
    directory.router = router;
    directory.changes = ChangeFeed.start(system);
    // The entities' port: a forwarder wrapping their commands for the router.
    return directory.start(clock, system.systemActorOf(Behaviors.<Northbound.Command>receiveMessage(command -> {
      router.tell(NorthboundRouter.command(command));
      return Behaviors.same();
    }), "northbound", Props.empty()));
  }

  /**
   * The directory of a member without the {@value EntityTypes#CONTROLLER_ROLE} role (a node
   * agent's process, role {@value EntityTypes#DPU_ROLE}): the same entity types, started as
   * proxies only (sharding never hosts a shard on a member without the types' role), so its
   * messages reach the entities on the controllers. It has no Northbound: entities write OVN, and
   * none runs here.
   */
  public static ShardedDirectory proxy(ActorSystem<?> system) {
    return new ShardedDirectory(ClusterSharding.get(system)).start(Clock.systemUTC(), null);
  }

  /** With another Northbound port (tests). */
  public static ShardedDirectory init(ActorSystem<?> system, Clock clock,
                                      Function<EntityDirectory, Behavior<Northbound.Command>> northbound) {
    ShardedDirectory directory = new ShardedDirectory(ClusterSharding.get(system));
    directory.changes = ChangeFeed.start(system);
    return directory.start(clock, system.systemActorOf(northbound.apply(directory), "northbound", Props.empty()));
  }

  /**
   * Starts this node's shard regions for every entity kind. Call once per actor system, after the
   * Cassandra schema exists: the remember-entities store writes to the journal as soon as a shard
   * starts.
   */
  private ShardedDirectory start(Clock clock, ActorRef<Northbound.Command> northboundPort) {
    ShardedDirectory directory = this;
    directory.northbound = northboundPort;
    directory.init(EntityTypes.ISOLATION_CLASS, IsolationClassEntity.Command.class,
        (key, passivation) -> IsolationClassEntity.create(key.name(), directory, clock, passivation));
    directory.init(EntityTypes.DPU_VPC, DpuVpcEntity.Command.class,
        (key, passivation) -> DpuVpcEntity.create(key.namespace(), key.name(), directory, clock, passivation));
    directory.init(EntityTypes.DPU_VIRTUAL_NETWORK, DpuVirtualNetworkEntity.Command.class,
        (key, passivation) -> DpuVirtualNetworkEntity.create(key.namespace(), key.name(), directory, clock, passivation));
    directory.init(EntityTypes.DPU_SERVICE_INTERFACE, DpuServiceInterfaceEntity.Command.class,
        (key, passivation) -> DpuServiceInterfaceEntity.create(key.namespace(), key.name(), directory, clock, passivation));
    directory.init(EntityTypes.SERVICE_INTERFACE, ServiceInterfaceEntity.Command.class,
        (key, passivation) -> ServiceInterfaceEntity.create(key.namespace(), key.name(), directory, clock, passivation));
    directory.init(EntityTypes.DPU_NODE, DpuNodeEntity.Command.class,
        (key, passivation) -> DpuNodeEntity.create(key.name(), directory, clock, passivation));
    directory.sharding.init(Entity.of(EntityTypes.FLEET, ctx -> FleetEntity.create(directory))
        .withRole(EntityTypes.CONTROLLER_ROLE));
    // Like the fleet, an index always holds something worth keeping: never passivated, and
    // remembered, so it is running (and answering List) after a restart without a first tell.
    directory.sharding.init(Entity.of(EntityTypes.RESOURCE_INDEX,
        ctx -> ResourceIndexEntity.create(ResourceIndexEntity.kindOf(ctx.getEntityId())))
        .withRole(EntityTypes.CONTROLLER_ROLE));
    return directory;
  }

  /**
   * An entity that holds no resource asks its shard to passivate it ({@link Passivation}), which
   * also removes it from remember-entities: a deleted resource is not started again for ever.
   * Each entity tells this member's {@link ChangeFeed} what may have changed ({@link ChangeNotifier}),
   * for watchers.
   */
  private <M> void init(EntityTypeKey<M> type, Class<M> commands,
                        BiFunction<ResourceKey, Passivation<M>, Behavior<M>> factory) {
    sharding.init(Entity.of(type, ctx -> {
      ResourceKey key = EntityTypes.resourceKey(type, ctx.getEntityId());
      Behavior<M> entity = factory.apply(key, self -> ctx.getShard().tell(new ClusterSharding.Passivate<>(self)));
      ChangeFeed.Handle feed = changes;
      return feed == null ? entity : ChangeNotifier.notifying(key, feed, commands, entity);
    }).withRole(EntityTypes.CONTROLLER_ROLE));
  }

  /** The sharded entity of any resource, for callers that hold a typed key (API, informers, tests). */
  public <M> EntityRef<M> entityRef(EntityTypeKey<M> type, ResourceKey key) {
    return sharding.entityRefFor(type, EntityTypes.entityId(key));
  }

  /** This node's Northbound router (for {@link NorthboundRouter.GetBridge}); empty when init was given another Northbound. */
  public java.util.Optional<ActorRef<NorthboundRouter.Message>> northboundRouter() {
    return java.util.Optional.ofNullable(router);
  }

  @Override
  public ActorRef<Northbound.Command> northbound() {
    if (northbound == null) {
      throw new IllegalStateException("this member hosts no entities and has no Northbound (role "
          + EntityTypes.DPU_ROLE + ")");
    }
    return northbound;
  }

  @Override
  public EntityRef<IsolationClassEntity.Command> isolationClass(String name) {
    return entityRef(EntityTypes.ISOLATION_CLASS, ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, name));
  }

  @Override
  public EntityRef<DpuVpcEntity.Command> vpc(String namespace, String name) {
    return entityRef(EntityTypes.DPU_VPC, ResourceKey.namespaced(ResourceKind.DPU_VPC, namespace, name));
  }

  @Override
  public EntityRef<DpuVirtualNetworkEntity.Command> network(String namespace, String name) {
    return entityRef(EntityTypes.DPU_VIRTUAL_NETWORK,
        ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, namespace, name));
  }

  @Override
  public EntityRef<FleetEntity.Command> fleet() {
    return sharding.entityRefFor(EntityTypes.FLEET, FleetEntity.ID);
  }

  @Override
  public EntityRef<ResourceIndexEntity.Command> index(ResourceKind kind) {
    return sharding.entityRefFor(EntityTypes.RESOURCE_INDEX, ResourceIndexEntity.entityId(kind));
  }

  @Override
  public EntityRef<DpuNodeEntity.Command> node(String name) {
    return entityRef(EntityTypes.DPU_NODE, ResourceKey.clusterScoped(ResourceKind.DPU_NODE, name));
  }

  @Override
  public EntityRef<ServiceInterfaceEntity.Command> serviceInterface(String namespace, String name) {
    return entityRef(EntityTypes.SERVICE_INTERFACE,
        ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, namespace, name));
  }

  @Override
  public EntityRef<DpuServiceInterfaceEntity.Command> dpuServiceInterface(String namespace, String name) {
    return entityRef(EntityTypes.DPU_SERVICE_INTERFACE,
        ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, namespace, name));
  }
}
