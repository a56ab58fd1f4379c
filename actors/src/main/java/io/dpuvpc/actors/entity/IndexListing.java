package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKey;
import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A resource entity's child that tells its kind's index {@link ResourceIndexEntity.Add} until the
 * index answers that the key is written, then stops. A plain tell was lost whenever the index's
 * node died with the Add in flight or noted but not yet written: in a 10,000-interface burst with
 * 10 controller kills, 12 acknowledged ServiceInterfaces were missing from every listing while
 * their entities, alive on other nodes, had no reason to tell again. The Add is idempotent, so
 * telling it twice costs the index a look-up.
 */
final class IndexListing {
  static final Duration FIRST_WAIT = Duration.ofSeconds(5);
  static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private enum Retry { INSTANCE }

  private IndexListing() {
  }

  static Behavior<Object> create(RecipientRef<ResourceIndexEntity.Command> index, ResourceKey key) {
    return create(index, key, FIRST_WAIT);
  }

  /** {@code firstWait} for the first answer, doubling up to {@link #MAX_WAIT} between tells. */
  static Behavior<Object> create(RecipientRef<ResourceIndexEntity.Command> index, ResourceKey key, Duration firstWait) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ResourceIndexEntity.Add add = new ResourceIndexEntity.Add(key, ctx.getSelf().narrow());
      index.tell(add);
      timers.startSingleTimer(Retry.INSTANCE, firstWait);
      return waiting(index, add, firstWait, timers);
    }));
  }

  private static Behavior<Object> waiting(RecipientRef<ResourceIndexEntity.Command> index, ResourceIndexEntity.Add add,
                                          Duration wait,
                                          org.apache.pekko.actor.typed.javadsl.TimerScheduler<Object> timers) {
    return Behaviors.receive(Object.class)
        .onMessage(ResourceIndexEntity.Listed.class, listed -> Behaviors.stopped())
        .onMessageEquals(Retry.INSTANCE, () -> {
          index.tell(add);
          Duration next = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
          timers.startSingleTimer(Retry.INSTANCE, next);
          return waiting(index, add, next, timers);
        })
        .build();
  }
}
