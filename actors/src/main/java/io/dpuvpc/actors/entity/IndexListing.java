package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKey;
import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

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
  /**
   * This tell is logged as a warning: the index has not confirmed for over a minute (5+10+20+40 s by
   * default). Once per listing, so that a burst the index is slow to confirm logs each resource once.
   */
  static final int WARNING_TELL = 5;

  private enum Retry { INSTANCE }

  private IndexListing() {
  }

  static Behavior<Object> create(RecipientRef<ResourceIndexEntity.Command> index, ResourceKey key) {
    return create(index, key, FIRST_WAIT);
  }

  /** {@code firstWait} for the first answer, doubling up to {@link #MAX_WAIT} between tells. */
  static Behavior<Object> create(RecipientRef<ResourceIndexEntity.Command> index, ResourceKey key, Duration firstWait) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.setLoggerName(IndexListing.class);
      ResourceIndexEntity.Add add = new ResourceIndexEntity.Add(key, ctx.getSelf().narrow());
      ctx.getLog().debug("telling the index of {} to list it ({})", key, ctx.getSelf());
      index.tell(add);
      timers.startSingleTimer(Retry.INSTANCE, firstWait);
      return waiting(ctx, index, add, 1, firstWait, timers);
    }));
  }

  private static Behavior<Object> waiting(ActorContext<Object> ctx, RecipientRef<ResourceIndexEntity.Command> index,
                                          ResourceIndexEntity.Add add, int tells, Duration wait,
                                          TimerScheduler<Object> timers) {
    return Behaviors.receive(Object.class)
        .onMessage(ResourceIndexEntity.Listed.class, listed -> {
          ctx.getLog().debug("the index confirmed {} after {} tell(s)", add.key(), tells);
          return Behaviors.stopped();
        })
        .onMessageEquals(Retry.INSTANCE, () -> {
          if (tells + 1 == WARNING_TELL) {
            // Not heard for over a minute: the listing (GET of the kind) lacks this resource meanwhile.
            ctx.getLog().warn("the index of {} has not confirmed {} after {} tells; telling it again every {} s until it"
                + " does", add.key().kind().kindName(), add.key(), tells, MAX_WAIT.toSeconds());
          } else {
            ctx.getLog().debug("no answer from the index for {} after {} tell(s); telling it again", add.key(), tells);
          }
          index.tell(add);
          Duration next = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
          timers.startSingleTimer(Retry.INSTANCE, next);
          return waiting(ctx, index, add, tells + 1, next, timers);
        })
        .onSignal(PostStop.class, stop -> {
          ctx.getLog().debug("listing of {} stopped", add.key());
          return Behaviors.same();
        })
        .build();
  }
}
