package io.dpuvpc.simulator.bench.persistence;

import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The guardian of a benchmark's actor system: it spawns the entities as sharding would (one actor
 * per persistence id, on demand), and stops all VPCs at once, answering only when every one has
 * terminated, so that a later spawn of the same id recovers from the journal and a heap reading
 * no longer sees them.
 */
final class EntityHost extends AbstractBehavior<EntityHost.Command> {

    sealed interface Command {}

    record SpawnIsolationClass(String name, ActorRef<ActorRef<IsolationClassEntity.Command>> replyTo) implements Command {}

    /** Spawns one DpuVpcEntity per name (in {@code namespace}); replies with the refs, in order. */
    record SpawnVpcs(String namespace, List<String> names, EntityDirectory directory,
                     ActorRef<List<ActorRef<DpuVpcEntity.Command>>> replyTo) implements Command {}

    /** Stops every VPC spawned so far; replies once all have terminated. */
    record StopVpcs(ActorRef<Done> replyTo) implements Command {}

    private final Clock clock;
    private final Set<ActorRef<?>> vpcs = new HashSet<>();
    private final List<ActorRef<Done>> waitingForStop = new ArrayList<>();
    // Names of stopped actors may still be reserved when the next spawn comes: never reuse one.
    private long incarnation;

    private EntityHost(ActorContext<Command> context, Clock clock) {
        super(context);
        this.clock = clock;
    }

    static Behavior<Command> create(Clock clock) {
        return Behaviors.setup(ctx -> new EntityHost(ctx, clock));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(SpawnIsolationClass.class, this::onSpawnIsolationClass)
                .onMessage(SpawnVpcs.class, this::onSpawnVpcs)
                .onMessage(StopVpcs.class, this::onStopVpcs)
                .onSignal(Terminated.class, this::onTerminated)
                .build();
    }

    private Behavior<Command> onSpawnIsolationClass(SpawnIsolationClass spawn) {
        spawn.replyTo().tell(getContext().spawn(IsolationClassEntity.create(spawn.name()), "ic-" + spawn.name()));
        return this;
    }

    private Behavior<Command> onSpawnVpcs(SpawnVpcs spawn) {
        incarnation++;
        List<ActorRef<DpuVpcEntity.Command>> refs = new ArrayList<>(spawn.names().size());
        for (String name : spawn.names()) {
            ActorRef<DpuVpcEntity.Command> ref = getContext().spawn(
                    DpuVpcEntity.create(spawn.namespace(), name, spawn.directory(), clock),
                    "vpc-" + name + "-" + incarnation);
            getContext().watch(ref);
            vpcs.add(ref);
            refs.add(ref);
        }
        spawn.replyTo().tell(refs);
        return this;
    }

    private Behavior<Command> onStopVpcs(StopVpcs stop) {
        waitingForStop.add(stop.replyTo());
        vpcs.forEach(getContext()::stop);
        return answerIfAllStopped();
    }

    private Behavior<Command> onTerminated(Terminated terminated) {
        vpcs.remove(terminated.getRef());
        return answerIfAllStopped();
    }

    private Behavior<Command> answerIfAllStopped() {
        if (vpcs.isEmpty()) {
            waitingForStop.forEach(r -> r.tell(Done.getInstance()));
            waitingForStop.clear();
        }
        return this;
    }
}
