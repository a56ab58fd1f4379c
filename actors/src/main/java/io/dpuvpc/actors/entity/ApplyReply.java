package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.validation.FieldError;
import java.util.List;
import java.util.Optional;

/**
 * The answer to applying a spec: accepted (persisted, or already the current spec) with the
 * generation it now has, rejected with every error and nothing changed, or in conflict (the apply
 * expected another resourceVersion) with nothing changed.
 */
public sealed interface ApplyReply extends CborSerializable {

  ResourceKey key();

  /**
   * The answer to an apply that must write nothing: rejected with {@code errors}, or accepted
   * unchanged when the spec is already the current one (applying is idempotent). Empty when the
   * new spec must be persisted. Every entity decides it here, so the rule is stated once.
   */
  static Optional<ApplyReply> withoutWrite(ResourceKey key, List<FieldError> errors, boolean unchanged, long generation) {
    if (!errors.isEmpty()) {
      return Optional.of(new Rejected(key, errors));
    }
    return unchanged ? Optional.of(new Accepted(key, generation, false)) : Optional.empty();
  }

  /** {@code changed} false: the spec was already the current one, nothing was written. */
  record Accepted(ResourceKey key, long generation, boolean changed) implements ApplyReply {}

  record Rejected(ResourceKey key, List<FieldError> errors) implements ApplyReply {
    public Rejected {
      errors = List.copyOf(errors);
    }
  }

  /**
   * The apply named the {@link ResourceMetadata#resourceVersion()} it was based on, and the
   * resource is at {@code actual} now (null: it does not exist): someone changed it meanwhile.
   * Nothing was written; read it again and re-apply (HTTP 409 Conflict).
   */
  record Conflict(ResourceKey key, String expected, String actual) implements ApplyReply {}
}
