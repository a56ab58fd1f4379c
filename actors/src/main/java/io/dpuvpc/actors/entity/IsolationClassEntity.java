package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.IsolationClassValidator;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * An IsolationClass (cluster scoped): the OVN parameters VPCs refer to by name. It holds the
 * applied spec and its generation; VPCs ask it with {@link Get} whether it exists and fits.
 */
public final class IsolationClassEntity
    extends EventSourcedBehaviorWithEnforcedReplies<IsolationClassEntity.Command, IsolationClassEntity.Event,
        IsolationClassEntity.State> {

  public sealed interface Command extends CborSerializable {}

  /** Create or change the spec. */
  public record Apply(IsolationClassSpec spec, ActorRef<ApplyReply> replyTo) implements Command {}

  public record Delete(ActorRef<DeleteReply> replyTo) implements Command {}

  public record Get(ActorRef<Status> replyTo) implements Command {}

  /** Timer: passivate if still absent (see {@link Forgetting}). */
  private enum Forget implements Command { INSTANCE }


  /** The current spec, or {@code spec} null when the class does not exist. */
  public record Status(ResourceKey key, IsolationClassSpec spec, long generation) implements CborSerializable {
    public boolean exists() {
      return spec != null;
    }
  }

  public sealed interface Event extends CborSerializable {}

  public record Applied(IsolationClassSpec spec, long generation) implements Event {}

  public record Deleted(long generation) implements Event {}

  /** {@code spec} null: never created, or deleted. The generation keeps counting across a delete. */
  public record State(IsolationClassSpec spec, long generation) implements CborSerializable {}

  private final ResourceKey key;
  private final Forgetting<Command> forgetting;

  private IsolationClassEntity(ResourceKey key, Forgetting<Command> forgetting) {
    super(PersistenceId.of(ResourceKind.ISOLATION_CLASS.kindName(), key.toString()));
    this.key = key;
    this.forgetting = forgetting;
  }

  public static Behavior<Command> create(String name) {
    return create(name, Passivation.none());
  }

  public static Behavior<Command> create(String name, Passivation<Command> passivation) {
    ResourceKey key = ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, name);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new IsolationClassEntity(key, new Forgetting<>(ctx, timers, passivation, Forget.INSTANCE))));
  }

  @Override
  public State emptyState() {
    return new State(null, 0);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Apply.class, this::onApply)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), new Status(key, state.spec(), state.generation())))
        .onCommand(Forget.class, (state, tick) -> {
          forgetting.forgetIf(state.spec() == null);
          return Effect().noReply();
        })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      if (state.spec() == null) {
        forgetting.absent();
      }
    }).build();
  }

  private ReplyEffect<Event, State> onApply(State state, Apply apply) {
    List<FieldError> errors = IsolationClassValidator.validate(key.name(), apply.spec());
    var withoutWrite = ApplyReply.withoutWrite(key, errors, apply.spec().equals(state.spec()), state.generation());
    if (withoutWrite.isPresent()) {
      return Effect().reply(apply.replyTo(), withoutWrite.get());
    }
    return Effect().persist(new Applied(apply.spec(), state.generation() + 1))
        .thenRun(s -> forgetting.present())
        .thenReply(apply.replyTo(), s -> new ApplyReply.Accepted(key, s.generation(), true));
  }

  private ReplyEffect<Event, State> onDelete(State state, Delete delete) {
    if (state.spec() == null) {
      return Effect().reply(delete.replyTo(), new DeleteReply.NotFound(key));
    }
    return Effect().persist(new Deleted(state.generation()))
        .thenRun(s -> forgetting.absent())
        .thenReply(delete.replyTo(), s -> new DeleteReply.Deleted(key));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> new State(e.spec(), e.generation()))
        .onEvent(Deleted.class, (state, e) -> new State(null, e.generation()))
        .build();
  }
}
