package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.changes.ReadOnlyCommand;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.IsolationClassValidator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * An IsolationClass (cluster scoped): the OVN parameters VPCs refer to by name. It holds the
 * applied spec and its generation; VPCs ask it with {@link Get} whether it exists and fits.
 */
public final class IsolationClassEntity
    extends EventSourcedBehaviorWithEnforcedReplies<IsolationClassEntity.Command, IsolationClassEntity.Event,
        IsolationClassEntity.State> {

  public sealed interface Command extends CborSerializable {}

  /**
   * Create or change the spec. {@code resourceVersion}: the version the change was based on, null
   * for an unconditional apply; any other version answers {@link ApplyReply.Conflict}.
   */
  public record Apply(IsolationClassSpec spec, String resourceVersion, ActorRef<ApplyReply> replyTo) implements Command {
    public Apply(IsolationClassSpec spec, ActorRef<ApplyReply> replyTo) {
      this(spec, null, replyTo);
    }
  }

  public record Delete(ActorRef<DeleteReply> replyTo) implements Command {}

  /**
   * {@link Delete} only if the resource is still at {@code resourceVersion} (null: unconditional);
   * otherwise nothing is deleted and the answer is {@link DeleteReply.Conflict}. A command of its
   * own rather than a second constructor of {@link Delete}, which would make {@code Delete::new}
   * ambiguous where callers pass it as a function.
   */
  public record DeleteIfUnchanged(String resourceVersion, ActorRef<DeleteReply> replyTo) implements Command {}

  public record Get(ActorRef<Status> replyTo) implements Command, ReadOnlyCommand {}

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command, ReadOnlyCommand { INSTANCE }


  /** The current spec, or {@code spec} null (and no metadata) when the class does not exist. */
  public record Status(ResourceKey key, IsolationClassSpec spec, long generation, ResourceMetadata metadata)
      implements CborSerializable {
    public Status(ResourceKey key, IsolationClassSpec spec, long generation) {
      this(key, spec, generation, ResourceMetadata.NONE);
    }

    public boolean exists() {
      return spec != null;
    }
  }

  public sealed interface Event extends CborSerializable {}

  /**
   * {@code uid} and {@code creationTimestamp} are set by the apply that creates the class, null on
   * updates and in every event written before they existed (see {@link ResourceBookkeeping#uid}).
   */
  public record Applied(IsolationClassSpec spec, long generation, String uid, Instant creationTimestamp)
      implements Event {
    public Applied(IsolationClassSpec spec, long generation) {
      this(spec, generation, null, null);
    }
  }

  public record Deleted(long generation) implements Event {}

  /**
   * {@code spec} null: never created, or deleted (then {@code uid} and {@code creationTimestamp}
   * are null too). The generation keeps counting across a delete.
   */
  public record State(IsolationClassSpec spec, long generation, String uid, Instant creationTimestamp)
      implements CborSerializable {
    public State(IsolationClassSpec spec, long generation) {
      this(spec, generation, null, null);
    }
  }

  private final ResourceKey key;
  private final Forgetting<Command> forgetting;
  private final ResourceBookkeeping bookkeeping;

  private IsolationClassEntity(ResourceKey key, ActorContext<Command> context, EntityDirectory directory, Clock clock,
                               Forgetting<Command> forgetting) {
    super(PersistenceId.of(ResourceKind.ISOLATION_CLASS.kindName(), key.toString()));
    this.key = key;
    this.forgetting = forgetting;
    this.bookkeeping = new ResourceBookkeeping(key, context, this, directory, clock);
  }

  /** Alone (benchmarks, tests of this class): it tells no {@link ResourceIndexEntity}. */
  public static Behavior<Command> create(String name) {
    return create(name, Passivation.none());
  }

  /** Alone, as {@link #create(String)}. */
  public static Behavior<Command> create(String name, Passivation<Command> passivation) {
    return create(name, null, Clock.systemUTC(), passivation);
  }

  public static Behavior<Command> create(String name, EntityDirectory directory, Clock clock) {
    return create(name, directory, clock, Passivation.none());
  }

  /** {@code directory} reaches its kind's {@link ResourceIndexEntity}; {@code clock} dates its creation. */
  public static Behavior<Command> create(String name, EntityDirectory directory, Clock clock,
                                         Passivation<Command> passivation) {
    ResourceKey key = ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, name);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new IsolationClassEntity(key, ctx, directory, clock, new Forgetting<>(ctx, timers, passivation, Forget.INSTANCE))));
  }

  @Override
  public State emptyState() {
    return new State(null, 0);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Apply.class, this::onApply)
        .onCommand(Delete.class, (state, delete) -> onDelete(state, null, delete.replyTo()))
        .onCommand(DeleteIfUnchanged.class, (state, delete) -> onDelete(state, delete.resourceVersion(), delete.replyTo()))
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), new Status(key, state.spec(), state.generation(),
            bookkeeping.metadata(state.spec() != null, state.uid(), state.creationTimestamp()))))
        .onCommand(Forget.class, (state, tick) -> {
          forgetting.forgetIf(state.spec() == null);
          return Effect().noReply();
        })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      bookkeeping.recovered(state.spec() != null, state.generation());
      if (state.spec() == null) {
        forgetting.absent();
      }
    }).build();
  }

  private ReplyEffect<Event, State> onApply(State state, Apply apply) {
    var conflict = bookkeeping.applyConflict(apply.resourceVersion(), state.spec() != null);
    if (conflict.isPresent()) {
      return Effect().reply(apply.replyTo(), conflict.get());
    }
    List<FieldError> errors = IsolationClassValidator.validate(key.name(), apply.spec());
    var withoutWrite = ApplyReply.withoutWrite(key, errors, apply.spec().equals(state.spec()), state.generation());
    if (withoutWrite.isPresent()) {
      return Effect().reply(apply.replyTo(), withoutWrite.get());
    }
    boolean creating = state.spec() == null;
    Applied applied = creating
        ? new Applied(apply.spec(), state.generation() + 1, bookkeeping.newUid(), bookkeeping.now())
        : new Applied(apply.spec(), state.generation() + 1);
    return Effect().persist(applied)
        .thenRun(s -> forgetting.present())
        .thenRun(s -> {
          if (creating) {
            bookkeeping.listed();
          }
        })
        .thenReply(apply.replyTo(), s -> new ApplyReply.Accepted(key, s.generation(), true));
  }

  private ReplyEffect<Event, State> onDelete(State state, String expected, ActorRef<DeleteReply> replyTo) {
    if (state.spec() == null) {
      return Effect().reply(replyTo, new DeleteReply.NotFound(key));
    }
    var conflict = bookkeeping.deleteConflict(expected);
    if (conflict.isPresent()) {
      return Effect().reply(replyTo, conflict.get());
    }
    return Effect().persist(new Deleted(state.generation()))
        .thenRun(s -> forgetting.absent())
        .thenRun(s -> bookkeeping.unlisted())
        .thenReply(replyTo, s -> new DeleteReply.Deleted(key));
  }

  @Override
  public Recovery recovery() {
    return EventsOnlyRecovery.RECOVERY; // it never snapshots
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> state.spec() == null
            ? new State(e.spec(), e.generation(), bookkeeping.uid(e.uid(), e.generation()), e.creationTimestamp())
            : new State(e.spec(), e.generation(), state.uid(), state.creationTimestamp()))
        .onEvent(Deleted.class, (state, e) -> new State(null, e.generation()))
        .build();
  }
}
