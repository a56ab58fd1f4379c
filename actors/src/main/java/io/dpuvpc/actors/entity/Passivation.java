package io.dpuvpc.actors.entity;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * How an entity asks whoever hosts it to stop it and forget it. Under Cluster Sharding this is a
 * {@code Passivate} to the shard, which also removes the entity from remember-entities, so a
 * deleted resource (or a name merely looked up) is not started again on every rebalance and full
 * restart for ever. The entity code only says when; the wiring in {@code app} says how.
 */
@FunctionalInterface
public interface Passivation<C> {

  void passivate(ActorRef<C> self);

  /** Hosted outside sharding (tests, benchmarks): nothing remembers the entity, nothing to do. */
  static <C> Passivation<C> none() {
    return self -> {};
  }
}
