package io.dpuvpc.actors.changes;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A watcher's subscription to every member's {@link ChangeFeed}: the keys its filter selects, as
 * the entities change, handed to a sink on the subscription's own actor (the sink must not
 * block). Feeds of members that join later are subscribed as the receptionist lists them.
 *
 * <p>{@link #ready()} completes once every feed listed when the subscription started has
 * confirmed: a change after that is not missed, so a watcher lists what exists only then, and
 * applies the keys it is told on top of that list.
 */
public final class ChangeSubscription implements AutoCloseable {
  private final ActorRef<Object> actor;
  private final CompletableFuture<Done> ready;

  private ChangeSubscription(ActorRef<Object> actor, CompletableFuture<Done> ready) {
    this.actor = actor;
    this.ready = ready;
  }

  /** Subscribes to the changes {@code filter} selects; {@code sink} gets them in batches. */
  public static ChangeSubscription open(ActorSystem<?> system, ChangeFeed.Filter filter, Consumer<List<ResourceKey>> sink) {
    CompletableFuture<Done> ready = new CompletableFuture<>();
    ActorRef<Object> actor = system.systemActorOf(behavior(filter, sink, ready), "change-subscription-" + UUID.randomUUID(),
        Props.empty());
    return new ChangeSubscription(actor, ready);
  }

  public CompletionStage<Done> ready() {
    return ready;
  }

  /** Ends the subscription; the feeds see its actor stop and forget it. */
  @Override
  public void close() {
    actor.tell(Stop.INSTANCE);
  }

  private enum Stop implements CborSerializable { INSTANCE }

  private static Behavior<Object> behavior(ChangeFeed.Filter filter, Consumer<List<ResourceKey>> sink,
                                          CompletableFuture<Done> ready) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.subscribe(ChangeFeed.FEEDS, context.getSelf().narrow()));
      ActorRef<ChangeFeed.Changes> self = context.getSelf().narrow();
      ActorRef<ChangeFeed.Subscribed> acks = context.getSelf().narrow();
      Set<ActorRef<ChangeFeed.Command>> subscribed = new HashSet<>();
      // The feeds of the first non-empty listing, until each has confirmed.
      Set<ActorRef<ChangeFeed.Command>> awaited = new HashSet<>();
      boolean[] listed = {false};
      return Behaviors.receive(Object.class)
          .onMessage(Receptionist.Listing.class, listing -> {
            Set<ActorRef<ChangeFeed.Command>> feeds = listing.getServiceInstances(ChangeFeed.FEEDS);
            for (ActorRef<ChangeFeed.Command> feed : feeds) {
              if (subscribed.add(feed)) {
                feed.tell(new ChangeFeed.Subscribe(filter, self, acks));
                if (!listed[0]) {
                  awaited.add(feed);
                }
              }
            }
            subscribed.retainAll(feeds);
            awaited.retainAll(feeds);
            listed[0] |= !feeds.isEmpty();
            if (listed[0] && awaited.isEmpty()) {
              ready.complete(Done.getInstance());
            }
            return Behaviors.same();
          })
          .onMessage(ChangeFeed.Subscribed.class, ack -> {
            awaited.remove(ack.feed());
            if (listed[0] && awaited.isEmpty()) {
              ready.complete(Done.getInstance());
            }
            return Behaviors.same();
          })
          .onMessage(ChangeFeed.Changes.class, changes -> {
            sink.accept(changes.keys());
            return Behaviors.same();
          })
          .onMessageEquals(Stop.INSTANCE, () -> {
            subscribed.forEach(feed -> feed.tell(new ChangeFeed.Unsubscribe(self)));
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
