package io.dpuvpc.persistence.cassandra;

import io.dpuvpc.actors.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A test-only event-sourced counter persisted through the Cassandra journal. Besides its value it
 * reports how many events this incarnation has applied, so that a test can tell a recovery from a
 * snapshot (few events replayed) from a full replay.
 */
final class TestCounter extends EventSourcedBehaviorWithEnforcedReplies<TestCounter.Command, TestCounter.Added,
        TestCounter.State> {

    sealed interface Command {
    }

    record Add(long amount, ActorRef<Long> replyTo) implements Command {
    }

    record Get(ActorRef<Snapshot> replyTo) implements Command {
    }

    record Added(long amount) implements CborSerializable {
    }

    record State(long value, long events) implements CborSerializable {
    }

    /** What {@link Get} answers: the state and the number of events applied since spawn. */
    record Snapshot(long value, long events, long appliedSinceSpawn) {
    }

    private final int snapshotEvery;
    private long appliedSinceSpawn;

    private TestCounter(String id, int snapshotEvery) {
        super(PersistenceId.of("TestCounter", id));
        this.snapshotEvery = snapshotEvery;
    }

    /** {@code snapshotEvery} 0: no snapshots. */
    static Behavior<Command> create(String id, int snapshotEvery) {
        return new TestCounter(id, snapshotEvery);
    }

    @Override
    public State emptyState() {
        return new State(0, 0);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return snapshotEvery > 0 ? RetentionCriteria.snapshotEvery(snapshotEvery, 2) : RetentionCriteria.disabled();
    }

    @Override
    public CommandHandlerWithReply<Command, Added, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Add.class, (state, add) -> persist(add))
                .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(),
                        new Snapshot(state.value(), state.events(), appliedSinceSpawn)))
                .build();
    }

    private ReplyEffect<Added, State> persist(Add add) {
        return Effect().persist(new Added(add.amount())).thenReply(add.replyTo(), State::value);
    }

    @Override
    public EventHandler<State, Added> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Added.class, (state, added) -> {
                    appliedSinceSpawn++;
                    return new State(state.value() + added.amount(), state.events() + 1);
                })
                .build();
    }
}
