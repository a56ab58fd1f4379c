package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;

/** The answer to a delete: done, or there was nothing to delete (deleting twice is not an error). */
public sealed interface DeleteReply extends CborSerializable {

  ResourceKey key();

  record Deleted(ResourceKey key) implements DeleteReply {}

  record NotFound(ResourceKey key) implements DeleteReply {}
}
