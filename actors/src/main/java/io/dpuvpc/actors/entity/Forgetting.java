package io.dpuvpc.actors.entity;

import java.time.Duration;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Passivates an entity that has held no resource for a while: deleted, or started only because
 * someone looked its name up. The delay ({@code dpuvpc.entities.forget-absent-after}) lets a burst
 * of look-ups share one incarnation; an apply in the meantime cancels it.
 */
final class Forgetting<C> {
  static final String DELAY_SETTING = "dpuvpc.entities.forget-absent-after";

  private final ActorContext<C> context;
  private final TimerScheduler<C> timers;
  private final Passivation<C> passivation;
  private final C tick;
  private final Duration delay;

  Forgetting(ActorContext<C> context, TimerScheduler<C> timers, Passivation<C> passivation, C tick) {
    this.context = context;
    this.timers = timers;
    this.passivation = passivation;
    this.tick = tick;
    this.delay = context.getSystem().settings().config().getDuration(DELAY_SETTING);
  }

  /** The entity holds no resource now (after recovery, or its deletion is persisted). */
  void absent() {
    timers.startSingleTimer(tick, tick, delay);
  }

  /** The entity holds a resource again. */
  void present() {
    timers.cancel(tick);
  }

  /** On {@code tick}: passivate unless a resource arrived meanwhile. */
  void forgetIf(boolean absent) {
    if (absent) {
      passivation.passivate(context.getSelf());
    }
  }
}
