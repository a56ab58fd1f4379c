package io.dpuvpc.simulator.bench.persistence;

import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The benchmark's {@link EntityDirectory}: the one IsolationClass every VPC uses, the VPCs the
 * benchmark spawned (by name, replaced on each respawn), and the system's ignore ref for every
 * other entity kind (the fleet a VPC registers with, the networks it would tell of its deletion),
 * so that only the VPCs and their journal are measured.
 *
 * <p>A dynamic proxy rather than a class implementing the interface: {@link EntityDirectory} gains
 * a method with each new entity kind, and the benchmark needs only two of them.
 */
final class BenchDirectory {
    private final String namespace;
    private final ActorRef<Object> elsewhere;
    private final Map<String, ActorRef<DpuVpcEntity.Command>> vpcs = new ConcurrentHashMap<>();
    private final EntityDirectory directory;

    BenchDirectory(String namespace, ActorRef<IsolationClassEntity.Command> isolationClass, ActorRef<Object> elsewhere) {
        this.namespace = namespace;
        this.elsewhere = elsewhere;
        this.directory = (EntityDirectory) Proxy.newProxyInstance(EntityDirectory.class.getClassLoader(),
                new Class<?>[] {EntityDirectory.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isolationClass" -> isolationClass;
                    case "vpc" -> vpc((String) args[0], (String) args[1]);
                    case "toString" -> "BenchDirectory";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> elsewhere;
                });
    }

    EntityDirectory directory() {
        return directory;
    }

    void put(String name, ActorRef<DpuVpcEntity.Command> ref) {
        vpcs.put(name, ref);
    }

    /** Forgets every VPC: the benchmark holds no refs to stopped actors. */
    void clear() {
        vpcs.clear();
    }

    private Object vpc(String ns, String name) {
        ActorRef<DpuVpcEntity.Command> ref = namespace.equals(ns) ? vpcs.get(name) : null;
        return ref != null ? ref : elsewhere;
    }
}
