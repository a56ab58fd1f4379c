package io.dpuvpc.actors.entity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Which resources of one {@link ResourceKind} exist: one entity per kind (entity id the kind's
 * name, e.g. {@code DPUVPC}), so that the admin API can list a kind without knowing the names. The
 * resource entities tell it {@link Add} when they are created and {@link Remove} when deleted, and
 * tell it again after every recovery (what they hold is the truth; the index only mirrors it), so
 * a tell lost in a crash heals the next time the resource's entity starts. Both are idempotent and
 * persist only what changes the set, so the repeated tells cost a look-up each, not a write.
 *
 * <p>Adds are written in batches: an {@link Add} only notes its key, and a {@link FlushAdds} the
 * entity sends itself (so it comes after the Adds already waiting) writes up to
 * {@value #MAX_ADDS_PER_WRITE} of them in one journal write. One write per Add made a bulk apply
 * of 10,000 interfaces queue Adds and the listings stashed behind them for longer than the admin
 * API's 10 s ask. A listing includes the noted keys: their resources exist (they tell Add only
 * after writing their own creation), the index only mirrors them.
 *
 * <p>A kind may hold 100,000 keys. Copying an immutable set of that size on every event would
 * make bulk creation quadratic, so the state is a mutable sorted set changed in place by the event
 * handler, and {@link #snapshotAdapter()} copies the set on its way to and from the snapshot store
 * (the store serializes asynchronously, while the entity goes on changing its set). Snapshots every
 * {@value #SNAPSHOT_EVERY} events bound recovery to one snapshot read plus that many events.
 */
public final class ResourceIndexEntity extends EventSourcedBehaviorWithEnforcedReplies<
    ResourceIndexEntity.Command, ResourceIndexEntity.Event, ResourceIndexEntity.State> {

  static final int SNAPSHOT_EVERY = 1000;

  /** Within the journal's max-message-batch-size (100), which bounds one atomic write. */
  static final int MAX_ADDS_PER_WRITE = 100;

  /** Keys in the order listings return them: by namespace, then name (one kind per index). */
  static final Comparator<ResourceKey> ORDER =
      Comparator.comparing(ResourceKey::namespace).thenComparing(ResourceKey::name);

  public sealed interface Command extends CborSerializable {}

  /**
   * The resource exists (idempotent: nothing is written when it is already listed). {@code
   * replyTo}, when not null, is told {@link Listed} once the key is written (at once when it
   * already is), so that the sender can tell again until it hears ({@link IndexListing}).
   */
  public record Add(ResourceKey key, ActorRef<Listed> replyTo) implements Command {
    public Add(ResourceKey key) {
      this(key, null);
    }
  }

  /** The answer to an {@link Add} with a {@code replyTo}: the key is in the journal. */
  public record Listed(ResourceKey key) implements CborSerializable {}

  /** To itself: write the Adds noted so far (at most {@value #MAX_ADDS_PER_WRITE}). */
  enum FlushAdds implements Command { INSTANCE }

  /** The resource was deleted (idempotent: nothing is written when it is not listed). */
  public record Remove(ResourceKey key) implements Command {}

  /**
   * The keys of the kind, sorted by namespace then name: those in {@code namespace}, or all when
   * it is null (or empty; a cluster-scoped kind has only the empty namespace). {@code after}
   * (null: from the start) and {@code limit} (0 or less: no limit) page through a large kind: a
   * reply of 100,000 keys would exceed what one message may carry between cluster nodes.
   */
  public record List(String namespace, ResourceKey after, int limit, ActorRef<Listing> replyTo) implements Command {
    /** Every key (of {@code namespace}, or all when null), in one reply. */
    public List(String namespace, ActorRef<Listing> replyTo) {
      this(namespace, null, 0, replyTo);
    }
  }

  /**
   * The answer to {@link List}: {@code keys} sorted; {@code continueAfter} the last key returned
   * when more remain (pass it as the next {@link List#after()}), null when this is the end.
   */
  public record Listing(ResourceKind kind, String namespace, java.util.List<ResourceKey> keys, ResourceKey continueAfter)
      implements CborSerializable {
    public Listing {
      keys = java.util.List.copyOf(keys);
    }
  }

  public sealed interface Event extends CborSerializable {}

  public record Added(ResourceKey key) implements Event {}

  public record Removed(ResourceKey key) implements Event {}

  /**
   * The listed keys. Mutable, unlike the other entities' states, for the reason in the class
   * comment: only the event handler changes it, and nothing outside this entity ever sees it
   * except a snapshot copy. Serialized (for snapshots) as the sorted keys' text.
   */
  public static final class State implements CborSerializable {
    @JsonIgnore
    private final NavigableSet<ResourceKey> sorted = new TreeSet<>(ORDER);

    State() {}

    @JsonCreator
    State(@JsonProperty("keys") Collection<String> keys) {
      keys.forEach(k -> sorted.add(ResourceKey.parse(k)));
    }

    /** The keys as snapshots hold them: {@link ResourceKey#toString()}, about half the size of the records. */
    @JsonProperty("keys")
    java.util.List<String> keyTexts() {
      java.util.List<String> texts = new ArrayList<>(sorted.size());
      sorted.forEach(k -> texts.add(k.toString()));
      return texts;
    }

    public boolean contains(ResourceKey key) {
      return sorted.contains(key);
    }

    public int size() {
      return sorted.size();
    }

    /** A copy of the keys, in order. */
    public java.util.List<ResourceKey> keys() {
      return java.util.List.copyOf(sorted);
    }

    State copy() {
      State copy = new State();
      copy.sorted.addAll(sorted);
      return copy;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof State state && sorted.equals(state.sorted);
    }

    @Override
    public int hashCode() {
      return sorted.hashCode();
    }

    @Override
    public String toString() {
      return "State" + sorted;
    }
  }

  private final ResourceKind kind;
  private final ActorContext<Command> context;
  /** Added keys not written yet, in order; a FlushAdds is on its way whenever this is not empty. */
  private final NavigableSet<ResourceKey> pendingAdds = new TreeSet<>(ORDER);
  /** Who waits to hear that a pending key is written. */
  private final java.util.Map<ResourceKey, java.util.List<ActorRef<Listed>>> waiting = new java.util.HashMap<>();

  private ResourceIndexEntity(ResourceKind kind, ActorContext<Command> context) {
    super(persistenceId(kind));
    this.kind = kind;
    this.context = context;
  }

  public static Behavior<Command> create(ResourceKind kind) {
    return Behaviors.setup(ctx -> new ResourceIndexEntity(kind, ctx));
  }

  /** The entity id of the index of {@code kind}: its Kubernetes kind name. */
  public static String entityId(ResourceKind kind) {
    return kind.kindName();
  }

  /** The inverse of {@link #entityId}. */
  public static ResourceKind kindOf(String entityId) {
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.kindName().equals(entityId)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("\"" + entityId + "\" is not a resource kind: a resource index's id is a kind name");
  }

  static PersistenceId persistenceId(ResourceKind kind) {
    return PersistenceId.of("ResourceIndex", entityId(kind));
  }

  @Override
  public State emptyState() {
    return new State();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State state) {
        // Called on the entity's thread; the store serializes later, on its own.
        return state.copy();
      }

      @Override
      public State fromJournal(Object from) {
        // A copy too: a store that keeps objects (the in-memory ones of tests) would otherwise
        // hand out the very snapshot this entity then changes in place.
        return ((State) from).copy();
      }
    };
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Add.class, (state, add) -> {
          if (!ofThisKind(add.key())) {
            return Effect().noReply();
          }
          if (state.contains(add.key())) {
            context.getLog().debug("{} is listed already; {}", add.key(), add.replyTo() == null ? "no reply" : "replying");
            if (add.replyTo() != null) {
              add.replyTo().tell(new Listed(add.key()));
            }
            return Effect().noReply();
          }
          if (add.replyTo() != null) {
            waiting.computeIfAbsent(add.key(), k -> new ArrayList<>()).add(add.replyTo());
          }
          context.getLog().debug("noting {} to write (from {})", add.key(), add.replyTo());
          if (pendingAdds.add(add.key()) && pendingAdds.size() == 1) {
            context.getSelf().tell(FlushAdds.INSTANCE);
          }
          return Effect().noReply();
        })
        .onCommand(FlushAdds.class, (state, flush) -> flushAdds())
        .onCommand(Remove.class, (state, remove) -> {
          context.getLog().debug("removing {}", remove.key());
          pendingAdds.remove(remove.key()); // an Add not written yet is simply dropped
          waiting.remove(remove.key()); // and its sender, stopped with the deleted resource, hears nothing
          return state.contains(remove.key())
              ? Effect().persist(new Removed(remove.key())).thenNoReply()
              : Effect().noReply();
        })
        .onCommand(List.class, this::onList)
        .build();
  }

  private ReplyEffect<Event, State> flushAdds() {
    java.util.List<Event> added = new ArrayList<>();
    while (!pendingAdds.isEmpty() && added.size() < MAX_ADDS_PER_WRITE) {
      added.add(new Added(pendingAdds.pollFirst()));
    }
    if (added.isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(added).thenRun(s -> {
      context.getLog().debug("wrote {} key(s) up to sequence number {}", added.size(), lastSequenceNumber(context));
      for (Event event : added) {
        ResourceKey key = ((Added) event).key();
        waiting.getOrDefault(key, java.util.List.of()).forEach(to -> to.tell(new Listed(key)));
        waiting.remove(key);
      }
      if (!pendingAdds.isEmpty()) {
        context.getSelf().tell(FlushAdds.INSTANCE);
      }
    }).thenNoReply();
  }

  /** A key of another kind is a wiring bug: said in the log, never listed. */
  private boolean ofThisKind(ResourceKey key) {
    if (key.kind() == kind) {
      return true;
    }
    context.getLog().error("the index of {} was told of {}, of another kind: ignored", kind.kindName(), key);
    return false;
  }

  private ReplyEffect<Event, State> onList(State state, List list) {
    String namespace = list.namespace() == null || list.namespace().isEmpty() ? null : list.namespace();
    if (namespace != null && kind.clusterScoped()) {
      // A cluster-scoped kind has no resource in any namespace.
      return Effect().reply(list.replyTo(), new Listing(kind, namespace, java.util.List.of(), null));
    }
    ResourceKey start = namespace == null ? null : new ResourceKey(kind, namespace, ""); // before its first name
    NavigableSet<ResourceKey> from = state.sorted;
    if (!pendingAdds.isEmpty()) {
      from = new TreeSet<>(ORDER);
      from.addAll(state.sorted);
      from.addAll(pendingAdds);
    }
    if (list.after() != null && (start == null || ORDER.compare(list.after(), start) >= 0)) {
      from = from.tailSet(list.after(), false);
    } else if (start != null) {
      from = from.tailSet(start, true);
    }
    java.util.List<ResourceKey> keys = new ArrayList<>();
    ResourceKey continueAfter = null;
    for (ResourceKey key : from) {
      if (namespace != null && !key.namespace().equals(namespace)) {
        break; // sorted by namespace: nothing of it follows
      }
      if (list.limit() > 0 && keys.size() == list.limit()) {
        continueAfter = keys.get(keys.size() - 1);
        break;
      }
      keys.add(key);
    }
    return Effect().reply(list.replyTo(), new Listing(kind, namespace, keys, continueAfter));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state ->
        context.getLog().debug("the index of {} recovered {} key(s) up to sequence number {}", kind.kindName(),
            state.size(), lastSequenceNumber(context))).build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Added.class, (state, e) -> {
          state.sorted.add(e.key());
          return state;
        })
        .onEvent(Removed.class, (state, e) -> {
          state.sorted.remove(e.key());
          return state;
        })
        .build();
  }
}
