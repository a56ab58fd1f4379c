package io.dpuvpc.actors.changes;

import io.dpuvpc.actors.model.ResourceKey;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Wraps a resource entity so that every command it handles, except a {@link ReadOnlyCommand},
 * tells this member's {@link ChangeFeed} that the resource may have changed. The entity itself
 * knows nothing of it. Only the entity's own commands are intercepted ({@code commands}): the
 * journal's replies while it persists or recovers pass by, so starting an entity (which a read of
 * it can do) is not a change; the command that persisted was one already.
 */
public final class ChangeNotifier<M> extends BehaviorInterceptor<M, M> {
  private final ResourceKey key;
  private final ChangeFeed.Handle feed;

  private ChangeNotifier(ResourceKey key, ChangeFeed.Handle feed, Class<M> commands) {
    super(commands);
    this.key = key;
    this.feed = feed;
  }

  /** {@code entity} with its changes told to {@code feed}. */
  public static <M> Behavior<M> notifying(ResourceKey key, ChangeFeed.Handle feed, Class<M> commands, Behavior<M> entity) {
    return Behaviors.intercept(() -> new ChangeNotifier<>(key, feed, commands), entity);
  }

  @Override
  public Behavior<M> aroundReceive(TypedActorContext<M> context, M message, ReceiveTarget<M> target) {
    Behavior<M> next = target.apply(context, message);
    // Told after the entity handled it: a reader's query then queues behind what it started (an
    // entity stashes queries while it persists), so the reader sees the result, not the state before.
    if (!(message instanceof ReadOnlyCommand) && feed.listened()) {
      feed.ref().tell(new ChangeFeed.Touched(key));
    }
    return next;
  }
}
