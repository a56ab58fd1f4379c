package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * What every resource entity does alike about its existence, so the rules are stated once: the
 * uid and creation time it records when created, its {@link ResourceMetadata#resourceVersion()},
 * the optimistic-concurrency check of an apply or delete, and keeping its kind's
 * {@link ResourceIndexEntity} told.
 */
final class ResourceBookkeeping {
  private final ResourceKey key;
  private final ActorContext<?> context;
  private final EventSourcedBehavior<?, ?, ?> entity;
  private final EntityDirectory directory;
  /** The child telling the index of this resource's creation, until it hears back. */
  private org.apache.pekko.actor.typed.ActorRef<Object> listing;
  private final Clock clock;

  /** {@code directory} null: hosted alone (benchmarks, a test of the class), nothing is indexed. */
  ResourceBookkeeping(ResourceKey key, ActorContext<?> context, EventSourcedBehavior<?, ?, ?> entity,
                      EntityDirectory directory, Clock clock) {
    this.key = key;
    this.context = context;
    this.entity = entity;
    this.directory = directory;
    this.clock = clock;
  }

  /** A new uid, for the event that creates the resource. */
  String newUid() {
    return UUID.randomUUID().toString();
  }

  /** The creation time, for the event that creates the resource. */
  Instant now() {
    return clock.instant();
  }

  /**
   * The uid of a resource created by an event that carries {@code recorded} (null: written before
   * uids were, or an update). Such an old resource gets a uid derived from its key and the
   * generation it was created with rather than a random one: it must be the same after every
   * recovery (nothing persists it), and still differ between two lives of one name, which the
   * generation (counting across deletes) guarantees. A JacksonMigration could not do better: it
   * sees one event without knowing whether the resource existed before it.
   */
  String uid(String recorded, long generation) {
    return recorded != null ? recorded
        : UUID.nameUUIDFromBytes((key + "#" + generation).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** See {@link ResourceMetadata#resourceVersion()}: the last persisted event's sequence number. */
  String resourceVersion() {
    return Long.toString(entity.lastSequenceNumber(context));
  }

  ResourceMetadata metadata(boolean exists, String uid, Instant creationTimestamp) {
    return exists ? new ResourceMetadata(uid, creationTimestamp, resourceVersion()) : ResourceMetadata.NONE;
  }

  /**
   * The conflict of an apply expecting {@code expected} (null: unconditional, never a conflict).
   * Expecting a version of a resource that does not exist is one too: it was deleted meanwhile.
   */
  Optional<ApplyReply> applyConflict(String expected, boolean exists) {
    String actual = exists ? resourceVersion() : null;
    return expected == null || expected.equals(actual)
        ? Optional.empty() : Optional.of(new ApplyReply.Conflict(key, expected, actual));
  }

  /** The conflict of a delete of an existing resource expecting {@code expected} (null: unconditional). */
  Optional<DeleteReply> deleteConflict(String expected) {
    String actual = resourceVersion();
    return expected == null || expected.equals(actual)
        ? Optional.empty() : Optional.of(new DeleteReply.Conflict(key, expected, actual));
  }

  /**
   * The resource was created (or created again): list it, telling the index again until it says
   * the key is written ({@link IndexListing}, a child of the entity: it stops with it).
   */
  void listed() {
    if (directory != null) {
      stopListing();
      listing = context.spawnAnonymous(IndexListing.create(directory.index(key.kind()), key));
      context.getLog().debug("{} listing itself through {}", key, listing);
    }
  }

  /** The resource was deleted: unlist it. */
  void unlisted() {
    stopListing();
    if (directory != null) {
      directory.index(key.kind()).tell(new ResourceIndexEntity.Remove(key));
    }
  }

  private void stopListing() {
    // A child that heard its answer has stopped already, and only a live child may be stopped.
    if (listing != null && context.getChildren().contains(listing.unsafeUpcast())) {
      context.stop(listing);
    }
    listing = null;
  }

  /**
   * After recovery, tell the index again what the journal says: a tell lost when the entity
   * stopped right after persisting heals here. The index writes nothing when it already agrees.
   * A name that never existed (generation 0: started by a look-up) was never listed: no tell.
   */
  void recovered(boolean exists, long generation) {
    context.getLog().debug("{} recovered: exists {}, generation {}", key, exists, generation);
    if (exists) {
      listed();
    } else if (generation > 0) {
      unlisted();
    }
  }
}
