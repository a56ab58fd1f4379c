package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.validation.FieldError;
import java.util.List;

/**
 * The answer to applying a spec: accepted (persisted, or already the current spec) with the
 * generation it now has, or rejected with every error and nothing changed.
 */
public sealed interface ApplyReply extends CborSerializable {

  ResourceKey key();

  /** {@code changed} false: the spec was already the current one, nothing was written. */
  record Accepted(ResourceKey key, long generation, boolean changed) implements ApplyReply {}

  record Rejected(ResourceKey key, List<FieldError> errors) implements ApplyReply {
    public Rejected {
      errors = List.copyOf(errors);
    }
  }
}
