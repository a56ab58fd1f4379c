package io.dpuvpc.node;

import static org.awaitility.Awaitility.await;

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
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;

/**
 * A test's DpuNode entities (real ones, on the kit's journal), spawned up front; every other
 * entity is the dead letters.
 */
public final class NodeDirectory implements EntityDirectory {
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** The minimal configuration of the actors module's EntityTestConfig: in-memory journal, CBOR. */
    public static final Config CONFIG = ConfigFactory.parseString("""
        pekko.actor.serialization-bindings { "io.dpuvpc.actors.CborSerializable" = jackson-cbor }
        """).withFallback(PersistenceTestKitPlugin.getInstance().config()).withFallback(ConfigFactory.load());

    private final ActorTestKit kit;
    private final Map<String, ActorRef<DpuNodeEntity.Command>> nodes = new ConcurrentHashMap<>();

    public NodeDirectory(ActorTestKit kit) {
        this.kit = kit;
    }

    public ActorRef<DpuNodeEntity.Command> spawnNode(String name) {
        ActorRef<DpuNodeEntity.Command> ref = kit.spawn(DpuNodeEntity.create(name, this, Clock.systemUTC()), "node-" + name);
        nodes.put(name, ref);
        return ref;
    }

    /**
     * Sends what the agent tells node {@code name} through {@code to} instead of the node itself
     * (a test's recording proxy).
     */
    void route(String name, ActorRef<DpuNodeEntity.Command> to) {
        nodes.put(name, to);
    }

    /** The node as its entity shows it once {@code done} holds, within {@link #WAIT}. */
    DpuNode awaitNode(ActorRef<DpuNodeEntity.Command> node, Predicate<DpuNode> done) {
        TestProbe<DpuNodeEntity.Status> probe = kit.createTestProbe(DpuNodeEntity.Status.class);
        DpuNode[] last = new DpuNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            node.tell(new DpuNodeEntity.GetStatus(probe.ref()));
            last[0] = probe.receiveMessage(WAIT).node();
            return last[0] != null && done.test(last[0]);
        });
        return last[0];
    }

    private <T> ActorRef<T> nobody() {
        return kit.system().deadLetters();
    }

    @Override
    public ActorRef<DpuNodeEntity.Command> node(String name) {
        return nodes.getOrDefault(name, nobody());
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

    /** A real fleet entity on the kit's journal, for the tests that need one (silent nodes); the dead letters otherwise. */
    ActorRef<FleetEntity.Command> spawnFleet() {
        fleet = kit.spawn(FleetEntity.create(this), "fleet-" + System.nanoTime());
        return fleet;
    }

    private volatile ActorRef<FleetEntity.Command> fleet;

    @Override
    public ActorRef<FleetEntity.Command> fleet() {
        return fleet != null ? fleet : nobody();
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
