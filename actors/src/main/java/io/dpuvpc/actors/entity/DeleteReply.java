package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;

/**
 * The answer to a delete: done, there was nothing to delete (deleting twice is not an error), or
 * the delete expected another resourceVersion and nothing was deleted.
 */
public sealed interface DeleteReply extends CborSerializable {

  ResourceKey key();

  record Deleted(ResourceKey key) implements DeleteReply {}

  record NotFound(ResourceKey key) implements DeleteReply {}

  /** The delete named a resourceVersion, and the resource is at {@code actual} now: nothing was deleted. */
  record Conflict(ResourceKey key, String expected, String actual) implements DeleteReply {}
}
