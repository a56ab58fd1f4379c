package io.dpuvpc.actors.changes;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Which resources may have changed, for whoever watches them: one feed per member that hosts
 * entities, told by each entity's {@link ChangeNotifier}, found by watchers through the
 * receptionist ({@link #FEEDS}) and subscribed to with a filter ({@link ChangeSubscription}).
 *
 * <p>It sends keys, not states: a watcher reads the entities it is told about, so a resource
 * that changes a hundred times between two reads is read once, and nothing here grows with the
 * size of a resource. A subscriber's keys are gathered for {@link #FLUSH} and sent in messages of
 * at most {@link #KEYS_PER_MESSAGE} (Artery's frame is 256 KiB), each key once per message.
 *
 * <p>With no subscriber the entities tell nothing ({@link Handle#listened()}): watching costs the
 * members only while somebody watches.
 */
public final class ChangeFeed {
  /** Every member's feed, for {@link ChangeSubscription}. */
  public static final ServiceKey<Command> FEEDS = ServiceKey.create(Command.class, "dpuvpc-change-feeds");
  static final Duration FLUSH = Duration.ofMillis(50);
  static final int KEYS_PER_MESSAGE = 1000;

  /** Serializable like every message (Subscribe crosses members; tests serialize even local ones). */
  public interface Command extends CborSerializable {}

  /** {@code key}'s entity handled a command that may have changed it (local: from {@link ChangeNotifier}). */
  public record Touched(ResourceKey key) implements Command {}

  /** Send {@code subscriber} the keys that {@code filter} selects from now on; {@code replyTo} hears when that holds. */
  public record Subscribe(Filter filter, ActorRef<Changes> subscriber, ActorRef<Subscribed> replyTo)
      implements Command {}

  public record Unsubscribe(ActorRef<Changes> subscriber) implements Command {}

  /** Resources of {@code kind}, in {@code namespace} when it is not empty. */
  public record Filter(ResourceKind kind, String namespace) implements CborSerializable {
    public Filter {
      namespace = namespace == null ? "" : namespace;
    }

    boolean selects(ResourceKey key) {
      return key.kind() == kind && (namespace.isEmpty() || namespace.equals(key.namespace()));
    }
  }

  /** Resources that may have changed since the last message (no order among them). */
  public record Changes(List<ResourceKey> keys) implements CborSerializable {
    public Changes {
      keys = List.copyOf(keys);
    }
  }

  /** {@code feed} now sends what was asked. */
  public record Subscribed(ActorRef<Command> feed) implements CborSerializable {}

  private enum Flush implements Command { INSTANCE }

  private record Gone(ActorRef<Changes> subscriber) implements Command {}

  /**
   * The feed of this member, and whether anybody listens: read by every entity after every
   * command, so that without a watcher an entity tells nothing. Written by the feed only.
   */
  public record Handle(ActorRef<Command> ref, AtomicBoolean listening) {
    public boolean listened() {
      return listening.get();
    }
  }

  private record Subscriber(Filter filter, LinkedHashSet<ResourceKey> pending) {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final AtomicBoolean listening;
  private final Map<ActorRef<Changes>, Subscriber> subscribers = new HashMap<>();

  private ChangeFeed(ActorContext<Command> context, TimerScheduler<Command> timers, AtomicBoolean listening) {
    this.context = context;
    this.timers = timers;
    this.listening = listening;
  }

  /** Starts this member's feed and registers it with the receptionist. */
  public static Handle start(ActorSystem<?> system) {
    AtomicBoolean listening = new AtomicBoolean();
    return new Handle(system.systemActorOf(behavior(listening), "change-feed", Props.empty()), listening);
  }

  static Behavior<Command> behavior(AtomicBoolean listening) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.getSystem().receptionist().tell(Receptionist.register(FEEDS, context.getSelf()));
      return new ChangeFeed(context, timers, listening).running();
    }));
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Touched.class, this::onTouched)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, m -> remove(m.subscriber()))
        .onMessage(Gone.class, m -> remove(m.subscriber()))
        .onMessageEquals(Flush.INSTANCE, this::flush)
        .build();
  }

  private Behavior<Command> onTouched(Touched touched) {
    boolean any = false;
    for (Subscriber s : subscribers.values()) {
      if (s.filter().selects(touched.key())) {
        any |= s.pending().add(touched.key());
      }
    }
    if (any && !timers.isTimerActive(Flush.INSTANCE)) {
      timers.startSingleTimer(Flush.INSTANCE, FLUSH);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onSubscribe(Subscribe subscribe) {
    if (!subscribers.containsKey(subscribe.subscriber())) {
      context.watchWith(subscribe.subscriber(), new Gone(subscribe.subscriber()));
    }
    subscribers.put(subscribe.subscriber(), new Subscriber(subscribe.filter(), new LinkedHashSet<>()));
    listening.set(true);
    subscribe.replyTo().tell(new Subscribed(context.getSelf()));
    return Behaviors.same();
  }

  private Behavior<Command> remove(ActorRef<Changes> subscriber) {
    if (subscribers.remove(subscriber) != null) {
      context.unwatch(subscriber);
    }
    listening.set(!subscribers.isEmpty());
    return Behaviors.same();
  }

  private Behavior<Command> flush() {
    subscribers.forEach((ref, s) -> {
      List<ResourceKey> chunk = new ArrayList<>(Math.min(KEYS_PER_MESSAGE, s.pending().size()));
      for (ResourceKey key : s.pending()) {
        chunk.add(key);
        if (chunk.size() == KEYS_PER_MESSAGE) {
          ref.tell(new Changes(chunk));
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        ref.tell(new Changes(chunk));
      }
      s.pending().clear();
    });
    return Behaviors.same();
  }
}
