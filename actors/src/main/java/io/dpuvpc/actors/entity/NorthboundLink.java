package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.conditions.ConditionReasons;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.NorthboundReasons;
import io.dpuvpc.actors.northbound.TopologyIntent;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One entity's side of the {@link Northbound} port: the intent it last published and where, and
 * what the bridge last observed of it. Kept in memory only: after a restart the entity publishes
 * again (the bridge finds its rows already right and writes nothing) and the bridge observes
 * again, so conditions come from OVN, not from what was merely sent.
 */
final class NorthboundLink {
  private final ResourceKey owner;
  private final EntityDirectory directory;
  private final ActorRef<Northbound.Observed> replyTo;
  private String isolationClass;
  private TopologyIntent published;
  private Northbound.Observed observed;

  NorthboundLink(ResourceKey owner, EntityDirectory directory, ActorRef<Northbound.Observed> replyTo) {
    this.owner = owner;
    this.directory = directory;
    this.replyTo = replyTo;
  }

  /**
   * Publishes {@code intent} to {@code isolationClass} unless it is exactly what was last published
   * there (the bridge answers every change by itself, so a repeat would only cost a round trip).
   */
  void publish(String isolationClass, TopologyIntent intent) {
    if (intent.equals(published) && isolationClass.equals(this.isolationClass)) {
      return;
    }
    if (this.isolationClass != null && !this.isolationClass.equals(isolationClass)) {
      withdraw(null); // its rows belong to the OVN it left
    }
    directory.northbound().tell(new Northbound.Publish(isolationClass, intent, replyTo));
    this.isolationClass = isolationClass;
    this.published = intent;
    // What was observed concerned the previous intent: wait for the bridge's word on this one.
    this.observed = null;
  }

  /**
   * Removes every row of the owner: from where it published, else from {@code fallbackClass}
   * (a previous incarnation may have published there; null: nowhere to ask).
   */
  void withdraw(String fallbackClass) {
    String from = isolationClass != null ? isolationClass : fallbackClass;
    if (from != null) {
      directory.northbound().tell(new Northbound.Withdraw(from, owner, replyTo));
    }
    isolationClass = null;
    published = null;
    observed = null;
  }

  /** The entity stops here: the bridge stops managing its rows and leaves them in place. */
  void release() {
    if (isolationClass != null) {
      directory.northbound().tell(new Northbound.Release(isolationClass, owner));
    }
  }

  /**
   * Keeps an observation of the intent now published and says so; drops stale ones (of an older
   * generation, or arriving after a withdrawal).
   */
  boolean observe(Northbound.Observed answer) {
    if (published != null && owner.equals(answer.owner()) && answer.generation() == published.generation()) {
      observed = answer;
      return true;
    }
    return false;
  }

  boolean published() {
    return published != null;
  }

  /** The latest observation of the published intent; null before the bridge answered. */
  Northbound.Observed observed() {
    return observed;
  }

  boolean reconciled() {
    return observed != null && observed.state() == Northbound.State.RECONCILED;
  }

  /** Whether the bridge says a prerequisite (OVN reachable, IsolationClass usable) is missing. */
  boolean prerequisiteMissing() {
    return NorthboundReasons.isPrerequisite(observed);
  }

  /**
   * {@code type} True iff the bridge observed the published intent in OVN; otherwise False with
   * what it observed, or Pending with {@code publishing} before it answered.
   */
  Conditions reconciled(Conditions conditions, String type, String publishing, long generation, Clock clock) {
    if (reconciled()) {
      return conditions.setTrue(type, generation, clock);
    }
    if (observed == null) {
      return conditions.setFalse(type, ConditionReasons.PENDING, publishing, generation, clock);
    }
    return conditions.setFalse(type, observedReason(), observedMessage(), generation, clock);
  }

  /** PrerequisitesReady False with the bridge's word when it says a prerequisite is missing. */
  Conditions prerequisites(Conditions conditions, String type, long generation, Clock clock) {
    return prerequisiteMissing()
        ? conditions.setFalse(type, observedReason(), observedMessage(), generation, clock)
        : conditions.setTrue(type, generation, clock);
  }

  private String observedReason() {
    return observed.reason() == null || observed.reason().isBlank() ? ConditionReasons.PENDING : observed.reason();
  }

  private String observedMessage() {
    return observed.message() == null ? "" : observed.message();
  }
}
