package io.dpuvpc.simulator.local;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.FleetEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.entity.ResourceIndexEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.ovn.northbound.NorthboundBridge;
import io.dpuvpc.ovn.northbound.NorthboundRouter;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.persistence.journal.EventCounter;
import io.dpuvpc.simulator.bench.persistence.PersistenceBenchmark;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An {@link EntityDirectory} of every entity kind in one plain (non-clustered) actor system: each
 * entity is spawned, with its real factory, the first time anyone names it (as Cluster Sharding
 * would start it), and {@link #northbound()} is one {@link NorthboundRouter} making a
 * {@link NorthboundBridge} per Northbound endpoint. Nothing is ever passivated or stopped: the
 * directory lives as long as its actor system.
 *
 * <p>{@link #inMemoryConfig(Path)} is the configuration it is meant for: Pekko's in-memory journal,
 * Jackson CBOR for the entities' messages, and a count of the events written
 * ({@link #eventsPersisted()}).
 */
public final class LocalDirectory implements EntityDirectory {

    private final ActorSystem<?> system;
    private final Clock clock;
    private final Map<String, ActorRef<?>> entities = new ConcurrentHashMap<>();
    private final ActorRef<NorthboundRouter.Message> router;
    private final ActorRef<Northbound.Command> northbound;

    private LocalDirectory(ActorSystem<?> system, Clock clock, NorthboundRouter.BridgeFactory bridges) {
        this.system = system;
        this.clock = clock;
        this.router = system.systemActorOf(NorthboundRouter.behavior(this, bridges), "northbound-router", Props.empty());
        ActorRef<NorthboundRouter.Message> target = router;
        this.northbound = system.systemActorOf(Behaviors.<Northbound.Command>receiveMessage(command -> {
            target.tell(NorthboundRouter.command(command));
            return Behaviors.same();
        }), "northbound", Props.empty());
    }

    /** A directory in {@code system} (configured from {@link #inMemoryConfig(Path)} or alike). */
    public static LocalDirectory start(ActorSystem<?> system, Clock clock, NorthboundRouter.BridgeFactory bridges) {
        return new LocalDirectory(system, clock, bridges);
    }

    /** Bridges with {@code settings}, each owning a client started in the background. */
    public static NorthboundRouter.BridgeFactory bridges(NorthboundBridge.Settings settings) {
        return (options, ownerCheck) -> NorthboundBridge.create(OvsdbClient.start(options), settings, ownerCheck);
    }

    /**
     * Pekko's in-memory journal, snapshots (the fleet takes them) as files in {@code snapshots},
     * {@code CborSerializable} bound to Jackson CBOR (which the snapshots use), every event counted;
     * Pekko logs through SLF4J at WARNING. On top of {@code ConfigFactory.load()}.
     *
     * <p>On 2 cores the JVM's common pool has parallelism 1, and Pekko's {@code context.ask} then
     * completes every answer on a new thread (see docs/BENCHMARKS.md, "A thread per reply"): run
     * with {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=2} or more.
     */
    public static Config inMemoryConfig(Path snapshots) {
        return ConfigFactory.parseMap(Map.of("pekko.persistence.snapshot-store.local.dir", snapshots.toString()))
                .withFallback(ConfigFactory.parseString("""
                pekko.actor.serialization-bindings {
                  "io.dpuvpc.actors.CborSerializable" = jackson-cbor
                }
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
                pekko.persistence.journal.inmem {
                  event-adapters { counted = "io.dpuvpc.persistence.journal.EventCounter" }
                  event-adapter-bindings { "io.dpuvpc.actors.CborSerializable" = counted }
                }
                """)).withFallback(PersistenceBenchmark.quietLogging()).withFallback(ConfigFactory.load()).resolve();
    }

    /** Events written through a journal configured by {@link #inMemoryConfig(Path)}, in this JVM, so far. */
    public static long eventsPersisted() {
        return EventCounter.eventsPersisted();
    }

    /** The router behind {@link #northbound()}, for {@link NorthboundRouter.GetBridge}. */
    public ActorRef<NorthboundRouter.Message> router() {
        return router;
    }

    /** How many entities have been started. */
    public int size() {
        return entities.size();
    }

    @Override
    public ActorRef<Northbound.Command> northbound() {
        return northbound;
    }

    @Override
    public ActorRef<IsolationClassEntity.Command> isolationClass(String name) {
        return entity(ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, name), () -> IsolationClassEntity.create(name, this, clock));
    }

    @Override
    public ActorRef<DpuVpcEntity.Command> vpc(String namespace, String name) {
        return entity(ResourceKey.namespaced(ResourceKind.DPU_VPC, namespace, name),
                () -> DpuVpcEntity.create(namespace, name, this, clock));
    }

    @Override
    public ActorRef<DpuVirtualNetworkEntity.Command> network(String namespace, String name) {
        return entity(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, namespace, name),
                () -> DpuVirtualNetworkEntity.create(namespace, name, this, clock));
    }

    @Override
    public ActorRef<FleetEntity.Command> fleet() {
        return entity("fleet-" + FleetEntity.ID, () -> FleetEntity.create(this));
    }

    @Override
    public ActorRef<DpuNodeEntity.Command> node(String name) {
        return entity(ResourceKey.clusterScoped(ResourceKind.DPU_NODE, name), () -> DpuNodeEntity.create(name, this, clock));
    }

    @Override
    public ActorRef<ServiceInterfaceEntity.Command> serviceInterface(String namespace, String name) {
        return entity(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, namespace, name),
                () -> ServiceInterfaceEntity.create(namespace, name, this, clock));
    }

    @Override
    public ActorRef<DpuServiceInterfaceEntity.Command> dpuServiceInterface(String namespace, String name) {
        return entity(ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, namespace, name),
                () -> DpuServiceInterfaceEntity.create(namespace, name, this, clock));
    }

    @Override
    public ActorRef<ResourceIndexEntity.Command> index(ResourceKind kind) {
        return entity("index-" + ResourceIndexEntity.entityId(kind), () -> ResourceIndexEntity.create(kind));
    }

    private <M> ActorRef<M> entity(ResourceKey key, Supplier<Behavior<M>> factory) {
        return entity(key.kind().name().toLowerCase(Locale.ROOT) + "-"
                + (key.namespace() == null ? "" : key.namespace() + "~") + key.name(), factory);
    }

    /** The entity named {@code name} (unique in the system), spawned the first time. */
    @SuppressWarnings("unchecked")
    private <M> ActorRef<M> entity(String name, Supplier<Behavior<M>> factory) {
        return (ActorRef<M>) entities.computeIfAbsent(name, n -> system.systemActorOf(factory.get(),
                URLEncoder.encode(n, StandardCharsets.UTF_8), Props.empty()));
    }
}
